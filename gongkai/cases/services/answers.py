"""Answering (条例 arts 33 ¶1, 35, 36, 37): 延迟答复, 当场答复, the answer, a withdrawal.

Every answer closes the case with exactly one statutory outcome (a row of table 三).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Case
from gongkai.cases.services._machinery import apply_change, check_step, checked_day, lock_case, parse_outcome
from gongkai.core.case_flow import Event
from gongkai.core.outcomes import Outcome

if TYPE_CHECKING:
    from gongkai.accounts.models import User

#: A check an app above cases adds before an answer closes a case (the letters app: 签批, so that
#: an answer its agency sends through 审核/法制审核/签发 closes only when signed off). Called with
#: ``actor``, ``case`` (locked), ``outcome`` and ``today``; refuses by raising.
CloseGuard = Callable[..., None]
_close_guards: list[CloseGuard] = []


def register_close_guard(guard: CloseGuard) -> None:
    """Add a close guard; apps above cases call it in ``AppConfig.ready()`` (docs/architecture.md, registry)."""
    if guard not in _close_guards:
        _close_guards.append(guard)


def check_close_guards(*, actor: User, case: Case, outcome: Outcome, today: dt.date) -> None:
    for guard in _close_guards:
        guard(actor=actor, case=case, outcome=outcome, today=today)


@transaction.atomic
def set_delayed_answer(
    *, actor: User, case: Case, due_on: dt.date, reason: str, today: dt.date, version: int | None = None
) -> Case:
    """A reasonable later answer date for an excessive application: 条例 art 35."""
    locked = lock_case(actor, case, version)
    step = check_step(locked, Event.SET_DELAYED_ANSWER)
    if not reason.strip():
        raise CaseInputError("请写明延迟答复的理由（条例第三十五条）")
    return apply_change(
        locked,
        actor=actor,
        kind=Event.SET_DELAYED_ANSWER,
        on=today,
        today=today,
        changes={
            "status": step.status.value,
            "delay_decided_on": today,
            "delayed_due_on": due_on,
            "delay_reason": reason.strip(),
        },
        payload={"延迟答复期限": due_on, "理由": reason.strip()},
    )


@transaction.atomic
def answer_on_the_spot(
    *, actor: User, case: Case, outcome: Outcome | str, today: dt.date, note: str = "", version: int | None = None
) -> Case:
    """当场答复 on the day of receipt: 条例 art 33 ¶1; exactly one statutory outcome."""
    locked = lock_case(actor, case, version)
    step = check_step(locked, Event.ANSWER_ON_THE_SPOT, parse_outcome(outcome))
    if locked.received_on != today:
        raise CaseInputError(f"案件 {locked.number} 不是今天收到的申请，不能当场答复（条例第三十三条第一款）")
    assert step.outcome is not None
    check_close_guards(actor=actor, case=locked, outcome=step.outcome, today=today)
    return apply_change(
        locked,
        actor=actor,
        kind=Event.ANSWER_ON_THE_SPOT,
        on=today,
        today=today,
        note=note,
        changes={
            "status": step.status.value,
            "outcome": step.outcome.value,
            "closed_on": today,
            "answered_on_the_spot": True,
            "closing_note": note,
        },
        payload={"办理结果": step.outcome.full_label},
    )


@transaction.atomic
def close_case(
    *,
    actor: User,
    case: Case,
    outcome: Outcome | str,
    today: dt.date,
    note: str = "",
    on: dt.date | None = None,
    version: int | None = None,
) -> Case:
    """作出答复 with exactly one statutory outcome (条例 arts 36, 37; table 三 row)."""
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "答复日期")
    step = check_step(locked, Event.ANSWER, parse_outcome(outcome))
    if locked.received_on is not None and day < locked.received_on:
        raise CaseInputError(f"答复日期 {day.isoformat()} 早于收到申请之日 {locked.received_on.isoformat()}")
    assert step.outcome is not None
    check_close_guards(actor=actor, case=locked, outcome=step.outcome, today=today)
    return apply_change(
        locked,
        actor=actor,
        kind=Event.ANSWER,
        on=day,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": day, "closing_note": note},
        payload={"办理结果": step.outcome.full_label, "依据": step.outcome.basis},
    )


@transaction.atomic
def withdraw_application(
    *, actor: User, case: Case, today: dt.date, note: str = "", on: dt.date | None = None, version: int | None = None
) -> Case:
    """The applicant withdrew: the case closes as table 三 （六）3 其他 (spec §1.3 [D])."""
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "撤回日期")
    step = check_step(locked, Event.WITHDRAW)
    assert step.outcome is not None
    return apply_change(
        locked,
        actor=actor,
        kind=Event.WITHDRAW,
        on=day,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": day, "closing_note": note},
        payload={"办理结果": step.outcome.full_label},
    )
