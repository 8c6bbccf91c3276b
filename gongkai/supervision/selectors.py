"""Reads of 年报监督, all through ``visible_to`` (gongkai.accounts.scoping)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.core.report.crosscheck import YearComparison, compare_years, same_agency
from gongkai.core.report.model import AnnualReport
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch


def batches_for(user: Any) -> QuerySet[ReportBatch]:
    """Batches ``user`` may see, newest first, with counts by status (one query)."""
    return (
        ReportBatch.objects.visible_to(user)
        .select_related("agency", "uploaded_by")
        .annotate(
            n_files=Count("files"),
            n_consistent=Count("files", filter=Q(files__status=ReadStatus.CONSISTENT)),
            n_errors=Count("files", filter=Q(files__status=ReadStatus.ERRORS)),
            n_warnings=Count("files", filter=Q(files__status=ReadStatus.WARNINGS)),
            n_unreadable=Count("files", filter=Q(files__status=ReadStatus.UNREADABLE)),
        )
        .order_by("-created_at", "-id")
    )


def reports_for(user: Any) -> QuerySet[ReadReport]:
    return ReadReport.objects.visible_to(user)


def agency_years(user: Any, *, agency_id: int | None = None, name: str = "") -> tuple[list[ReadReport], YearComparison]:
    """One agency's read reports that ``user`` may see (the newest read of each year), and the years compared.

    The agency is a matched one (``agency_id``) or, for reports not matched to the database, a
    name as read (same name or one the tail of the other).
    """
    rows = ReadReport.objects.readable().visible_to(user).select_related("batch").order_by("-batch__created_at", "-id")
    if agency_id is not None:
        rows = rows.filter(matched_agency_id=agency_id)
        chosen = list(rows)
    else:
        chosen = [r for r in rows.filter(matched_agency__isnull=True) if name and same_agency(r.agency_name, name)]
    newest: dict[int, ReadReport] = {}
    for row in chosen:
        if row.year is not None and row.year not in newest:
            newest[row.year] = row
    ordered = [newest[y] for y in sorted(newest)]
    comparison = compare_years([AnnualReport.from_dict(r.report) for r in ordered])
    return ordered, comparison
