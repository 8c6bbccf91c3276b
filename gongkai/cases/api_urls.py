"""``/api/cases/``: read-only JSON of cases, scoped by ``Case.objects.visible_to`` (DRF).

Also the query-parameter filters every API list shares (publications and reports import them):
each parses strictly what the schema declares, so a malformed value is a 400 and a well-formed
id that names nothing is an empty list, never a 500.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from gongkai.cases.forms import CaseFilter
from gongkai.cases.models import Case
from gongkai.cases.serializers import CaseDetailSerializer, CaseListSerializer
from gongkai.core.api_scopes import Scope

#: Primary keys are 64-bit (``DEFAULT_AUTO_FIELD``); a larger number names nothing.
MAX_ID = 2**63 - 1
#: The years an API parameter accepts: the 条例 took effect in 2008 (2007 is the year of its
#: promulgation); anything outside is refused before it reaches a query or a date.
FIRST_API_YEAR, LAST_API_YEAR = 2007, 2100
#: Search text: at most this many characters, no NUL (PostgreSQL refuses it in a query).
MAX_SEARCH = 100
_NO_NUL = "^[^\\x00]*$"


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter ships no stubs
    """An object's id (1 and up): an id that names nothing, or nothing visible, gives an empty list."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field({"type": "integer", "minimum": FIRST_API_YEAR, "maximum": LAST_API_YEAR})
class YearFilter(django_filters.Filter):  # type: ignore[misc]
    """A year from 2007 to 2100; any other is a 400."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=FIRST_API_YEAR, max_value=LAST_API_YEAR, **kwargs)


@extend_schema_field({"type": "string", "maxLength": MAX_SEARCH, "pattern": _NO_NUL})
class SearchFilter(django_filters.CharFilter):  # type: ignore[misc]
    """Free text of at most 100 characters (Django's CharField refuses NUL with a 400)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=MAX_SEARCH, **kwargs)


class _StrictBoolean(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[("true", "true"), ("false", "false")], coerce=lambda v: v == "true", **kwargs)


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(django_filters.Filter):  # type: ignore[misc]
    """``true`` or ``false`` exactly (as OpenAPI clients send a boolean); anything else is a 400."""

    field_class = _StrictBoolean


class StrictParameters:
    """A FilterSet mix-in: a parameter that is given must have a value (``?status=`` is a 400).

    Free-text filters are exempt: an empty search is a valid string and means "everything".
    """

    filters: dict[str, Any]
    data: Any
    form: forms.Form

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()  # type: ignore[misc]
        for name, declared in self.filters.items():
            if not isinstance(declared, django_filters.CharFilter) and self.data.get(name, None) == "":
                if name not in self.form.errors:
                    self.form.add_error(name, "参数已给出但没有值：请给出一个值，或不带此参数")
                valid = False
        return valid


class CaseApiFilter(StrictParameters, CaseFilter):
    """The desk's filters, with strict parameters (``department`` is an id, ``year`` 2007–2100)."""

    q = SearchFilter(label="搜索", method="search", help_text="编号、申请人、申请内容或文号中的文字")
    department = IdFilter(label="承办科室", field_name="department_id", help_text="科室 id")
    year = YearFilter(label="年份", field_name="year")


class CaseViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Cases the user may read; another agency's case is a 404. Filters as on the desk."""

    filterset_class = CaseApiFilter
    token_scopes = {"GET": Scope.CASES_READ, "HEAD": Scope.CASES_READ}

    def get_queryset(self) -> Any:
        qs = Case.objects.visible_to(self.request.user).select_related("agency", "department")
        if self.action == "retrieve":
            qs = qs.prefetch_related("events", "consultations", "extensions", "fee_notices")
        return qs.order_by("-year", "-sequence")

    def get_serializer_class(self) -> Any:
        return CaseDetailSerializer if self.action == "retrieve" else CaseListSerializer


router = SimpleRouter()
router.register("", CaseViewSet, basename="case")
urlpatterns = router.urls
