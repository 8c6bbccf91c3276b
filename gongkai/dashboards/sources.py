"""Each agency-year's annual report from the best source the system holds, for a user's reach.

The console, the trends and the roll-up read the same figures: a report signed on the system (its
签发 snapshot; the published version first), else the newest report a supervisor uploaded and the
reader matched to the agency. The current year to date comes from the records themselves
(``gongkai.cases.figures``), not from here. Everything is scoped by ``visible_to(user)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from gongkai.accounts.scoping import visible_agencies
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.reports.models import AnnualReportRecord
from gongkai.supervision.models import ReadReport


class ReportSource(StrEnum):
    """Where an agency-year's figures come from."""

    PUBLISHED = "published"  # signed and published on the system
    SIGNED = "signed"  # signed on the system, not (yet) published
    UPLOADED = "uploaded"  # read from a file a supervisor uploaded
    LIVE = "live"  # the current year to date, from the records

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS: dict[ReportSource, str] = {
    ReportSource.PUBLISHED: "系统内发布",
    ReportSource.SIGNED: "系统内签发",
    ReportSource.UPLOADED: "上传核对",
    ReportSource.LIVE: "本年实时",
}

#: Which source wins when an agency-year has several (lower first).
_RANK = {ReportSource.PUBLISHED: 0, ReportSource.SIGNED: 1, ReportSource.UPLOADED: 2, ReportSource.LIVE: 3}


@dataclass(frozen=True, slots=True)
class SourcedReport:
    """One agency-year's report and where it was taken from (a record or an uploaded file)."""

    agency_id: int
    year: int
    source: ReportSource
    report: AnnualReport
    record_id: int | None = None  # AnnualReportRecord
    read_report_id: int | None = None  # supervision ReadReport


def _better(new: SourcedReport, old: SourcedReport | None) -> bool:
    return old is None or _RANK[new.source] < _RANK[old.source]


def sourced_reports(user: Any, agency_ids: Iterable[int], years: Iterable[int]) -> dict[tuple[int, int], SourcedReport]:
    """``{(agency_id, year): SourcedReport}`` for the agencies among ``agency_ids`` that ``user``
    may read; agency-years with no signed or uploaded report are absent.

    Two queries (the records, the uploaded reads) whatever the number of agencies.
    """
    wanted_years = sorted(set(years))
    allowed = set(visible_agencies(user).filter(pk__in=list(agency_ids)).values_list("pk", flat=True))
    found: dict[tuple[int, int], SourcedReport] = {}
    if not allowed or not wanted_years:
        return found
    records = (
        AnnualReportRecord.objects.visible_to(user)
        .filter(agency_id__in=allowed, year__in=wanted_years, snapshot__isnull=False)
        .filter(status__in=[ReportStatus.SIGNED_OFF, ReportStatus.PUBLISHED])
        .order_by("-version")
        .values("pk", "agency_id", "year", "status", "snapshot")
    )
    for row in records:
        source = ReportSource.PUBLISHED if row["status"] == ReportStatus.PUBLISHED else ReportSource.SIGNED
        key = (row["agency_id"], row["year"])
        candidate = SourcedReport(
            agency_id=row["agency_id"],
            year=row["year"],
            source=source,
            report=AnnualReport.from_dict(row["snapshot"]),
            record_id=row["pk"],
        )
        if _better(candidate, found.get(key)):
            found[key] = candidate
    reads = (
        ReadReport.objects.readable()
        .visible_to(user)
        .filter(matched_agency_id__in=allowed, year__in=wanted_years)
        .order_by("-batch__created_at", "-id")
        .values("pk", "matched_agency_id", "year", "report")
    )
    for read in reads:
        agency_id, year = read["matched_agency_id"], read["year"]
        if agency_id is None or year is None or (agency_id, year) in found:
            continue  # a signed record, or a newer upload, is already there
        found[(agency_id, year)] = SourcedReport(
            agency_id=agency_id,
            year=year,
            source=ReportSource.UPLOADED,
            report=AnnualReport.from_dict(read["report"]),
            read_report_id=read["pk"],
        )
    return found
