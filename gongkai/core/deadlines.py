"""The statutory clock of a 依申请公开 case: 条例 arts 30–35 (legal spec §1.2, §2.4, §5.2).

:func:`compute_deadline` takes the receipt date, the case's clock events and a
:class:`~gongkai.core.calendar.WorkingCalendar`, and returns a :class:`DeadlineResult`: the
answer due date, the intermediate dates, whether the date is provisional, and (on request) a
day-by-day trace in Chinese. A date that needs a calendar year that is not loaded raises
:class:`~gongkai.core.errors.CalendarYearMissing`; the caller decides what to show.

Counting (spec §5.2 [D]): the start day is not counted; the due date is the N-th counted working
day after it. Paused ranges (consultations; the fee period under :attr:`FeeClockRule.SUSPENDED`)
are inclusive: no working day from START to END counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from gongkai.core.answer_periods import answer_periods
from gongkai.core.calendar import WorkingCalendar
from gongkai.core.deadline_trace import TraceDay, cn_date, trace_days
from gongkai.core.errors import DeadlineError
from gongkai.core.notice_periods import fee_payment_period
from gongkai.core.receipt import CHANNEL_LABELS as CHANNEL_LABELS
from gongkai.core.receipt import Channel as Channel
from gongkai.core.receipt import receipt_date as receipt_date

ANSWER_DAYS = 20  # 条例 art 33 ¶2
MAX_EXTENSION_DAYS = 20  # 条例 art 33 ¶2
CORRECTION_NOTICE_DAYS = 7  # 条例 art 30
CONSULTATION_REPLY_DAYS = 15  # 条例 arts 32, 34
FEE_PAYMENT_DAYS = 20  # fee notice → payment, spec §2.4 ([V] via Sichuan's restatement)

# ---------------------------------------------------------------------------------------------
# Clock events
# ---------------------------------------------------------------------------------------------


class FeeClockRule(StrEnum):
    """Whether the fee period stops the answer clock: spec §2.4 [U], a legal-review item."""

    SUSPENDED = "suspended"  # notice → payment not counted (default; unconfirmed reading)
    RUNNING = "running"  # the clock keeps running


class ConsultedParty(StrEnum):
    """Whom the agency consulted: 条例 art 32 (第三方) or art 34 (其他机关)."""

    THIRD_PARTY = "third_party"
    AGENCY = "agency"
    UNSPECIFIED = "unspecified"

    @property
    def label(self) -> str:
        return CONSULTED_LABELS[self]


CONSULTED_LABELS: dict[ConsultedParty, str] = {
    ConsultedParty.THIRD_PARTY: "第三方",
    ConsultedParty.AGENCY: "其他机关",
    ConsultedParty.UNSPECIFIED: "第三方或其他机关",
}


@dataclass(frozen=True, slots=True)
class CorrectionRequested:
    """补正告知 sent on ``on``; ``reply_by`` is the 补正期限 the agency set (条例 art 30)."""

    on: date
    reply_by: date | None = None


@dataclass(frozen=True, slots=True)
class CorrectionReceived:
    """The corrected application received on ``on``: the answer clock restarts (条例 art 30)."""

    on: date


@dataclass(frozen=True, slots=True)
class Consultation:
    """A 征求意见书 sent on ``start``, answered on ``end`` (None while open): 条例 arts 32–34."""

    start: date
    end: date | None = None
    party: ConsultedParty = ConsultedParty.UNSPECIFIED


@dataclass(frozen=True, slots=True)
class Extension:
    """An extension of ``days`` working days approved on ``decided_on``: 条例 art 33 ¶2."""

    days: int
    decided_on: date


@dataclass(frozen=True, slots=True)
class FeeNotice:
    """A 收费通知 sent on ``notified_on``, received on ``received_on``, paid on ``paid_on`` (spec §2.4).

    The payment period runs from ``received_on`` (``gongkai.core.notice_periods``); while it is
    unknown, from ``notified_on`` (provisional).
    """

    notified_on: date
    paid_on: date | None = None
    received_on: date | None = None


@dataclass(frozen=True, slots=True)
class DelayedAnswer:
    """A reasonable delayed answer date set by the agency on ``decided_on``: 条例 art 35."""

    decided_on: date
    due_on: date


@dataclass(frozen=True, slots=True)
class AnsweredOnTheSpot:
    """Answered 当场 on the day of receipt: 条例 art 33 ¶1."""


ClockEvent = (
    CorrectionRequested | CorrectionReceived | Consultation | Extension | FeeNotice | DelayedAnswer | AnsweredOnTheSpot
)

# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------


class MilestoneKind(StrEnum):
    """The dates a case's clock produces besides the answer due date."""

    CORRECTION_NOTICE_DUE = "correction_notice_due"
    CORRECTION_REPLY_BY = "correction_reply_by"
    CONSULTATION_REPLY_DUE = "consultation_reply_due"
    FEE_PAYMENT_DUE = "fee_payment_due"
    ANSWER_DUE_BEFORE_EXTENSION = "answer_due_before_extension"
    ANSWER_DUE_BEFORE_DELAY = "answer_due_before_delay"
    ANSWER_DUE = "answer_due"

    @property
    def label(self) -> str:
        return MILESTONE_LABELS[self][0]

    @property
    def basis(self) -> str:
        return MILESTONE_LABELS[self][1]


MILESTONE_LABELS: dict[MilestoneKind, tuple[str, str]] = {
    MilestoneKind.CORRECTION_NOTICE_DUE: ("补正告知期限", "条例第三十条：自收到申请之日起7个工作日内一次性告知"),
    MilestoneKind.CORRECTION_REPLY_BY: ("申请人补正期限", "条例第三十条：行政机关告知的合理补正期限"),
    MilestoneKind.CONSULTATION_REPLY_DUE: (
        "被征求意见方答复期限",
        "条例第三十二条、第三十四条：自收到征求意见书之日起15个工作日内提出意见",
    ),
    MilestoneKind.FEE_PAYMENT_DUE: ("缴费期限", "国办函〔2020〕109号：收到收费通知次日起20个工作日内缴纳"),
    MilestoneKind.ANSWER_DUE_BEFORE_EXTENSION: ("原答复期限（延长前）", "条例第三十三条第二款：20个工作日"),
    MilestoneKind.ANSWER_DUE_BEFORE_DELAY: ("第三十三条答复期限", "条例第三十三条"),
    MilestoneKind.ANSWER_DUE: ("答复期限", "条例第三十三条"),
}


@dataclass(frozen=True, slots=True)
class Milestone:
    kind: MilestoneKind
    day: date
    note: str = ""

    @property
    def label(self) -> str:
        return self.kind.label


class PauseReason(StrEnum):
    """Why days are not counted."""

    CONSULTATION = "consultation"  # 条例 art 33 ¶3
    FEE = "fee"  # spec §2.4 [U], under FeeClockRule.SUSPENDED


@dataclass(frozen=True, slots=True)
class Pause:
    """Days ``start``..``end`` inclusive are not counted; ``provisional`` when the end is assumed."""

    start: date
    end: date
    reason: PauseReason
    label: str
    provisional: bool = False

    @property
    def basis(self) -> str:
        return PAUSE_BASIS[self.reason]


PAUSE_BASIS: dict[PauseReason, str] = {
    PauseReason.CONSULTATION: "条例第三十三条第三款",
    PauseReason.FEE: "收费通知送达至缴费之日不计入答复期限（本机关适用的计算规则）",
}


@dataclass(frozen=True, slots=True)
class DeadlineResult:
    """The answer due date and how it came about.

    ``due_on`` is None while the application waits for the applicant's correction (the answer
    period only starts when the corrected application arrives, 条例 art 30). ``provisional`` is
    true when an open pause (consultation, unpaid fee) had to be given an assumed end.
    ``trace`` is empty unless :func:`compute_deadline` was asked to ``explain``.
    """

    received_on: date
    clock_start: date | None
    due_on: date | None
    provisional: bool
    milestones: tuple[Milestone, ...]
    pauses: tuple[Pause, ...] = ()
    warnings: tuple[str, ...] = ()
    trace: tuple[TraceDay, ...] = ()
    on_the_spot: bool = False

    def milestone(self, kind: MilestoneKind) -> date | None:
        """The first date of ``kind``, if any."""
        return next((m.day for m in self.milestones if m.kind is kind), None)

    @property
    def correction_notice_due(self) -> date | None:
        return self.milestone(MilestoneKind.CORRECTION_NOTICE_DUE)

    @property
    def due_before_extension(self) -> date | None:
        return self.milestone(MilestoneKind.ANSWER_DUE_BEFORE_EXTENSION)

    @property
    def fee_payment_due(self) -> date | None:
        return self.milestone(MilestoneKind.FEE_PAYMENT_DUE)

    def explain(self) -> str:
        """The result as printable Chinese text (dates as 2026年3月19日), then the day-by-day trace."""
        lines = []
        if self.due_on is None:
            lines.append("答复期限：尚未起算（等待申请人补正，条例第三十条）")
        else:
            lines.append(f"答复期限：{cn_date(self.due_on)}{'（暂定）' if self.provisional else ''}")
        lines.append(f"收到申请之日：{cn_date(self.received_on)}")
        lines.extend(
            f"{m.label}：{cn_date(m.day)}（{m.kind.basis}）{m.note}"
            for m in self.milestones
            if m.kind is not MilestoneKind.ANSWER_DUE
        )
        lines.extend(
            f"不计算期间：{cn_date(p.start)}至{cn_date(p.end)} {p.label}{'（暂定）' if p.provisional else ''}"
            for p in self.pauses
        )
        lines.extend(f"注意：{w}" for w in self.warnings)
        if self.trace:
            lines.append("逐日计算：")
            lines.extend("  " + t.line() for t in self.trace)
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The computation
# ---------------------------------------------------------------------------------------------


def compute_deadline(
    received_on: date,
    events: Iterable[ClockEvent] = (),
    *,
    calendar: WorkingCalendar,
    fee_rule: FeeClockRule = FeeClockRule.SUSPENDED,
    as_of: date | None = None,
    explain: bool = False,
) -> DeadlineResult:
    """Answer due date of an application: 条例 art 33 ¶2, ¶3 with arts 30, 32, 34, 35.

    - base: the 20th working day after the receipt date (art 33 ¶2);
    - 补正: the 7-working-day notice date (art 30); once the corrected application arrives the
      20 days start again from that day (art 30 "答复期限自…收到补正的申请之日起计算", R5 [D]);
    - consultations (arts 32, 34): their days are not counted (art 33 ¶3); an open one is assumed
      to last until the 15-working-day reply date (or ``as_of`` if later) and the result is
      provisional;
    - fee notice (spec §2.4): payment is due 20 working days after the notice; under
      ``FeeClockRule.SUSPENDED`` the days from notice to payment are not counted;
    - extension (art 33 ¶2): at most 20 working days, decided on or before the original due date;
    - delayed answer (art 35): the agency's date replaces the art 33 date;
    - 当场答复 (art 33 ¶1): due on the day of receipt.
    """
    evs = list(events)
    for ev in evs:
        for value in _event_dates(ev):
            if value < received_on:
                raise DeadlineError(
                    f"{_event_label(ev)}的日期 {value.isoformat()} 早于收到申请之日 {received_on.isoformat()}"
                )

    if any(isinstance(ev, AnsweredOnTheSpot) for ev in evs):
        if len(evs) > 1:
            raise DeadlineError("已当场答复的申请不能再有补正、征求意见、延期或收费等事项（条例第三十三条第一款）")
        result = DeadlineResult(
            received_on,
            received_on,
            received_on,
            False,
            (Milestone(MilestoneKind.ANSWER_DUE, received_on, "当场答复"),),
            on_the_spot=True,
        )
        if explain:
            info = calendar.day_kind(received_on)
            note = "收到申请，当场答复（条例第三十三条第一款）"
            result = _with_trace(result, (TraceDay(received_on, info.kind, None, note),))
        return result

    milestones: list[Milestone] = []
    warnings: list[str] = []

    # 补正 (art 30)
    requested = _single(evs, CorrectionRequested, "补正告知只能一次性作出（条例第三十条）")
    corrected = _single(evs, CorrectionReceived, "补正只能收到一次（条例第三十条一次性告知）")
    periods = answer_periods(received_on)
    notice_due = calendar.nth_working_day_after(received_on, CORRECTION_NOTICE_DAYS)
    if periods.has_correction_notice_period:
        milestones.append(
            Milestone(MilestoneKind.CORRECTION_NOTICE_DUE, notice_due, "" if requested else "（如需补正）")
        )
    if requested is not None:
        if requested.on > notice_due and periods.has_correction_notice_period:
            warnings.append(
                f"补正告知于 {requested.on.isoformat()} 发出，晚于法定的 {notice_due.isoformat()}（条例第三十条）"
            )
        if requested.reply_by is not None:
            if requested.reply_by < requested.on:
                raise DeadlineError(
                    f"补正期限 {requested.reply_by.isoformat()} 早于补正告知日 {requested.on.isoformat()}"
                )
            milestones.append(Milestone(MilestoneKind.CORRECTION_REPLY_BY, requested.reply_by))
        if corrected is not None and corrected.on < requested.on:
            raise DeadlineError(f"收到补正之日 {corrected.on.isoformat()} 早于补正告知日 {requested.on.isoformat()}")
    clock_start = corrected.on if corrected is not None else received_on
    if requested is not None and corrected is None:
        awaiting = DeadlineResult(received_on, None, None, False, tuple(milestones), (), tuple(warnings))
        if explain:
            last = max(m.day for m in milestones)
            awaiting = _with_trace(
                awaiting, _trace(awaiting, calendar, last, [], periods.base_days, None, requested.on)
            )
        return awaiting

    # Pauses: consultations (arts 32–34) and the fee period (spec §2.4)
    pauses: list[Pause] = []
    for c in (ev for ev in evs if isinstance(ev, Consultation)):
        reply_due = calendar.nth_working_day_after(c.start, CONSULTATION_REPLY_DAYS)
        milestones.append(Milestone(MilestoneKind.CONSULTATION_REPLY_DUE, reply_due, f"（征求{c.party.label}意见）"))
        if c.end is not None and c.end < c.start:
            raise DeadlineError(f"征求意见结束日 {c.end.isoformat()} 早于开始日 {c.start.isoformat()}")
        end = c.end if c.end is not None else max(reply_due, as_of or reply_due)
        pauses.append(Pause(c.start, end, PauseReason.CONSULTATION, f"征求{c.party.label}意见期间", c.end is None))
    for f in (ev for ev in evs if isinstance(ev, FeeNotice)):
        pay_due = fee_payment_period(f.notified_on, f.received_on, calendar=calendar).due_on
        milestones.append(Milestone(MilestoneKind.FEE_PAYMENT_DUE, pay_due))
        if f.paid_on is not None and f.paid_on < f.notified_on:
            raise DeadlineError(f"缴费日 {f.paid_on.isoformat()} 早于收费通知日 {f.notified_on.isoformat()}")
        if f.paid_on is not None and f.paid_on > pay_due:
            warnings.append(
                f"缴费日 {f.paid_on.isoformat()} 晚于缴费期限 {pay_due.isoformat()}，逾期未缴纳视为放弃申请"
            )
        if fee_rule is FeeClockRule.SUSPENDED:
            end = f.paid_on if f.paid_on is not None else max(pay_due, as_of or pay_due)
            pauses.append(Pause(f.notified_on, end, PauseReason.FEE, "缴费期间", f.paid_on is None))
    merged = _merge(pauses)

    # Art 33 ¶2 (2008 text: art 24 ¶2): 20 (15) working days, then the extension
    due = count_working_days(calendar, clock_start, periods.base_days, merged)
    cap, basis = periods.max_extension_days, periods.basis
    extension = _single(evs, Extension, f"答复期限只能延长一次，延长的期限最长不得超过{cap}个工作日（{basis}）")
    extra_days = 0
    if extension is not None:
        if not 1 <= extension.days <= cap:
            raise DeadlineError(f"延长的期限为 {extension.days} 个工作日；最长不得超过{cap}个工作日（{basis}）")
        if extension.decided_on > due:
            raise DeadlineError(
                f"延长答复期限须在原答复期限 {due.isoformat()} 届满前决定并告知申请人，"
                f"决定日 {extension.decided_on.isoformat()} 已超过（{basis}）"
            )
        note = "" if periods.has_correction_notice_period else f"（{basis}：{periods.base_days}个工作日）"
        milestones.append(Milestone(MilestoneKind.ANSWER_DUE_BEFORE_EXTENSION, due, note))
        extra_days = extension.days
        due = count_working_days(calendar, due, extension.days, merged)

    # Art 35: the agency's delayed date
    delayed = _single(evs, DelayedAnswer, "延迟答复期限只能确定一次（条例第三十五条）")
    art33_due = due
    if delayed is not None:
        if delayed.due_on <= delayed.decided_on:
            raise DeadlineError(
                f"延迟答复期限 {delayed.due_on.isoformat()} 应晚于决定日 {delayed.decided_on.isoformat()}（条例第三十五条）"
            )
        if delayed.due_on < due:
            raise DeadlineError(
                f"延迟答复期限 {delayed.due_on.isoformat()} 早于第三十三条规定的答复期限 {due.isoformat()}（条例第三十五条）"
            )
        if delayed.decided_on > due:
            warnings.append(
                f"延迟答复决定于 {delayed.decided_on.isoformat()} 作出，晚于第三十三条规定的答复期限 {due.isoformat()}"
            )
        milestones.append(Milestone(MilestoneKind.ANSWER_DUE_BEFORE_DELAY, due))
        due = delayed.due_on
    milestones.append(Milestone(MilestoneKind.ANSWER_DUE, due))
    milestones.sort(key=lambda m: m.day)

    result = DeadlineResult(
        received_on,
        clock_start,
        due,
        any(p.provisional for p in pauses),
        tuple(milestones),
        tuple(sorted(pauses, key=lambda p: p.start)),
        tuple(warnings),
    )
    if explain:
        result = _with_trace(
            result,
            _trace(
                result,
                calendar,
                due,
                merged,
                periods.base_days + extra_days,
                art33_due if delayed else None,
                requested.on if requested else None,
            ),
        )
    return result


def count_working_days(calendar: WorkingCalendar, start: date, n: int, paused: Sequence[tuple[date, date]]) -> date:
    """The ``n``-th working day after ``start`` not inside a paused range: 条例 art 33 ¶3.

    ``paused`` is a sorted list of disjoint inclusive ranges (see :func:`merge_ranges`).
    """
    pos, remaining = start, n
    for s, e in paused:
        if e <= pos:
            continue
        if s > pos:
            candidate = calendar.nth_working_day_after(pos, remaining)
            if candidate < s:
                return candidate
            remaining -= calendar.working_days_between(pos, s - timedelta(days=1))
        pos = e
    return calendar.nth_working_day_after(pos, remaining)


def merge_ranges(ranges: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sorted, disjoint inclusive ranges covering the same days (touching ranges are joined)."""
    out: list[tuple[date, date]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1] + timedelta(days=1):
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _merge(pauses: Sequence[Pause]) -> list[tuple[date, date]]:
    return merge_ranges((p.start, p.end) for p in pauses)


_E = TypeVar("_E")


def _single(evs: Sequence[ClockEvent], cls: type[_E], message: str) -> _E | None:
    found = [ev for ev in evs if isinstance(ev, cls)]
    if len(found) > 1:
        raise DeadlineError(message)
    return found[0] if found else None


def _event_dates(ev: ClockEvent) -> tuple[date, ...]:
    if isinstance(ev, CorrectionRequested | CorrectionReceived):
        return (ev.on,)
    if isinstance(ev, Consultation):
        return (ev.start,)
    if isinstance(ev, Extension | DelayedAnswer):
        return (ev.decided_on,)
    if isinstance(ev, FeeNotice):
        return (ev.notified_on,)
    return ()


_EVENT_LABELS: dict[type, str] = {
    CorrectionRequested: "补正告知",
    CorrectionReceived: "收到补正",
    Consultation: "征求意见",
    Extension: "延长答复期限",
    FeeNotice: "收费通知",
    DelayedAnswer: "延迟答复",
    AnsweredOnTheSpot: "当场答复",
}


def _event_label(ev: ClockEvent) -> str:
    return _EVENT_LABELS[type(ev)]


def _with_trace(result: DeadlineResult, trace: tuple[TraceDay, ...]) -> DeadlineResult:
    return replace(result, trace=trace)


def _trace(
    result: DeadlineResult,
    calendar: WorkingCalendar,
    last: date,
    paused: Sequence[tuple[date, date]],
    total: int,
    art33_due: date | None,
    correction_requested_on: date | None,
) -> tuple[TraceDay, ...]:
    """Each day from receipt to ``last``, counted or skipped and why (the same rule as the count)."""
    periods = answer_periods(result.received_on)
    marks: dict[date, list[str]] = {}
    if correction_requested_on is not None:
        marks[correction_requested_on] = ["发出补正告知（条例第三十条）"]
    for m in result.milestones:
        if m.kind is MilestoneKind.ANSWER_DUE:
            text = f"答复期限届满（{'条例第三十五条延迟答复' if art33_due else periods.basis}）"
        else:
            text = f"{m.label}{m.note}"
        marks.setdefault(m.day, []).append(text)
    return trace_days(
        calendar,
        received_on=result.received_on,
        clock_start=result.clock_start,
        last=last,
        paused=paused,
        pauses=result.pauses,
        marks=marks,
        total=total,
        answer_days=periods.base_days,
        delayed=art33_due is not None,
        correction_requested_on=correction_requested_on,
    )
