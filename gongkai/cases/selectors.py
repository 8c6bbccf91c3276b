"""Reads over cases: the year's figures for the annual report, the desk's buckets, flags, 复议/诉讼期限.

Every function takes a queryset already scoped by ``Case.objects.visible_to(user)`` or an agency
the caller may read; none of them widens a scope.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import Count, F, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.cases.clock import nth_working_day_after
from gongkai.cases.figures import compute_table3, compute_table4
from gongkai.cases.models import RUNNING_STATUS_VALUES, Case, CaseQuerySet, CaseTransfer, Review
from gongkai.core.case_flow import Status
from gongkai.core.outcomes import Outcome
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import (
    ReportFormat,
    ReviewKind,
    ReviewResult,
)
from gongkai.core.review_deadlines import ReviewDeadline, review_deadlines, review_first_warning
from gongkai.web.panels import Panel, PanelProvider
from gongkai.workcalendar.provider import working_calendar

# ---------------------------------------------------------------------------------------------
# The year's figures (annual report tables 三 and 四)
# ---------------------------------------------------------------------------------------------


@dataclass
class YearFigures:
    """Table 三 and table 四 counts of one agency's year, in the report data type's shape.

    ``table3``: row key → 7 numbers (six applicant columns, then 总计); ``table4``: review kind →
    {upheld, corrected, other, pending, total}.
    """

    agency: str
    year: int
    table3: dict[str, list[int]]
    table4: dict[str, dict[str, int]]
    queries: int = 0

    def to_report(self, fmt: ReportFormat = ReportFormat.F2021) -> AnnualReport:
        """An :class:`AnnualReport` with these tables (table 二 zero: it is not counted from cases)."""
        report = AnnualReport.zero(fmt, agency=self.agency, year=self.year)
        report.table3 = {key: list(values) for key, values in self.table3.items()}
        report.table4 = {group: dict(values) for group, values in self.table4.items()}
        return report


def table3_counts(agency: Agency, year: int) -> dict[str, list[int]]:
    """Table 三 of ``agency``'s ``year``: the one aggregate of :mod:`gongkai.cases.figures`."""
    return {key: [c or 0 for c in cells] for key, cells in compute_table3(agency, year).items()}


def table4_counts(agency: Agency, year: int) -> dict[str, dict[str, int]]:
    """Table 四 of ``agency``'s ``year``: the one aggregate of :mod:`gongkai.cases.figures`."""
    return {kind: {k: v or 0 for k, v in values.items()} for kind, values in compute_table4(agency, year).items()}


def year_figures(agency: Agency, year: int) -> YearFigures:
    """Tables 三 and 四 of ``agency``'s ``year``: one aggregate query per table."""
    return YearFigures(agency.name, year, table3_counts(agency, year), table4_counts(agency, year))


# ---------------------------------------------------------------------------------------------
# The desk: due soon and overdue, in working days
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskDays:
    """The bucket limits of a day: T-2 and T-5 are the 2nd and 5th working day after today."""

    today: date
    t2: date
    t5: date
    provisional: bool = False

    @classmethod
    def of(cls, today: date) -> DeskDays:
        calendar = working_calendar()
        t2, p2 = nth_working_day_after(today, 2, calendar)
        t5, p5 = nth_working_day_after(today, 5, calendar)
        return cls(today, t2, t5, p2 or p5)

    def bucket(self, due_on: date | None) -> str:
        if due_on is None or due_on > self.t5:
            return ""
        if due_on < self.today:
            return "overdue"
        if due_on == self.today:
            return "today"
        return "t2" if due_on <= self.t2 else "t5"

    def bucket_filters(self) -> dict[str, Q]:
        """:meth:`bucket` in SQL, per bucket key, for cases already due by T-5."""
        return {
            "overdue": Q(due_on__lt=self.today),
            "today": Q(due_on=self.today),
            "t2": Q(due_on__gt=self.today, due_on__lte=self.t2),
            "t5": Q(due_on__gt=self.t2),
        }


BUCKET_LABELS: dict[str, str] = {
    "overdue": "已逾期",
    "today": "今日到期",
    "t2": "2个工作日内到期",
    "t5": "5个工作日内到期",
}


@dataclass
class DepartmentLoad:
    department: str
    overdue: int = 0
    today: int = 0
    t2: int = 0
    t5: int = 0
    open: int = 0


def department_loads(cases: CaseQuerySet, days: DeskDays) -> list[DepartmentLoad]:
    """Per department: running cases overdue, due today, within T-2, within T-5, and all open (one query)."""
    rows = (
        cases.open()
        .values("department__name")
        .annotate(
            n_overdue=Count("id", filter=Q(_running_q(), due_on__lt=days.today)),
            n_today=Count("id", filter=Q(_running_q(), due_on=days.today)),
            n_t2=Count("id", filter=Q(_running_q(), due_on__gt=days.today, due_on__lte=days.t2)),
            n_t5=Count("id", filter=Q(_running_q(), due_on__gt=days.t2, due_on__lte=days.t5)),
            n_open=Count("id"),
        )
        .order_by("department__name")
    )
    return [
        DepartmentLoad(
            row["department__name"] or "（未分办）",
            row["n_overdue"],
            row["n_today"],
            row["n_t2"],
            row["n_t5"],
            row["n_open"],
        )
        for row in rows
    ]


def _running_q() -> Q:
    return Q(status__in=RUNNING_STATUS_VALUES, due_on__isnull=False)


#: The columns a desk line reads (cases/desk.html): anything else would be one query per line.
DESK_LINE_FIELDS = (
    "number",
    "applicant_name",
    "status",
    "due_on",
    "due_is_provisional",
    "department__name",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__full_name",
)


class Urgent(list[Case]):
    """A desk bucket's most urgent cases (a list, at most the desk's limit) and ``total``: how
    many the bucket holds in all."""

    total: int = 0


def most_urgent(cases: CaseQuerySet, days: DeskDays, limit: int) -> dict[str, Urgent]:
    """Per bucket, the ``limit`` running cases due soonest (by due date, then id) and the bucket's
    count, in two queries that read the open cases' index (``case_open_idx``) alone: the counts
    per bucket, then the rows of the ids the database ranks first in each bucket
    (``row_number()`` over the index's due dates and ids). A province agency has hundreds of
    cases overdue or due by T-5; the desk shows 50 of each (its list has them all), and only
    those rows are read from the table.
    """
    soon = cases.running().filter(due_on__lte=days.t5)
    filters = days.bucket_filters()
    counts = soon.aggregate(**{key: Count("pk", filter=q) for key, q in filters.items()})
    out = {key: Urgent() for key in BUCKET_LABELS}
    for key in BUCKET_LABELS:
        out[key].total = counts[key] or 0
    if not any(counts.values()):
        return out
    bucket = DbCase(*(When(q, then=Value(n)) for n, q in enumerate(filters.values())))
    ranked = (
        soon.annotate(desk_bucket=bucket)
        .annotate(
            desk_rank=Window(RowNumber(), partition_by=[F("desk_bucket")], order_by=[F("due_on").asc(), F("pk").asc()])
        )
        .filter(desk_rank__lte=limit)
        .values("pk")
    )
    qs = (
        Case.objects.filter(pk__in=ranked)
        .select_related("department", "assigned_to")
        # What the desk's lines show (number, applicant, due date, department, officer).
        .only(*DESK_LINE_FIELDS)
        .order_by("due_on", "pk")
    )
    for case in qs:
        out[days.bucket(case.due_on)].append(case)
    return out


def due_soon(cases: CaseQuerySet, days: DeskDays) -> dict[str, list[Case]]:
    """Running cases due by T-5 (overdue included), by bucket, most urgent first (one query)."""
    out: dict[str, list[Case]] = {key: [] for key in BUCKET_LABELS}
    qs = (
        cases.running().filter(due_on__lte=days.t5).select_related("department", "assigned_to").order_by("due_on", "pk")
    )
    for case in qs:
        out[days.bucket(case.due_on)].append(case)
    return out


# ---------------------------------------------------------------------------------------------
# Flags: repeated applications (条例 art 36(6)), monthly counts (art 35; fees)
# ---------------------------------------------------------------------------------------------

REPEAT_WINDOW = timedelta(days=365)
REPEAT_THRESHOLD = 0.5


def _squash(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def text_similarity(a: str, b: str) -> float:
    """How alike two requests are, 0–1: the larger of the character-bigram Jaccard index and
    difflib's ratio, on the texts without spaces and punctuation (robust to reordering and to
    small edits)."""
    x, y = _squash(a), _squash(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    bx = {x[i : i + 2] for i in range(len(x) - 1)} or {x}
    by = {y[i : i + 2] for i in range(len(y) - 1)} or {y}
    jaccard = len(bx & by) / len(bx | by)
    return max(jaccard, difflib.SequenceMatcher(None, x, y, autojunk=False).ratio())


def _reference_day(case: Case) -> date:
    from django.utils import timezone

    return case.received_on or timezone.localtime(case.submitted_at).date()


@dataclass
class RepeatCandidate:
    case: Case
    similarity: float


def repeat_candidates(case: Case, *, threshold: float = REPEAT_THRESHOLD) -> list[RepeatCandidate]:
    """Earlier applications of the same applicant at this agency within 12 months with a similar
    request: likely 重复申请 (条例 art 36(6)) — a hint for the officer, not a decision."""
    if not case.applicant_key:
        return []
    ref = _reference_day(case)
    earlier = (
        Case.objects.filter(
            agency_id=case.agency_id,
            applicant_key=case.applicant_key,
            received_on__gte=ref - REPEAT_WINDOW,
            received_on__lte=ref,
        )
        .exclude(pk=case.pk)
        .only("pk", "number", "request_description", "received_on", "status", "outcome")
        .order_by("-received_on")
    )
    found = [RepeatCandidate(c, text_similarity(case.request_description, c.request_description)) for c in earlier]
    return sorted((f for f in found if f.similarity >= threshold), key=lambda f: -f.similarity)


def _month(ref: date) -> tuple[date, date]:
    first = ref.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def applicant_month_count(case: Case) -> int:
    """Applications of the same applicant at this agency received in the case's natural month
    (this one included): the 数量、频次 of 条例 art 35 and the 按件 fee count."""
    if not case.applicant_key:
        return 1
    first, last = _month(_reference_day(case))
    return (
        Case.objects.filter(
            agency_id=case.agency_id, applicant_key=case.applicant_key, received_on__gte=first, received_on__lte=last
        )
        .exclude(pk=case.pk)
        .count()
        + 1
    )


def applicant_earlier_pieces(case: Case) -> int:
    """件 the applicant already had counted at this agency earlier in the same natural month
    (国办函〔2020〕109号 art 4: the month's cumulative count decides each 件's price)."""
    if not case.applicant_key or case.received_on is None:
        return 0
    first, _ = _month(case.received_on)
    earlier = Case.objects.filter(agency_id=case.agency_id, applicant_key=case.applicant_key).filter(
        Q(received_on__gte=first, received_on__lt=case.received_on) | Q(received_on=case.received_on, pk__lt=case.pk)
    )
    return int(earlier.aggregate(n=Sum("pieces"))["n"] or 0)


@dataclass
class CaseFlags:
    repeats: list[RepeatCandidate] = field(default_factory=list)
    month_count: int = 1

    @property
    def excessive(self) -> bool:
        """More than the fee-free 10 件 this month: 数量、频次 worth a look (art 35; fee tiers)."""
        from gongkai.core.fees import FREE_PIECES

        return self.month_count > FREE_PIECES


def case_flags(case: Case) -> CaseFlags:
    return CaseFlags(repeat_candidates(case), applicant_month_count(case))


def open_counts(cases: QuerySet[Case], days: DeskDays) -> dict[str, int]:
    """Counts for the home panel in one query."""
    running = _running_q()
    # Every count is of open cases: reading only those, the open cases' index answers.
    return cases.exclude(status=Status.CLOSED).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=running & Q(due_on__lt=days.today)),
        due_t2=Count("id", filter=running & Q(due_on__gte=days.today, due_on__lte=days.t2)),
        awaiting_confirmation=Count("id", filter=Q(status=Status.AWAITING_CONFIRMATION)),
    )


# ---------------------------------------------------------------------------------------------
# More desk sections, from apps above cases (letters: issued but not served)
# ---------------------------------------------------------------------------------------------

_desk_providers: list[PanelProvider] = []


def register_desk_panels(provider: PanelProvider) -> None:
    """Add a section to the desk (/office/cases/); apps above cases call it in ``ready()``."""
    if provider not in _desk_providers:
        _desk_providers.append(provider)


def desk_panels(request: HttpRequest) -> list[Panel]:
    """The desk sections of every registered provider, by ``order``."""
    return sorted((p for provider in _desk_providers for p in provider(request)), key=lambda p: p.order)


#: A section of one case's page from an app above cases (letters: the 签批 history).
CasePanelProvider = Callable[[HttpRequest, Case], list[Panel]]
_case_providers: list[CasePanelProvider] = []


def register_case_panels(provider: CasePanelProvider) -> None:
    """Add a section to a case's page (/office/cases/<pk>/); apps above cases call it in ``ready()``."""
    if provider not in _case_providers:
        _case_providers.append(provider)


def case_panels(request: HttpRequest, case: Case) -> list[Panel]:
    """The case page's sections of every registered provider, by ``order``."""
    return sorted((p for provider in _case_providers for p in provider(request, case)), key=lambda p: p.order)


# ---------------------------------------------------------------------------------------------
# 复议/诉讼期限: the agency's own deadlines in reviews and lawsuits (行政复议法, 行政诉讼法 art 67)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDue:
    """One pending review's deadline, for the desk."""

    review: Review
    deadline: ReviewDeadline
    bucket: str


def review_deadlines_of(review: Review) -> tuple[ReviewDeadline, ...]:
    """The deadlines the review's recorded dates start (:func:`gongkai.core.review_deadlines.review_deadlines`)."""
    return review_deadlines(
        kind=ReviewKind(review.kind),
        filed_on=review.filed_on,
        calendar=working_calendar(),
        copy_received_on=review.copy_received_on,
        accepted_on=review.accepted_on,
        extended=review.decision_extended,
        simplified=review.simplified,
    )


def review_deadlines_due(reviews: QuerySet[Review], days: DeskDays) -> dict[str, list[ReviewDue]]:
    """Pending reviews' deadlines due by T-5 (overdue included), by the cases' buckets (one query).

    The reply or defence leaves the list once ``answered_on`` is recorded; the 复议机关's decision
    date stays until the review is concluded (follow-up).
    """
    out: dict[str, list[ReviewDue]] = {key: [] for key in BUCKET_LABELS}
    qs = reviews.filter(result=ReviewResult.PENDING).filter(
        Q(copy_received_on__isnull=False) | Q(accepted_on__isnull=False)
    )
    for review in qs.select_related("agency", "case"):
        for deadline in review_deadlines_of(review):
            if deadline.is_own_duty and review.answered_on is not None:
                continue
            bucket = days.bucket(deadline.due_on)
            if bucket:
                out[bucket].append(ReviewDue(review, deadline, bucket))
    for items in out.values():
        items.sort(key=lambda item: (item.deadline.due_on, item.review.pk))
    return out


def review_first_warning_for(review: Review) -> str:
    """The 复议前置 warning for a direct lawsuit against the linked case's 不予公开 (行政复议法 2023 art 23 ¶1(4))."""
    case = review.case
    if case is None or not case.outcome:
        return ""
    return review_first_warning(ReviewKind(review.kind), Outcome(case.outcome), case.closed_on)


@dataclass(frozen=True, slots=True)
class TransferLink:
    """One side's view of a 转办 (条例 art 36(5)): the other case's number, agency and status only.

    ``url`` is set only when ``user`` may read the other case itself (never across agencies:
    ``visible_to`` does not widen); ``reason`` and ``contact`` only on the sending side's own view.
    """

    direction: str  # "转出" or "转入"
    agency_name: str
    case_number: str
    status_label: str
    transferred_on: date
    original_received_on: date
    url: str = ""
    reason: str = ""
    contact: str = ""


def transfer_links(case: Case, user: Any) -> list[TransferLink]:
    """The transfers ``case`` is part of, as ``user`` may see them (:class:`TransferLink`)."""
    links: list[TransferLink] = []
    visible = CaseTransfer.objects.visible_to(user).select_related("from_case__agency", "to_case__agency")
    for t in visible.filter(Q(from_case=case) | Q(to_case=case)):
        outgoing = t.from_case_id == case.pk
        other = t.to_case if outgoing else t.from_case
        readable = other is not None and Case.objects.visible_to(user).filter(pk=other.pk).exists()
        links.append(
            TransferLink(
                direction="转出" if outgoing else "转入",
                agency_name=t.agency_name if outgoing else t.from_case.agency.name,
                case_number=other.number if other is not None else "",
                status_label=other.get_status_display() if other is not None else "",
                transferred_on=t.transferred_on,
                original_received_on=t.original_received_on,
                url=reverse("cases:detail", args=[other.pk]) if readable and other is not None else "",
                reason=t.reason if outgoing else "",
                contact=t.agency_contact if outgoing else "",
            )
        )
    return links
