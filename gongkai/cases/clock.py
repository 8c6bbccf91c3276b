"""A case's statutory clock: its stored rows as the core's clock events, and the due date.

The rules are ``gongkai.core.deadlines``; this module only reads the case (receipt date, 补正,
consultations, the approved extension, fee notices, 延迟答复, 当场答复) and hands it over.

A date that runs into a year whose holiday arrangement is not published yet (legal spec §5.4)
cannot be final: the policy is the core's (``gongkai.core.calendar.with_assumed_years``), and
this module marks such a result provisional (暂定) with the year named; loading the year
(``gongkai.cases.due_dates.load_calendar_year``) recomputes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

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


#: The case's own columns the clock reads (besides its consultations, extensions and fee notices).
CLOCK_COLUMNS = (
    "received_on",
    "answered_on_the_spot",
    "correction_requested_on",
    "correction_reply_by",
    "correction_received_on",
    "delay_decided_on",
    "delayed_due_on",
)


def clock_events(case: Case) -> list[ClockEvent]:
    """The case's rows as the core's clock events (条例 arts 30–35)."""
    return events_from(
        {name: getattr(case, name) for name in CLOCK_COLUMNS},
        consultations=[(c.sent_on, c.ended_on, c.party) for c in case.consultations.all()],
        extensions=[
            (x.days, x.decided_on)
            for x in case.extensions.all()
            if x.decision == ExtensionDecision.APPROVED and x.decided_on is not None
        ],
        fee_notices=[(f.notified_on, f.paid_on, f.served_on) for f in case.fee_notices.all()],
    )


def events_from(
    row: Mapping[str, Any],
    *,
    consultations: Iterable[tuple[date, date | None, str]],
    extensions: Iterable[tuple[int, date]],
    fee_notices: Iterable[tuple[date, date | None, date | None]],
) -> list[ClockEvent]:
    """Clock events from plain values: a case's ``CLOCK_COLUMNS`` and its rows (条例 arts 30–35).

    The one mapping from stored rows to the core's events; :func:`clock_events` feeds it a model
    instance, the bulk recompute (``cases.due_dates``) feeds it rows read as values.
    """
    if row["answered_on_the_spot"]:
        return [AnsweredOnTheSpot()]
    events: list[ClockEvent] = []
    if row["correction_requested_on"] is not None:
        events.append(CorrectionRequested(row["correction_requested_on"], row["correction_reply_by"]))
    if row["correction_received_on"] is not None:
        events.append(CorrectionReceived(row["correction_received_on"]))
    events.extend(Consultation(sent, ended, ConsultedParty(party)) for sent, ended, party in consultations)
    events.extend(Extension(days, decided_on) for days, decided_on in extensions)
    events.extend(FeeNotice(notified, paid, served) for notified, paid, served in fee_notices)
    if row["delay_decided_on"] is not None and row["delayed_due_on"] is not None:
        events.append(DelayedAnswer(row["delay_decided_on"], row["delayed_due_on"]))
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
    return clock_of(
        case.received_on,
        clock_events(case),
        today=today,
        calendar=calendar or working_calendar(),
        rule=fee_clock_rule(),
        explain=explain,
    )


def clock_of(
    received_on: date,
    events: list[ClockEvent],
    *,
    today: date,
    calendar: WorkingCalendar,
    rule: FeeClockRule,
    explain: bool = False,
) -> CaseClock:
    """The core's due date for a receipt date and its events, marking years not yet published."""
    result, assumed = with_assumed_years(
        calendar,
        lambda c: compute_deadline(received_on, events, calendar=c, fee_rule=rule, as_of=today, explain=explain),
    )
    return CaseClock(result, assumed)
