"""The write machinery every case use case shares: permission, lock, transition, clock, log, audit.

A use case (``intake``, ``steps``, ``answers``, ``reviews``, ``gongkai.cases.due_dates``) checks
its input, then calls :func:`lock_case` (permission, version, ``SELECT … FOR UPDATE``),
:func:`check_step` (the core's transition table) and :func:`apply_change` (recomputed clock,
versioned ``UPDATE``, timeline entry, audit record), all in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.scoping import can_write
from gongkai.audit.services import diff, record
from gongkai.cases import notifications
from gongkai.cases.choices import CaseNote
from gongkai.cases.clock import clock_events, compute_case_clock, fee_clock_rule
from gongkai.cases.errors import CaseInputError, StaleCaseError
from gongkai.cases.guards import check_writable
from gongkai.cases.models import MAX_PIECES, Case, CaseEvent, user_may_read_case
from gongkai.core.calendar import with_assumed_years
from gongkai.core.case_flow import Event, Step, apply_event
from gongkai.core.deadlines import ClockEvent, DeadlineResult, compute_deadline
from gongkai.core.errors import DeadlineError, InvalidTransition
from gongkai.core.outcomes import Outcome
from gongkai.workcalendar.provider import working_calendar

if TYPE_CHECKING:
    from gongkai.accounts.models import User


class CaseAudit(StrEnum):
    """Audit action codes of this app; a transition is ``case.<event>`` (:func:`transition_action`)."""

    REGISTERED = "case.registered"
    SUBMITTED_ONLINE = "case.submitted_online"
    ASSIGNED = "case.assigned"
    EXTENSION_NOTIFIED = "case.extension_notified"
    DUE_DATE_CHANGED = "case.due_date_changed"
    REVIEW_RECORDED = "review.recorded"
    REVIEW_CONCLUDED = "review.concluded"
    PAYMENT_PROOF = "case.payment_proof"
    PROOF_REQUESTED_AGAIN = "case.proof_requested_again"
    MESSAGE_RETRIED = "case.message_retried"
    REVIEW_DATES_RECORDED = "review.dates_recorded"
    TRANSFERRED_OUT = "case.transferred_out"  # 条例 art 36(5): 告知, and 转办 where the agency is on the system
    TRANSFERRED_IN = "case.transferred_in"
    NOTICE_SERVED = "case.notice_served"


def transition_action(event: Event) -> str:
    """The audit action of a transition: ``case.`` + the core's event value."""
    return f"case.{event.value}"


_NOTE_ACTIONS: dict[CaseNote, CaseAudit] = {
    CaseNote.REGISTERED: CaseAudit.REGISTERED,
    CaseNote.SUBMITTED_ONLINE: CaseAudit.SUBMITTED_ONLINE,
    CaseNote.ASSIGNED: CaseAudit.ASSIGNED,
    CaseNote.EXTENSION_NOTIFIED: CaseAudit.EXTENSION_NOTIFIED,
    CaseNote.DUE_DATE_CHANGED: CaseAudit.DUE_DATE_CHANGED,
    CaseNote.REVIEW_RECORDED: CaseAudit.REVIEW_RECORDED,
    CaseNote.REVIEW_CONCLUDED: CaseAudit.REVIEW_CONCLUDED,
    CaseNote.PAYMENT_PROOF: CaseAudit.PAYMENT_PROOF,
    CaseNote.PROOF_REQUESTED_AGAIN: CaseAudit.PROOF_REQUESTED_AGAIN,
    CaseNote.TRANSFERRED_IN: CaseAudit.TRANSFERRED_IN,
    CaseNote.NOTICE_SERVED: CaseAudit.NOTICE_SERVED,
}

CLOCK_RESULT_FIELDS = ("due_on", "due_is_provisional", "due_note")
PORTAL_ACTOR_NAME = "申请人（网上提交）"
SYSTEM_ACTOR_NAME = "系统"


def checked_day(on: dt.date | None, today: dt.date, what: str = "日期") -> dt.date:
    """The day a thing happened: ``on``, by default ``today``; never after ``today``."""
    day = today if on is None else on
    if day > today:
        raise CaseInputError(f"{what} {day.isoformat()} 晚于今天 {today.isoformat()}")
    return day


#: A clock event entered more than this many calendar days after its date is a 补录 (back-dated
#: entry): it moves the answer clock after the fact, so it needs a reason and is audited as such.
BACKDATE_DAYS = 3


def backdating(on: dt.date, today: dt.date, reason: str | None, what: str) -> dict[str, str]:
    """The 补录 record of an event dated ``on`` entered ``today``; refuses one without a reason.

    Empty when the event is recent (``BACKDATE_DAYS``) or the service does not take back-dating
    (``reason`` None).
    """
    late = (today - on).days
    if reason is None or late <= BACKDATE_DAYS:
        return {}
    if not reason.strip():
        raise CaseInputError(
            f"{what} {on.isoformat()} 早于今天 {late} 天（超过{BACKDATE_DAYS}天），属于补录：请在“补录原因”中写明为何现在才登记"
        )
    return {"事项日期": on.isoformat(), "登记日期": today.isoformat(), "补录原因": reason.strip()}


def submission_moment(today: dt.date) -> dt.datetime:
    """Now, or (for back-dated entries) nine o'clock of ``today`` in local time."""
    now = timezone.localtime()
    if now.date() == today:
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))


def _actor_name(actor: User | None, default: str = SYSTEM_ACTOR_NAME) -> str:
    return actor.display_name if actor is not None and actor.pk else default


def require_writer(actor: User | None, case: Case) -> None:
    """Staff of the case's agency who can see it (a clerk: their department's or their own)."""
    if actor is None or not can_write(actor, case.agency) or not user_may_read_case(actor, case):
        raise PermissionDenied(f"无权办理案件 {case.number}")


def lock_for_applicant(case: Case) -> Case:
    """The case row, locked, for a step the applicant takes on the tracking page (the edge has
    checked the tracking code and second factor; there is no staff permission to check)."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
    check_writable(locked)  # e.g. the archive's year lock (gongkai.cases.guards)
    return locked


def lock_case(actor: User | None, case: Case, version: int | None) -> Case:
    """The case row, locked, after the permission and version checks."""
    require_writer(actor, case)
    expected = case.version if version is None else version
    locked = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
    if locked.version != expected:
        raise StaleCaseError(locked.number)
    check_writable(locked)  # e.g. the archive's year lock (gongkai.cases.guards)
    return locked


def check_step(case: Case, event: Event, outcome: Outcome | None = None) -> Step:
    """The core's transition check (``next_status`` + outcome rule), the message naming the case."""
    try:
        return apply_event(case.status_enum, event, outcome)
    except InvalidTransition as exc:
        raise InvalidTransition(f"案件 {case.number}：{exc}") from None


def check_pieces(pieces: int, what: str = "件数") -> None:
    """1 to ``MAX_PIECES`` (the column's range; the fee by piece walks every tier up to it)."""
    if not 1 <= pieces <= MAX_PIECES:
        raise CaseInputError(f"{what}应在1至{MAX_PIECES}之间，实为 {pieces}")


def parse_outcome(value: Outcome | str) -> Outcome:
    try:
        return Outcome(value)
    except ValueError:
        raise CaseInputError(f"无效的办理结果：{value!r}") from None


def core_check(case: Case, extra: ClockEvent, today: dt.date) -> DeadlineResult:
    """Ask the core whether the case's clock accepts one more event (raises DeadlineError if not)."""
    assert case.received_on is not None
    received_on = case.received_on
    events = [*clock_events(case), extra]
    try:
        result, _ = with_assumed_years(
            working_calendar(),
            lambda c: compute_deadline(received_on, events, calendar=c, fee_rule=fee_clock_rule(), as_of=today),
        )
    except DeadlineError as exc:
        raise DeadlineError(f"案件 {case.number}：{exc}") from None
    return result


def clock_changes(case: Case, today: dt.date) -> dict[str, Any]:
    try:
        clock = compute_case_clock(case, today=today)
    except DeadlineError as exc:
        raise DeadlineError(f"案件 {case.number}：{exc}") from None
    return {"due_on": clock.due_on, "due_is_provisional": clock.provisional, "due_note": clock.note}


def _save(case: Case, expected: int, changes: dict[str, Any]) -> None:
    """``UPDATE … WHERE id AND version``; the instance gets the new values and version."""
    values = {**changes, "version": expected + 1, "updated_at": timezone.now()}
    if Case.objects.filter(pk=case.pk, version=expected).update(**values) != 1:
        raise StaleCaseError(case.number)
    for name, value in values.items():
        setattr(case, name, value)


def log_event(
    case: Case,
    *,
    kind: Event | CaseNote,
    on: dt.date,
    actor: User | None,
    status_before: str = "",
    payload: dict[str, Any] | None = None,
    note: str = "",
    actor_name: str = SYSTEM_ACTOR_NAME,
) -> CaseEvent:
    event = new_event(
        case,
        kind=kind,
        on=on,
        actor=actor,
        status_before=status_before,
        payload=payload,
        note=note,
        actor_name=actor_name,
    )
    event.save()
    return event


def new_event(
    case: Case,
    *,
    kind: Event | CaseNote,
    on: dt.date,
    actor: User | None,
    status_before: str = "",
    payload: dict[str, Any] | None = None,
    note: str = "",
    actor_name: str = SYSTEM_ACTOR_NAME,
) -> CaseEvent:
    """A timeline entry, not yet saved (``log_event`` saves one; bulk use cases save many at once)."""
    return CaseEvent(
        case=case,
        kind=kind.value,
        on=on,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=_actor_name(actor, actor_name),
        status_before=status_before,
        status_after=case.status if status_before else "",
        payload=_json(payload or {}),
        note=note,
    )


def _json(value: dict[str, Any]) -> dict[str, Any]:
    """Dates and decimals as text, so that the payload is plain JSON."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))  # type: ignore[no-any-return]


def apply_change(
    case: Case,
    *,
    actor: User | None,
    kind: Event | CaseNote,
    on: dt.date,
    today: dt.date,
    changes: dict[str, Any],
    payload: dict[str, Any] | None = None,
    note: str = "",
    recompute: bool = True,
    actor_name: str = SYSTEM_ACTOR_NAME,
    backdated_reason: str | None = None,
) -> Case:
    """Write ``changes`` (with the recomputed clock), the timeline entry and the audit record.

    ``backdated_reason``: for a clock event whose date the officer entered (None where the
    service takes no date); an event dated more than ``BACKDATE_DAYS`` before ``today`` needs
    it and is recorded as 补录 in the timeline and the audit trail.
    """
    what = kind.label
    backdated = backdating(on, today, backdated_reason, f"{what}日期")
    if backdated:
        payload = {**(payload or {}), "补录": backdated}
    expected = case.version
    status_before = case.status
    tracked = [*changes, *CLOCK_RESULT_FIELDS]
    before = {name: getattr(case, name) for name in tracked}
    for name, value in changes.items():
        setattr(case, name, value)
    changes = dict(changes)
    if recompute:
        clock = clock_changes(case, today)
        changes.update(clock)
        for name, value in clock.items():
            setattr(case, name, value)
    _save(case, expected, changes)
    is_transition = isinstance(kind, Event)
    log_event(
        case,
        kind=kind,
        on=on,
        actor=actor,
        status_before=status_before if is_transition else "",
        payload=payload,
        note=note,
        actor_name=actor_name,
    )
    action = transition_action(kind) if isinstance(kind, Event) else _NOTE_ACTIONS[kind]
    audit_changes = diff(before, {name: getattr(case, name) for name in tracked})
    if payload:
        audit_changes["事项"] = payload
    if backdated:
        audit_changes["补录"] = backdated
    record(actor=actor, action=action, target=case, changes=audit_changes, note=note)
    notifications.tell_applicant(case, kind.value, payload)  # the applicant's message, sent after commit
    return case


def after_commit(func: Callable[[], Any]) -> None:
    """Run ``func`` (an e-mail) once the transaction is committed, never for a rolled-back change."""
    transaction.on_commit(func)
