"""Page numbers of every API list: an integer from 1 (else 400); a page past the last is a 404."""

from __future__ import annotations

import re
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

#: The largest page number the schema admits (a 32-bit integer, as most clients parse it).
MAX_PAGE = 2**31 - 1


class Pagination(PageNumberPagination):
    last_page_strings = ()  # "page=last" is not an integer: the schema promises integers only

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> list[Any] | None:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (re.fullmatch(r"[0-9]{1,10}", raw) and 1 <= int(raw) <= MAX_PAGE):
            raise ValidationError({self.page_query_param: [f"页码应为 1 至 {MAX_PAGE} 的整数，收到“{raw[:20]}”"]})
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}
                parameter["description"] = "页码，从 1 开始；超出最后一页时答 404"
        return parameters
