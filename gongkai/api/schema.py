"""The OpenAPI schema's generator: every operation documents the refusals it can answer with."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse

from gongkai.api.errors import ErrorSerializer
from gongkai.core.publication_flow import ItemStatus
from gongkai.core.report.lifecycle import ReportStatus

#: The status choices by set, for ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]`` (drf-spectacular
#: matches an enum by its values and labels; both sets are fields named ``status``).
ITEM_STATUSES = [(status.value, status.label) for status in ItemStatus]
REPORT_STATUSES = [(status.value, status.label) for status in ReportStatus]


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """``Authorization: Bearer <token>`` of an API client (``gongkai.api.auth.TokenAuthentication``)."""

    target_class = "gongkai.api.auth.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "接口客户端的令牌（gongkai api-client create 或后台“接口客户端”页面生成，只显示一次）",
        }


_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema plus the error answers (body: ``gongkai.api.errors.ErrorSerializer``).

    403 everywhere (not logged in, or a role that may not); 400 where there is input to refuse
    (query parameters, a request body); 404 where the path names an object or a page; 409 and 422
    where a write meets a record in the wrong state or a calendar year not loaded.
    """

    def error_statuses(self) -> dict[int, str]:
        statuses = {
            401: "令牌无效、已吊销或已过期",
            403: "未登录，或当前角色（令牌的权限范围）无权执行此操作",
        }
        paginated = bool(self._get_pagination_parameters())  # type: ignore[no-untyped-call]
        filtered = bool(self._get_filter_parameters())  # type: ignore[no-untyped-call]
        if paginated or filtered or self.method in _WRITES:
            statuses[400] = "参数或请求内容有误（fields 列出每处错误）"
        if "{" in self.path or paginated:
            statuses[404] = "对象不存在或无权查看，或页码超出范围"
        if self.method in _WRITES:
            statuses[409] = "记录已被他人修改，或当前状态不允许此操作"
            statuses[422] = "所需年份的节假日安排尚未加载，无法计算工作日"
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status, description in sorted(self.error_statuses().items()):
            responses.setdefault(
                str(status),
                self._get_response_for_code(  # type: ignore[no-untyped-call]
                    OpenApiResponse(ErrorSerializer, description=description), str(status), direction=direction
                ),
            )
        return responses
