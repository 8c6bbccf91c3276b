"""A case's statutory clock: its stored rows as the core's clock events, and the due date.

The rules are ``gongkai.core.deadlines``; this module only reads the case (receipt date, 补正,
consultations, the approved extension, fee notices, 延迟答复, 当场答复) and hands it over.

A date that runs into a year whose holiday arrangement is not published yet (legal spec §5.4)
cannot be final: the policy is the core's (``gongkai.core.calendar.with_assumed_years``), and
this module marks such a result provisional (暂定) with the year named; loading the year
(``gongkai.cases.due_dates.load_calendar_year``) recomputes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings

from gongkai.cases.choices import ExtensionDecision
from gongkai.core.calendar import WorkingCalendar, with_assumed_years
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
from gongkai.workcalendar.provider import working_calendar

if TYPE_CHECKING:
    from gongkai.cases.models import Case


def fee_clock_rule() -> FeeClockRule:
    """Whether the fee period stops the clock: spec §2.4 [U]; setting ``GONGKAI_FEE_CLOCK_RULE``."""
    return FeeClockRule(getattr(settings, "GONGKAI_FEE_CLOCK_RULE", FeeClockRule.SUSPENDED.value))


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
        parts = [f"{y}年节假日安排尚未发布，暂按法定假日和周末计算，补假、调休未知" for y in self.assumed_years]
        if self.result is not None and self.result.provisional:
            parts.append("征求意见或缴费尚未结束，按其期限暂计")
        return "；".join(parts)

    def explain(self) -> str:
        if self.result is None:
            return "答复期限：尚未起算（收到申请之日尚未确认，条例第三十一条）"
        lines = self.result.explain().splitlines()
        if self.assumed_years:
            marks = tuple(f"  {y}年" for y in self.assumed_years)
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
