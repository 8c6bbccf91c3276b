"""Read-only API of annual reports (``/api/reports/``): no endpoint writes a status or a signature."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from gongkai.accounts.scoping import visible_agencies
from gongkai.reports.compute import compute_report
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.selectors import records_visible_to


class AnnualReportRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    signed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReportRecord
        fields = (
            "id",
            "agency",
            "agency_name",
            "agency_code",
            "year",
            "version",
            "status",
            "signed_by_name",
            "signed_at",
            "published_at",
            "supersedes",
            "narrative",
            "snapshot",
            "findings",
            "file_digests",
        )
        read_only_fields = fields

    def get_signed_by_name(self, obj: AnnualReportRecord) -> str | None:
        return obj.signed_by.display_name if obj.signed_by else None


class AnnualReportRecordViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = AnnualReportRecordSerializer
    filterset_fields = ("agency", "year", "status")

    def get_queryset(self) -> Any:
        return records_visible_to(self.request.user).order_by("agency_id", "-year", "-version")


class ComputedReportView(APIView):
    """``GET /api/reports/computed/<agency>/<year>/``: the tables computed from the records now."""

    @extend_schema(responses=OpenApiTypes.OBJECT, description="gongkai.annual-report/1")
    def get(self, request: Request, agency_id: int, year: int) -> Response:
        agency = get_object_or_404(visible_agencies(request.user), pk=agency_id)
        return Response(compute_report(agency, year).to_dict())


router = DefaultRouter()
router.register("records", AnnualReportRecordViewSet, basename="report-record")

urlpatterns = [
    path("computed/<int:agency_id>/<int:year>/", ComputedReportView.as_view(), name="report-computed"),
    *router.urls,
]
