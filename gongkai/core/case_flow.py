"""What may happen to a 依申请公开 case next: statuses, events and the transition table.

The table is the one place that says which event may follow which status (条例 arts 30–36);
:func:`next_status` checks it with the core's one :func:`~gongkai.core.states.transition`, which
raises :class:`InvalidTransition` with a Chinese message.
Closing a case needs exactly one :class:`~gongkai.core.outcomes.Outcome`
(:func:`close_outcome`): 逾期不补正 and 逾期未缴费 close with their own table 三 rows.

The clock (due dates) is not in the statuses: ``gongkai.core.deadlines`` reads the case's
dated events. So a consultation that ends returns the case to 办理中 even if it had been
extended before; the extension stays in the case's events and in its due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.deadlines import Channel
from gongkai.core.errors import InvalidTransition
from gongkai.core.outcomes import Outcome
from gongkai.core.states import TransitionTable, transition


class Status(StrEnum):
    """Where a case stands."""

    AWAITING_CONFIRMATION = "awaiting_confirmation"  # 平常信函/互联网/传真: 待双方确认 (art 31)
    REGISTERED = "registered"  # receipt date fixed
    AWAITING_CORRECTION = "awaiting_correction"  # 补正告知 sent (art 30)
    IN_PROGRESS = "in_progress"
    CONSULTING = "consulting"  # 征求第三方/其他机关意见 (arts 32, 34)
    EXTENSION_REQUESTED = "extension_requested"  # awaiting the 工作机构负责人 (art 33 ¶2)
    EXTENDED = "extended"
    FEE_PENDING = "fee_pending"  # 收费通知 sent (spec §2.4)
    DELAYED = "delayed"  # 延迟答复 (art 35)
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


STATUS_LABELS: dict[Status, str] = {
    Status.AWAITING_CONFIRMATION: "待确认收到",
    Status.REGISTERED: "已登记",
    Status.AWAITING_CORRECTION: "待补正",
    Status.IN_PROGRESS: "办理中",
    Status.CONSULTING: "征求意见中",
    Status.EXTENSION_REQUESTED: "延期待审批",
    Status.EXTENDED: "已延期",
    Status.FEE_PENDING: "待缴费",
    Status.DELAYED: "延迟答复",
    Status.CLOSED: "已办结",
}


class Event(StrEnum):
    """What the office (or the applicant) does to a case."""

    CONFIRM_RECEIPT = "confirm_receipt"
    ACCEPT = "accept"
    ANSWER_ON_THE_SPOT = "answer_on_the_spot"
    REQUEST_CORRECTION = "request_correction"
    RECEIVE_CORRECTION = "receive_correction"
    CORRECTION_OVERDUE = "correction_overdue"
    START_CONSULTATION = "start_consultation"
    END_CONSULTATION = "end_consultation"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REFUSE_EXTENSION = "refuse_extension"
    SEND_FEE_NOTICE = "send_fee_notice"
    RECEIVE_PAYMENT = "receive_payment"
    FEE_OVERDUE = "fee_overdue"
    SET_DELAYED_ANSWER = "set_delayed_answer"
    ANSWER = "answer"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]

    @property
    def closes(self) -> bool:
        return self in CLOSING_EVENTS


EVENT_LABELS: dict[Event, str] = {
    Event.CONFIRM_RECEIPT: "确认收到申请",
    Event.ACCEPT: "开始办理",
    Event.ANSWER_ON_THE_SPOT: "当场答复",
    Event.REQUEST_CORRECTION: "告知补正",
    Event.RECEIVE_CORRECTION: "收到补正",
    Event.CORRECTION_OVERDUE: "逾期不补正，不再处理",
    Event.START_CONSULTATION: "征求意见",
    Event.END_CONSULTATION: "征求意见结束",
    Event.REQUEST_EXTENSION: "申请延长答复期限",
    Event.APPROVE_EXTENSION: "同意延长答复期限",
    Event.REFUSE_EXTENSION: "不同意延长答复期限",
    Event.SEND_FEE_NOTICE: "发出收费通知",
    Event.RECEIVE_PAYMENT: "收到缴费",
    Event.FEE_OVERDUE: "逾期未缴费，不再处理",
    Event.SET_DELAYED_ANSWER: "确定延迟答复期限",
    Event.ANSWER: "作出答复",
    Event.WITHDRAW: "申请人撤回申请",
}

_S, _E = Status, Event

#: status → {event: next status}. Anything not listed is refused.
TRANSITIONS: TransitionTable[Status, Event] = TransitionTable(
    "案件",
    {
        _S.AWAITING_CONFIRMATION: {  # art 31(2)(3)
            _E.CONFIRM_RECEIPT: _S.REGISTERED,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.REGISTERED: {
            _E.ACCEPT: _S.IN_PROGRESS,
            _E.ANSWER_ON_THE_SPOT: _S.CLOSED,  # art 33 ¶1
            _E.REQUEST_CORRECTION: _S.AWAITING_CORRECTION,  # art 30
            _E.ANSWER: _S.CLOSED,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.AWAITING_CORRECTION: {  # art 30
            _E.RECEIVE_CORRECTION: _S.IN_PROGRESS,
            _E.CORRECTION_OVERDUE: _S.CLOSED,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.IN_PROGRESS: {
            _E.REQUEST_CORRECTION: _S.AWAITING_CORRECTION,
            _E.START_CONSULTATION: _S.CONSULTING,  # arts 32, 34
            _E.REQUEST_EXTENSION: _S.EXTENSION_REQUESTED,  # art 33 ¶2
            _E.SEND_FEE_NOTICE: _S.FEE_PENDING,  # art 42
            _E.SET_DELAYED_ANSWER: _S.DELAYED,  # art 35
            _E.ANSWER: _S.CLOSED,  # art 36
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.CONSULTING: {
            # An answer waits for the consultation's end date: it decides the clock (art 33 ¶3).
            _E.END_CONSULTATION: _S.IN_PROGRESS,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.EXTENSION_REQUESTED: {
            _E.APPROVE_EXTENSION: _S.EXTENDED,
            _E.REFUSE_EXTENSION: _S.IN_PROGRESS,
            _E.ANSWER: _S.CLOSED,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.EXTENDED: {
            _E.START_CONSULTATION: _S.CONSULTING,
            _E.SEND_FEE_NOTICE: _S.FEE_PENDING,
            _E.SET_DELAYED_ANSWER: _S.DELAYED,
            _E.ANSWER: _S.CLOSED,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.FEE_PENDING: {  # spec §2.4
            _E.RECEIVE_PAYMENT: _S.IN_PROGRESS,
            _E.FEE_OVERDUE: _S.CLOSED,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.DELAYED: {  # art 35
            _E.START_CONSULTATION: _S.CONSULTING,
            _E.SEND_FEE_NOTICE: _S.FEE_PENDING,
            _E.ANSWER: _S.CLOSED,
            _E.WITHDRAW: _S.CLOSED,
        },
        _S.CLOSED: {},
    },
)

OPEN_STATUSES: frozenset[Status] = frozenset(s for s in Status if s is not Status.CLOSED)
#: The answer clock has not started or is waiting on the applicant: 条例 arts 30, 31.
CLOCK_NOT_STARTED_STATUSES: frozenset[Status] = frozenset({Status.AWAITING_CONFIRMATION, Status.AWAITING_CORRECTION})
#: Statuses whose days are not counted: 条例 art 33 ¶3 (fee: spec §2.4 [U], per FeeClockRule).
CLOCK_PAUSED_STATUSES: frozenset[Status] = frozenset({Status.CONSULTING, Status.FEE_PENDING})
CLOSING_EVENTS: frozenset[Event] = frozenset(
    e for targets in TRANSITIONS.values() for e, s in targets.items() if s is Status.CLOSED
)

#: Closing events that decide the outcome themselves (table 三 （六）).
FIXED_OUTCOMES: dict[Event, Outcome] = {
    Event.CORRECTION_OVERDUE: Outcome.OTHER_NO_CORRECTION,  # art 30
    Event.FEE_OVERDUE: Outcome.OTHER_FEE_UNPAID,  # spec §2.4
    Event.WITHDRAW: Outcome.OTHER_OTHER,  # [D]
}

#: Outcomes only their own closing event records (an answer letter cannot choose them).
EVENT_ONLY_OUTCOMES: frozenset[Outcome] = frozenset({Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID})


def initial_status(channel: Channel) -> Status:
    """A new case's status: awaiting confirmation where the receipt date is a confirmation (条例 art 31)."""
    return Status.AWAITING_CONFIRMATION if channel.needs_confirmation else Status.REGISTERED


def allowed_events(status: Status) -> tuple[Event, ...]:
    """The events the table allows from ``status``, in table order."""
    return TRANSITIONS.allowed(status)


def next_status(status: Status, event: Event) -> Status:
    """The status after ``event``: 条例 arts 30–36 as :data:`TRANSITIONS`; else :class:`InvalidTransition`."""
    return transition(TRANSITIONS, status, event)


def close_outcome(event: Event, outcome: Outcome | None) -> Outcome:
    """The one outcome a closing event records: 条例 arts 30, 36; table 三 （六） (spec §1.3).

    逾期不补正 → other_no_correction, 逾期未缴费 → other_fee_unpaid, 撤回 → other_other (a chosen
    outcome must agree); 作出答复 / 当场答复 need the outcome chosen by the officer, and may not
    use the two （六） rows that only their own events produce.
    """
    if not event.closes:
        raise InvalidTransition(f"“{event.label}”不会办结案件，不能记录办理结果")
    fixed = FIXED_OUTCOMES.get(event)
    if fixed is not None:
        if outcome is not None and outcome is not fixed:
            raise InvalidTransition(f"“{event.label}”的办理结果只能是“{fixed.label}”，不能是“{outcome.label}”")
        return fixed
    if outcome is None:
        raise InvalidTransition(f"“{event.label}”须选定一项办理结果（年度报告表三的一行）")
    for own_event, own_outcome in FIXED_OUTCOMES.items():
        if outcome is own_outcome and own_outcome in EVENT_ONLY_OUTCOMES:
            raise InvalidTransition(f"办理结果“{outcome.label}”只能通过“{own_event.label}”记录")
    return outcome


@dataclass(frozen=True, slots=True)
class Step:
    """The checked result of one event: the new status and, when it closes, the outcome."""

    status: Status
    outcome: Outcome | None = None


def apply_event(status: Status, event: Event, outcome: Outcome | None = None) -> Step:
    """Check ``event`` against the table and the outcome rule together (:func:`next_status`, :func:`close_outcome`)."""
    new = next_status(status, event)
    if new is Status.CLOSED:
        return Step(new, close_outcome(event, outcome))
    if outcome is not None:
        raise InvalidTransition(f"“{event.label}”不会办结案件，不能记录办理结果")
    return Step(new)
