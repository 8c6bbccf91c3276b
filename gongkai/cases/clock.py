"""A case's statutory clock: its stored rows as the core's clock events, and the due date.

The rules are ``gongkai.core.deadlines``; this module only reads the case (receipt date, 补正,
consultations, the approved extension, fee notices, 延迟答复, 当场答复) and hands it over.

A date that runs into a year whose holiday arrangement is not published yet (legal spec §5.4)
cannot be final. Rather than refuse, the count assumes that year has no holidays (weekends
only) and the result is marked provisional (暂定) with the year named; loading the year
(``gongkai.workcalendar.services``) recomputes it.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings

from gongkai.cases.choices import ExtensionDecision
from gongkai.core.calendar import CalendarSource, CalendarYear, WorkingCalendar
from gongkai.core.deadlines import (
    AnsweredOnTheSpot,
    ClockEvent,
    Consultation,
    ConsultedParty,
    CorrectionReceived,
    CorrectionRequested,
    DeadlineResult,
    DelayedAnswer,
    Extension,
    FeeClockRule,
    FeeNotice,
    compute_deadline,
)
from gongkai.core.errors import CalendarYearMissing
from gongkai.workcalendar.provider import working_calendar

if TYPE_CHECKING:
    from gongkai.cases.models import Case

_T = TypeVar("_T")

#: How far past the last published year a count may run on assumed years.
MAX_ASSUMED_YEARS = 2

ASSUMED_SOURCE = CalendarSource(title="暂定：该年节假日安排尚未发布，暂按周六、周日休息计算")


def fee_clock_rule() -> FeeClockRule:
    """Whether the fee period stops the clock: spec §2.4 [U]; setting ``GONGKAI_FEE_CLOCK_RULE``."""
    return FeeClockRule(getattr(settings, "GONGKAI_FEE_CLOCK_RULE", FeeClockRule.SUSPENDED.value))


def assumed_year(year: int) -> CalendarYear:
    """A year with no declared dates, for counts that cannot wait for the notice."""
    return CalendarYear(year, ASSUMED_SOURCE, (), origin=f"{year}年（暂定）")


_assumed_lock = threading.Lock()
_assumed_calendars: weakref.WeakKeyDictionary[WorkingCalendar, dict[tuple[int, ...], WorkingCalendar]] = (
    weakref.WeakKeyDictionary()
)


def _calendar_assuming(calendar: WorkingCalendar, years: tuple[int, ...]) -> WorkingCalendar:
    """``calendar`` plus assumed ``years``, built once per calendar (a rebuild costs ~15 ms)."""
    with _assumed_lock:
        built = _assumed_calendars.setdefault(calendar, {})
        found = built.get(years)
        if found is None:
            data = [calendar.year_data(y) for y in sorted(calendar.known_years)]
            found = WorkingCalendar([*data, *(assumed_year(y) for y in years)], package_data=False)
            built[years] = found
        return found


def with_assumed_years(
    calendar: WorkingCalendar, compute: Callable[[WorkingCalendar], _T]
) -> tuple[_T, tuple[int, ...]]:
    """``compute(calendar)``; on a missing year after the last known one, retry with it assumed.

    Returns the result and the years that were assumed (empty when the result is final). A
    missing year before the known ones (a date before 2004) is an error, raised as is.
    """
    current = calendar
    assumed: tuple[int, ...] = ()
    while True:
        try:
            return compute(current), assumed
        except CalendarYearMissing as exc:
            known = current.known_years
            if not known or exc.year <= max(known) or len(assumed) >= MAX_ASSUMED_YEARS:
                raise
            assumed = (*assumed, exc.year)
            current = _calendar_assuming(calendar, assumed)


def nth_working_day_after(d: date, n: int, calendar: WorkingCalendar | None = None) -> tuple[date, bool]:
    """The n-th working day after ``d`` (spec §5.2) and whether it is provisional."""
    cal = calendar or working_calendar()
    day, assumed = with_assumed_years(cal, lambda c: c.nth_working_day_after(d, n))
    return day, bool(assumed)


def working_days_between(a: date, b: date, calendar: WorkingCalendar | None = None) -> int:
    """Working days in (a, b] on the official calendar, assumed years allowed."""
    cal = calendar or working_calendar()
    return with_assumed_years(cal, lambda c: c.working_days_between(a, b))[0]


def clock_events(case: Case) -> list[ClockEvent]:
    """The case's rows as the core's clock events (条例 arts 30–35)."""
    events: list[ClockEvent] = []
    if case.answered_on_the_spot:
        return [AnsweredOnTheSpot()]
    if case.correction_requested_on is not None:
        events.append(CorrectionRequested(case.correction_requested_on, case.correction_reply_by))
    if case.correction_received_on is not None:
        events.append(CorrectionReceived(case.correction_received_on))
    events.extend(Consultation(c.sent_on, c.ended_on, ConsultedParty(c.party)) for c in case.consultations.all())
    events.extend(
        Extension(x.days, x.decided_on)
        for x in case.extensions.all()
        if x.decision == ExtensionDecision.APPROVED and x.decided_on is not None
    )
    events.extend(FeeNotice(f.notified_on, f.paid_on) for f in case.fee_notices.all())
    if case.delay_decided_on is not None and case.delayed_due_on is not None:
        events.append(DelayedAnswer(case.delay_decided_on, case.delayed_due_on))
    return events


@dataclass(frozen=True)
class CaseClock:
    """The core's result for a case, plus the years assumed because they are not published."""

    result: DeadlineResult | None
    assumed_years: tuple[int, ...] = ()

    @property
    def due_on(self) -> date | None:
        return self.result.due_on if self.result is not None else None

    @property
    def provisional(self) -> bool:
        return bool(self.assumed_years) or (self.result is not None and self.result.provisional)

    @property
    def note(self) -> str:
        """Why the date is provisional (empty when it is final)."""
        parts = [f"{y}年节假日安排尚未发布，暂按周末计算" for y in self.assumed_years]
        if self.result is not None and self.result.provisional:
            parts.append("征求意见或缴费尚未结束，按其期限暂计")
        return "；".join(parts)

    def explain(self) -> str:
        if self.result is None:
            return "答复期限：尚未起算（收到申请之日尚未确认，条例第三十一条）"
        lines = self.result.explain().splitlines()
        if self.assumed_years:
            marks = tuple(f"  {y}-" for y in self.assumed_years)
            lines = [f"{line}（暂定：该年节假日安排未发布）" if line.startswith(marks) else line for line in lines]
            lines.append("注意：" + self.note + "（暂定）")
        return "\n".join(lines)


def compute_case_clock(
    case: Case, *, today: date, explain: bool = False, calendar: WorkingCalendar | None = None
) -> CaseClock:
    """The answer due date of ``case`` as of ``today``: ``gongkai.core.deadlines.compute_deadline``."""
    if case.received_on is None:
        return CaseClock(None)
    received_on = case.received_on
    events = clock_events(case)
    rule = fee_clock_rule()
    result, assumed = with_assumed_years(
        calendar or working_calendar(),
        lambda c: compute_deadline(received_on, events, calendar=c, fee_rule=rule, as_of=today, explain=explain),
    )
    return CaseClock(result, assumed)
