"""Reads of annual reports: scoped lists, the public list, last year's report, a year's overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.cases.models import Case, FeeNotice
from gongkai.core.deadlines import Channel
from gongkai.core.report.crosscheck.narrative import FeeTotals
from gongkai.core.report.due_dates import STATUTORY_BODIES, ReportingBody, ReportLateness, lateness
from gongkai.core.report.lifecycle import LOCKED_STATUSES, ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import TOTAL_COLUMN, Table3Key
from gongkai.reports.compute import compute_table3
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.narrative import (
    Accountability,
    ContactCheckFact,
    Inspection,
    ReportFacts,
    Training,
    WorkFacts,
)
from gongkai.reports.table2 import published_items
from gongkai.reports.work_models import AccountabilityCase, ContactCheck, SelfInspection, StaffMember, TrainingSession

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def records_visible_to(user: User | AnonymousUser | None) -> QuerySet[AnnualReportRecord]:
    """Every report version ``user`` may read (accounts.scoping: own agency, or a supervisor's subtree)."""
    return AnnualReportRecord.objects.visible_to(user).select_related("agency", "signed_by")


def find_agency(name_or_code: str) -> Agency | None:
    """The agency with this code, full name or (unambiguous) short name."""
    text = name_or_code.strip()
    found = Agency.objects.filter(code=text).first() or Agency.objects.filter(name=text).first()
    if found is None:
        by_short = list(Agency.objects.filter(short_name=text)[:2])
        found = by_short[0] if len(by_short) == 1 else None
    return found


def versions(agency: Agency, year: int) -> QuerySet[AnnualReportRecord]:
    """Every version of ``agency``'s report for ``year``, newest first."""
    return AnnualReportRecord.objects.filter(agency=agency, year=year).select_related("signed_by").order_by("-version")


def published_reports(agency: Agency) -> QuerySet[AnnualReportRecord]:
    """The public list: for each year the newest published version of ``agency``'s report (portal).

    A published version stays listed until a newer version is itself published; a correction
    still in draft does not take it off the portal.
    """
    return (
        AnnualReportRecord.objects.published()
        .filter(agency=agency)
        .exclude(superseded_by__status=ReportStatus.PUBLISHED)
        .select_related("agency")
        .order_by("-year")
    )


def published_report(agency: Agency, pk: int) -> AnnualReportRecord | None:
    """One report of :func:`published_reports` (any published version, for links that stay valid)."""
    return AnnualReportRecord.objects.published().filter(agency=agency, pk=pk).select_related("agency").first()


def latest_locked(agency: Agency, year: int) -> AnnualReportRecord | None:
    """The newest signed-off or published version of ``agency``'s report for ``year``."""
    return (
        AnnualReportRecord.objects.filter(agency=agency, year=year, status__in=LOCKED_STATUSES)
        .order_by("-version")
        .first()
    )


def previous_year_report(agency: Agency, year: int) -> AnnualReport | None:
    """Last year's report as signed off (for the year-on-year checks, V6), or None."""
    record = latest_locked(agency, year - 1)
    return record.snapshot_report() if record is not None else None


def peer_sections(agency: Agency, year: int) -> list[tuple[str, dict[str, str]]]:
    """The signed-off narratives for ``year`` of ``agency``'s sibling agencies (same parent), newest
    version each, for the copy warnings: 雷同 is what agencies under one 主管部门 copy from each other."""
    seen: set[int] = set()
    out: list[tuple[str, dict[str, str]]] = []
    rows = (
        AnnualReportRecord.objects.filter(year=year, status__in=LOCKED_STATUSES, agency__parent_id=agency.parent_id)
        .exclude(agency=agency)
        .order_by("agency_id", "-version")
        .values_list("agency_id", "agency__name", "snapshot__sections")
    )
    for agency_id, name, sections in rows:
        if agency_id in seen:
            continue
        seen.add(agency_id)
        out.append((f"{name}{year}年报告", dict(sections or {})))
    return out


def report_facts(agency: Agency, year: int) -> ReportFacts:
    """What the records say about ``agency``'s year, for the first draft of the narrative."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table3 = compute_table3(agency, year)
    channels = dict(
        Case.objects.filter(agency=agency, received_on__gte=first, received_on__lte=last)
        .order_by()
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    fees = _fees(agency, year)
    staff = User.objects.filter(agency=agency, role=Role.OFFICER, is_active=True).count()
    trainings, work = _work_facts(agency, year)
    return ReportFacts(
        agency=agency.name,
        short_name=agency.short_name,
        year=year,
        published_items=published_items(agency, year),
        new=table3[Table3Key.NEW][TOTAL_COLUMN] or 0,
        carried_over=table3[Table3Key.CARRIED_OVER][TOTAL_COLUMN] or 0,
        closed=table3[Table3Key.TOTAL][TOTAL_COLUMN] or 0,
        carried_forward=table3[Table3Key.CARRIED_FORWARD][TOTAL_COLUMN] or 0,
        by_channel=tuple((c.label, channels[c.value]) for c in Channel if channels.get(c.value)),
        fee_notices=fees.notices,
        fee_amount=fees.amount,
        fee_collected=fees.collected,
        staff=staff or None,
        trainings=trainings,
        work=work,
    )


def _fees(agency: Agency, year: int) -> FeeTotals:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    fees = FeeNotice.objects.filter(case__agency=agency, notified_on__gte=first, notified_on__lte=last).aggregate(
        n=Count("id"), amount=Sum("amount"), collected=Sum("amount_collected")
    )
    return FeeTotals(fees["n"] or 0, Decimal(fees["amount"] or 0), Decimal(fees["collected"] or 0))


def fee_totals(agency: Agency, year: int) -> FeeTotals:
    """The fee notices of the year as the records hold them (国办函〔2020〕109号)."""
    return _fees(agency, year)


def _day(on: dt.date) -> str:
    return f"{on.month}月{on.day}日"


def _work_facts(agency: Agency, year: int) -> tuple[tuple[Training, ...] | None, WorkFacts | None]:
    """The year's work records as facts for the narrative (条例 art 50; 国办公开办函〔2021〕30号)."""
    trainings = tuple(
        Training(_day(t.on), t.topic, t.attendees) for t in TrainingSession.objects.filter(agency=agency, on__year=year)
    )
    inspections = tuple(
        Inspection(_day(i.on), i.scope, i.findings, i.rectified)
        for i in SelfInspection.objects.filter(agency=agency, on__year=year)
    )
    accountability = tuple(
        Accountability(_day(a.on), a.subject, a.measure, a.persons)
        for a in AccountabilityCase.objects.filter(agency=agency, on__year=year)
    )
    checks = tuple(
        ContactCheckFact(_day(c.on), c.get_kind_display(), c.result, c.ok)
        for c in ContactCheck.objects.filter(agency=agency, on__year=year)
    )
    roster = tuple(
        (m.name, m.post, m.full_time)
        for m in StaffMember.objects.filter(agency=agency, on__lte=dt.date(year, 12, 31)).exclude(
            left_on__lt=dt.date(year, 1, 1)
        )
    )
    work = WorkFacts(inspections, accountability, checks, roster)
    return trainings or None, work if (inspections or accountability or checks or roster) else None


# ---------------------------------------------------------------------------------------------
# A year's overview: per agency, where its report stands and whether it is late (条例 art 49)
# ---------------------------------------------------------------------------------------------


#: The kind of body each administrative level reports as, for its 条例 art 49 deadline.
REPORTING_BODIES: dict[AgencyLevel, ReportingBody] = {
    AgencyLevel.PROVINCE: ReportingBody.LOCAL_GOVERNMENT,
    AgencyLevel.CITY: ReportingBody.LOCAL_GOVERNMENT,
    AgencyLevel.COUNTY: ReportingBody.LOCAL_GOVERNMENT,
    AgencyLevel.TOWNSHIP: ReportingBody.TOWNSHIP,
    AgencyLevel.DEPARTMENT: ReportingBody.DEPARTMENT,
}


@dataclass(frozen=True, slots=True)
class AgencyYear:
    agency: Agency
    year: int
    current: AnnualReportRecord | None  # newest version
    published: AnnualReportRecord | None  # newest published version
    first_published_on: dt.date | None
    lateness: ReportLateness

    @property
    def status_label(self) -> str:
        if self.current is None:
            return "未编制"
        label = self.current.get_status_display()
        if self.current.version > 1:
            label += f"（第{self.current.version}版）"
        if self.published is not None and self.published is not self.current:
            label = f"已发布第{self.published.version}版；第{self.current.version}版{self.current.get_status_display()}"
        return label

    @property
    def due_basis(self) -> str:
        """Where the due date comes from: 条例 art 49, or the 乡镇/街道's own setting."""
        body = REPORTING_BODIES[AgencyLevel(self.agency.level)]
        if body in STATUTORY_BODIES:
            return "条例第四十九条"
        return "上级政府规定" if self.agency.report_due_setting is not None else "默认（未设置）"

    @property
    def badge(self) -> str:
        """CSS class of the status badge."""
        badges: dict[str, str] = {
            ReportStatus.PUBLISHED: "ok",
            ReportStatus.DRAFT: "warn",
            ReportStatus.SUBMITTED: "warn",
        }
        return badges.get(self.stage, "")

    @property
    def stage(self) -> str:
        """ "none", "draft", "signed_off" or "published": the furthest any version got."""
        if self.published is not None:
            return ReportStatus.PUBLISHED
        if self.current is None:
            return "none"
        return self.current.status


def year_overview(agencies: Iterable[Agency], year: int, *, today: dt.date) -> list[AgencyYear]:
    """Per agency: its report for ``year`` (newest version, newest published) and its lateness.

    Two queries whatever the number of agencies (the agencies, then all their versions).
    """
    agencies = list(agencies)
    by_agency: dict[int, list[AnnualReportRecord]] = {a.pk: [] for a in agencies}
    for record in AnnualReportRecord.objects.filter(agency__in=[a.pk for a in agencies], year=year).order_by(
        "-version"
    ):
        by_agency[record.agency_id].append(record)
    rows: list[AgencyYear] = []
    for agency in agencies:
        records = by_agency[agency.pk]
        published = [r for r in records if r.status == ReportStatus.PUBLISHED]
        first_published = min((r.published_at for r in published if r.published_at), default=None)
        first_on = timezone.localdate(first_published) if first_published else None
        rows.append(
            AgencyYear(
                agency=agency,
                year=year,
                current=records[0] if records else None,
                published=published[0] if published else None,
                first_published_on=first_on,
                lateness=lateness(
                    REPORTING_BODIES[AgencyLevel(agency.level)],
                    year,
                    published_on=first_on,
                    today=today,
                    setting=agency.report_due_setting,
                ),
            )
        )
    return rows


def overview_for(user: User | AnonymousUser | None, year: int, *, today: dt.date) -> list[AgencyYear]:
    """:func:`year_overview` of every agency ``user`` may read (a supervisor: its whole subtree)."""
    return year_overview(visible_agencies(user).order_by("path"), year, today=today)


def years_with_reports(agency: Agency) -> list[int]:
    return list(
        AnnualReportRecord.objects.filter(agency=agency).order_by("-year").values_list("year", flat=True).distinct()
    )
