"""``/api/cases/``: read-only JSON of cases, scoped by ``Case.objects.visible_to`` (DRF)."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets
from rest_framework.routers import SimpleRouter

from gongkai.cases.forms import CaseFilter
from gongkai.cases.models import Case
from gongkai.cases.serializers import CaseDetailSerializer, CaseListSerializer


class CaseViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Cases the user may read; another agency's case is a 404. Filters as on the desk."""

    filterset_class = CaseFilter

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
