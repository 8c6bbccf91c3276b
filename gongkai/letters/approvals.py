"""签批 use cases: 拟稿, 送审, 审核/法制审核, 退回, 签发, 作废 of a letter draft (rules: ``core.approval``).

A draft holds what the officer typed; its text is composed with "（签发后编号）" in place of the
number and has no seal. At 签发 — and only then — :func:`act` closes the case where the draft is
the closing answer (``cases.services.close_case``, inside :func:`approval_policy.signing` so the
close guard lets it through), takes the 发文字号 and stores the letter
(``letters.services.make_letter``), all in one transaction: a refused or rolled-back 签发 uses
no number, and a returned draft never had one.

Optimistic locking as for cases: the draft row is locked (``SELECT … FOR UPDATE``) and its
``version`` compared with the one the approver's page showed; two leaders signing the same draft
at once — one wins, the other gets :class:`StaleDraftError` (409) naming the present step.
Every action is a :class:`~gongkai.letters.models.DraftAction` (the visible history) and an audit
record in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.cases import services as case_services
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Case
from gongkai.core.approval import DraftEvent, DraftStatus, advance
from gongkai.core.case_flow import Event, allowed_events
from gongkai.core.errors import ConcurrentChange, GongkaiError
from gongkai.core.letters import LetterType, WithheldGround
from gongkai.letters.approval_policy import may_act, rule_for, signing
from gongkai.letters.context import LetterFacts, build_context, compose_letter
from gongkai.letters.models import DraftAction, LetterDraft
from gongkai.letters.services import make_letter, require_writer, settings_for

if TYPE_CHECKING:
    from gongkai.accounts.models import User

#: Where a draft shows its number: it gets one at 签发 (GB/T 9704-2012 §7.2.4).
DRAFT_NUMBER = "（签发后编号）"


class DraftAudit(StrEnum):
    DRAFTED = "letter_draft.drafted"
    EDITED = "letter_draft.edited"
    SUBMITTED = "letter_draft.submitted"
    APPROVED = "letter_draft.approved"
    RETURNED = "letter_draft.returned"
    SIGNED = "letter_draft.signed"
    CANCELLED = "letter_draft.cancelled"


_EVENT_AUDIT = {
    DraftEvent.SUBMIT: DraftAudit.SUBMITTED,
    DraftEvent.APPROVE: DraftAudit.APPROVED,
    DraftEvent.RETURN: DraftAudit.RETURNED,
    DraftEvent.SIGN: DraftAudit.SIGNED,
    DraftEvent.CANCEL: DraftAudit.CANCELLED,
}


class StaleDraftError(ConcurrentChange):
    """The draft was acted on since the page was loaded (optimistic lock on ``LetterDraft.version``)."""

    def __init__(self, draft: LetterDraft) -> None:
        super().__init__(f"该拟稿已被他人处理，当前环节为“{draft.status_enum.label}”，本次操作未执行；请刷新后查看")


class DraftInputError(GongkaiError):
    """Input a draft cannot take (a return without a comment, a second answer draft…)."""


# ---------------------------------------------------------------------------------------------
# Facts and text
# ---------------------------------------------------------------------------------------------


def facts_to_json(facts: LetterFacts) -> dict[str, Any]:
    data = asdict(facts)
    ground = data.get("withheld_ground")
    data["withheld_ground"] = ground.value if ground is not None else None
    return data


def facts_of(draft: LetterDraft) -> LetterFacts:
    data = dict(draft.facts or {})
    ground = data.get("withheld_ground")
    data["withheld_ground"] = WithheldGround(ground) if ground else None
    known = set(LetterFacts.__dataclass_fields__)
    return LetterFacts(**{k: v for k, v in data.items() if k in known})


def _as_answered(case: Case, kind: LetterType, day: dt.date) -> Case:
    """An open case as it will read once the answer ``kind`` is signed off on ``day`` (not saved)."""
    outcome = kind.outcome
    if outcome is None or (case.closed_on is not None and case.outcome == outcome.value):
        return case
    shown = Case.objects.select_related("agency", "agency__parent").get(pk=case.pk)
    shown.outcome, shown.closed_on = outcome.value, day
    return shown


def draft_text(case: Case, kind: LetterType, facts: LetterFacts, today: dt.date) -> str:
    """The draft's text as it would go out ``today``, numbered "（签发后编号）", without seal.

    Raises CaseInputError when the case or the agency's letter settings lack a fact it states.
    """
    shown = _as_answered(case, kind, today)
    context = build_context(
        shown, kind, today=today, number=DRAFT_NUMBER, facts=facts, settings=settings_for(case.agency)
    )
    return compose_letter(kind, context, case.agency).text()


def _check_kind(case: Case, kind: LetterType) -> None:
    """An answer draft needs an open case that may be answered, or a case closed with that outcome."""
    outcome = kind.outcome
    if outcome is None:
        return
    if case.closed_on is not None:
        if case.outcome != outcome.value:
            raise CaseInputError(f"案件 {case.number} 已办结，办理结果不是“{outcome.full_label}”")
        return
    if Event.ANSWER not in allowed_events(case.status_enum):
        raise CaseInputError(f"案件 {case.number} 处于“{case.status_enum.label}”状态，不能拟写答复书")


def _log(draft: LetterDraft, *, actor: User, event: DraftEvent | None, before: str, comment: str) -> None:
    DraftAction.objects.create(
        draft=draft,
        event=event.value if event is not None else "",
        status_before=before,
        status_after=draft.status,
        actor=actor,
        comment=comment,
    )


# ---------------------------------------------------------------------------------------------
# Use cases
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    *,
    actor: User,
    case: Case,
    kind: LetterType | str,
    facts: LetterFacts,
    today: dt.date,
    submit: bool = True,
    comment: str = "",
) -> LetterDraft:
    """拟稿 of letter ``kind`` for ``case``, sent for approval at once unless ``submit`` is False.

    One draft of a kind in the chain at a time per case; one answer draft at a time.
    """
    kind = LetterType(kind)
    case = Case.objects.select_for_update(of=("self",)).select_related("agency", "agency__parent").get(pk=case.pk)
    require_writer(actor, case)
    _check_kind(case, kind)
    pending = LetterDraft.objects.filter(case=case).exclude(
        status__in=[DraftStatus.ISSUED.value, DraftStatus.CANCELLED.value]
    )
    same = pending.filter(kind__startswith="answer_") if kind.is_answer else pending.filter(kind=kind.value)
    if same.exists():
        raise DraftInputError(
            f"案件 {case.number} 已有一份{'答复书' if kind.is_answer else kind.label}在签批中，请在其上修改"
        )
    draft_text(case, kind, facts, today)  # every fact present before anyone is asked to approve
    rule = rule_for(case.agency, kind, today)
    draft = LetterDraft.objects.create(
        agency=case.agency,
        case=case,
        kind=kind.value,
        facts=facts_to_json(facts),
        review=rule.review,
        legal=rule.legal,
        signer=rule.signer.value,
        drafted_by=actor,
    )
    _log(draft, actor=actor, event=None, before="", comment=comment if not submit else "")
    record(
        actor=actor,
        action=DraftAudit.DRAFTED,
        target=draft,
        changes={"case": case.number, "kind": kind.label, "chain": rule.describe()},
    )
    if submit:
        return act(actor=actor, draft=draft, event=DraftEvent.SUBMIT, today=today, comment=comment)
    return draft


@transaction.atomic
def update_draft(*, actor: User, draft: LetterDraft, facts: LetterFacts, today: dt.date, version: int) -> LetterDraft:
    """Change what a draft says while it is with the drafter (拟稿, or back after a return)."""
    locked = _lock(actor, draft, version)
    if locked.status_enum is not DraftStatus.DRAFT:
        raise DraftInputError(f"拟稿处于“{locked.status_enum.label}”环节，不能修改；请由审批人退回后修改")
    require_writer(actor, locked.case)
    draft_text(locked.case, locked.kind_enum, facts, today)
    before = locked.facts
    locked.facts = facts_to_json(facts)
    locked.version += 1
    locked.save(update_fields=["facts", "version"])
    record(actor=actor, action=DraftAudit.EDITED, target=locked, changes={"facts": [before, locked.facts]})
    return locked


def _lock(actor: User, draft: LetterDraft, version: int | None) -> LetterDraft:
    locked = (
        LetterDraft.objects.select_for_update(of=("self",))
        .select_related("case", "case__agency", "case__agency__parent", "agency")
        .get(pk=draft.pk)
    )
    expected = draft.version if version is None else version
    if locked.version != expected:
        raise StaleDraftError(locked)
    return locked


def _check_actor(actor: User, draft: LetterDraft, event: DraftEvent) -> None:
    case = draft.case
    if event in (DraftEvent.SUBMIT, DraftEvent.CANCEL):
        require_writer(actor, case)
        return
    if not may_act(actor, draft, case):
        step = draft.status_enum.label
        raise PermissionDenied(f"您不能处理案件 {case.number} 这份“{draft.kind_enum.label}”的“{step}”环节")


@transaction.atomic
def act(
    *,
    actor: User,
    draft: LetterDraft,
    event: DraftEvent | str,
    today: dt.date,
    comment: str = "",
    version: int | None = None,
) -> LetterDraft:
    """送审, 审核通过, 法制审核通过, 退回 (with a comment), 签发 or 作废 (``core.approval.TRANSITIONS``).

    签发 of an answer closes the case with its outcome (条例 arts 36, 37) and issues the numbered
    letter; 签发 of a notice issues it. The rule is the agency's present one when the draft is
    sent (送审), so a policy changed meanwhile applies from the next submission.
    """
    event = DraftEvent(event)
    locked = _lock(actor, draft, version)
    comment = comment.strip()
    before = locked.status_enum
    advance(locked.rule, before, event)  # a step the table refuses: 409, whoever asks
    _check_actor(actor, locked, event)
    if event is DraftEvent.RETURN and not comment:
        raise DraftInputError("退回修改须写明意见")
    if event is DraftEvent.SUBMIT:
        rule = rule_for(locked.case.agency, locked.kind_enum, today)
        locked.review, locked.legal, locked.signer = rule.review, rule.legal, rule.signer.value
    after = advance(locked.rule, before, event)
    locked.status = after.value
    changes: dict[str, Any] = {
        "case": locked.case.number,
        "kind": locked.kind_enum.label,
        "status": [before.label, after.label],
    }
    if event is DraftEvent.SIGN:
        letter = _issue(actor, locked, today)
        locked.letter = letter
        changes["number"] = letter.number
    locked.version += 1
    locked.waiting_since = timezone.now()
    locked.save(update_fields=["status", "review", "legal", "signer", "letter", "version", "waiting_since"])
    _log(locked, actor=actor, event=event, before=before.value, comment=comment)
    record(actor=actor, action=_EVENT_AUDIT[event], target=locked, changes=changes, note=comment)
    return locked


def _issue(actor: User, draft: LetterDraft, today: dt.date) -> Any:
    """签发: close the case where this is its answer, then number and store the letter."""
    kind = draft.kind_enum
    facts = facts_of(draft)
    case = draft.case
    with signing(case, kind):
        if kind.outcome is not None and case.closed_on is None:
            case = case_services.close_case(
                actor=actor, case=case, outcome=kind.outcome, today=today, note=facts.reasons
            )
        case = Case.objects.select_related("agency", "agency__parent").get(pk=case.pk)
        if kind.outcome is not None and not facts.reasons and case.closing_note:
            facts = replace(facts, reasons=case.closing_note)
        return make_letter(actor=actor, case=case, kind=kind, today=today, facts=facts)
