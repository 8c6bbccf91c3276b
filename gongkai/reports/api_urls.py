"""Read-only API of annual reports (``/api/reports/``): no endpoint writes a status or a signature."""

from __future__ import annotations

from typing import Any

import django_filters
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from gongkai.accounts.scoping import visible_agencies
from gongkai.cases.api_urls import MAX_ID, IdFilter, StrictParameters, YearFilter
from gongkai.core.api_scopes import Scope
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.reports.compute import compute_report
from gongkai.reports.models import FIRST_YEAR, LAST_YEAR, AnnualReportRecord, ReportStatusChoices
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


class RecordApiFilter(StrictParameters, django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no stubs
    agency = IdFilter(label="机构", field_name="agency_id", help_text="机构 id")
    year = YearFilter(label="年度", field_name="year")
    status = django_filters.ChoiceFilter(label="状态", choices=ReportStatusChoices.choices)

    class Meta:
        model = AnnualReportRecord
        fields = ["agency", "year", "status"]


class AnnualReportRecordViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = AnnualReportRecordSerializer
    filterset_class = RecordApiFilter
    token_scopes = {"GET": Scope.REPORTS_READ, "HEAD": Scope.REPORTS_READ}

    def get_queryset(self) -> Any:
        qs = records_visible_to(self.request.user)
        if getattr(self.request.user, "reads_published_only", False):  # another system's token
            qs = qs.filter(status=ReportStatus.PUBLISHED.value)
        return qs.order_by("agency_id", "-year", "-version")


def _number(text: str, low: int, high: int) -> int:
    """A path segment as an integer in ``low..high``; anything else names no report (404)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 19 and low <= int(text) <= high):
        raise Http404
    return int(text)


class ComputedReportView(APIView):
    """``GET /api/reports/computed/<agency>/<year>/``: the tables computed from the records now.

    A year outside 2008–2100 (no report exists before the 条例) or an agency the user may not
    see is a 404.
    """

    token_scopes = {"GET": Scope.REPORTS_READ, "HEAD": Scope.REPORTS_READ}

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        description="gongkai.annual-report/1",
        parameters=[
            OpenApiParameter(
                "agency_id",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                OpenApiParameter.PATH,
                description="机构 id",
            ),
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                OpenApiParameter.PATH,
                description=f"报告年度（{FIRST_YEAR}–{LAST_YEAR}）",
            ),
        ],
    )
    def get(self, request: Request, agency_id: str, year: str) -> Response:
        agency = get_object_or_404(visible_agencies(request.user), pk=_number(agency_id, 1, MAX_ID))
        return Response(compute_report(agency, _number(year, FIRST_YEAR, LAST_YEAR)).to_dict())


router = DefaultRouter()
router.register("records", AnnualReportRecordViewSet, basename="report-record")

urlpatterns = [
    # Any segment reaches the view, so a malformed number is the API's JSON 404, not the HTML one.
    re_path(r"^computed/(?P<agency_id>[^/]+)/(?P<year>[^/]+)/$", ComputedReportView.as_view(), name="report-computed"),
    *router.urls,
]
