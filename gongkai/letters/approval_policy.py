"""Who may do what in the 签批 chain of an agency, and the gates every issuing path goes through.

The agency's rule for a kind of letter is its ``ChainRuleSetting`` row, else
``core.approval.DEFAULT_POLICY``. The people:

- 审核: the 科室负责人 of the case's department (an ``Approver`` row of office 科室负责人, for that
  department or for all), or the agency's 负责人 (``Role.LEADER``); never the drafter.
- 法制审核: the agency's designated 法制审核人员; where it designated none, its 负责人; never the
  drafter.
- 签发: as the rule says — the 负责人; the 科室负责人 or the 负责人; or (承办人自行签发) any staff
  member who may write on the case.

Everyone must belong to the case's agency and may read the case (a 科室信息员 only its department's).

The gates: :func:`check_direct_issue` (``letters.services.generate_letter``) and
:func:`close_guard` (registered with ``cases.services.register_close_guard``, so ``close_case``
and ``answer_on_the_spot`` of every edge — views, API, commands — ask it). Both let a letter or
answer out at once only when the rule has no step before 签发 and the actor may sign; else only
the 签发 of a draft (:func:`signing`) does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import can_write
from gongkai.cases.models import Case, user_may_read_case
from gongkai.core.approval import (
    DEFAULT_POLICY,
    ApprovalRequired,
    ChainRule,
    DraftStatus,
    Signer,
    Subject,
    subject_of,
    subject_of_outcome,
)
from gongkai.core.letters import LetterType
from gongkai.core.outcomes import Outcome
from gongkai.letters.models import Approver, ApproverOffice, ChainRuleSetting, LetterDraft

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency

#: (case pk, letter kind) being signed off right now in this context (see :func:`signing`).
_signing: ContextVar[tuple[int, str] | None] = ContextVar("gongkai_letters_signing", default=None)


def policy_of(agency: Agency, on: dt.date) -> dict[Subject, ChainRule]:
    """The agency's whole policy on day ``on``: its rows in force over the default."""
    rows = {Subject(r.subject): r.rule for r in ChainRuleSetting.objects.filter(agency=agency, effective_from__lte=on)}
    return {subject: rows.get(subject, DEFAULT_POLICY[subject]) for subject in Subject}


def rule_for(agency: Agency, kind: LetterType, on: dt.date) -> ChainRule:
    """The agency's rule for ``kind`` on day ``on`` (a row in force, else the default)."""
    subject = subject_of(kind)
    row = ChainRuleSetting.objects.filter(agency=agency, subject=subject.value, effective_from__lte=on).first()
    return row.rule if row is not None else DEFAULT_POLICY[subject]


def _staff_of_case(user: Any, case: Case) -> bool:
    return user is not None and can_write(user, case.agency) and user_may_read_case(user, case)


def _department_head(user: Any, case: Case, drafter_department: int | None = None) -> bool:
    """A 科室负责人 of the case's department (else of the drafter's), or of all departments."""
    offices = Approver.objects.filter(user=user, office=ApproverOffice.DEPARTMENT_HEAD)
    department = case.department_id or drafter_department
    if department is None:
        return offices.exists()
    return offices.filter(Q(department__isnull=True) | Q(department_id=department)).exists()


def _legal_reviewer(user: Any, agency: Agency) -> bool:
    designated = Approver.objects.filter(
        office=ApproverOffice.LEGAL_REVIEWER, user__agency=agency, user__is_active=True
    )
    if designated.exists():
        return designated.filter(user=user).exists()
    return bool(user.role == Role.LEADER)


def may_sign(user: Any, rule: ChainRule, case: Case, drafter_department: int | None = None) -> bool:
    """Whether ``user`` may 签发 a letter of ``case`` under ``rule``."""
    if not _staff_of_case(user, case):
        return False
    if rule.signer is Signer.DRAFTER or user.role == Role.LEADER:
        return True
    return rule.signer is Signer.DEPARTMENT_HEAD and _department_head(user, case, drafter_department)


def may_act(user: Any, draft: LetterDraft, case: Case | None = None) -> bool:
    """Whether ``user`` may act on ``draft`` at its present step (审核, 法制审核 or 签发)."""
    case = case or draft.case
    status = draft.status_enum
    if status not in (DraftStatus.REVIEW, DraftStatus.LEGAL_REVIEW, DraftStatus.SIGN_OFF):
        return False
    if not _staff_of_case(user, case):
        return False
    if status is DraftStatus.SIGN_OFF:
        return may_sign(user, draft.rule, case, draft.drafted_by.department_id)
    if user.pk == draft.drafted_by_id:
        return False  # nobody reviews their own draft
    if status is DraftStatus.REVIEW:
        return bool(user.role == Role.LEADER) or _department_head(user, case, draft.drafted_by.department_id)
    return _legal_reviewer(user, case.agency)


def waits_for(user: Any, draft: LetterDraft, case: Case) -> bool:
    """Whether the draft belongs on ``user``'s desk: they may act, and at 审核 a 负责人 only where no
    科室负责人 (other than the drafter) covers the case's department — the 负责人 may still act on
    any draft from its page, but their desk is not filled with every draft under review."""
    if not may_act(user, draft, case):
        return False
    if draft.status_enum is not DraftStatus.REVIEW or user.role != Role.LEADER:
        return True
    heads = Approver.objects.filter(
        office=ApproverOffice.DEPARTMENT_HEAD, user__agency_id=case.agency_id, user__is_active=True
    ).exclude(user_id=draft.drafted_by_id)
    if case.department_id is not None:
        heads = heads.filter(Q(department__isnull=True) | Q(department_id=case.department_id))
    return not heads.exists()


def who_acts(draft: LetterDraft) -> str:
    """Who the present step waits for, in words (for the draft page and the desk)."""
    status = draft.status_enum
    if status is DraftStatus.REVIEW:
        return "科室负责人或机关负责人"
    if status is DraftStatus.LEGAL_REVIEW:
        names = [
            a.user.display_name
            for a in Approver.objects.filter(
                office=ApproverOffice.LEGAL_REVIEWER, user__agency_id=draft.agency_id, user__is_active=True
            ).select_related("user")
        ]
        return "、".join(names) if names else "机关负责人"
    if status is DraftStatus.SIGN_OFF:
        return {Signer.LEADER: "机关负责人", Signer.DEPARTMENT_HEAD: "科室负责人或机关负责人"}.get(
            draft.rule.signer, "承办人或负责人"
        )
    return "拟稿人"


@contextmanager
def signing(case: Case, kind: LetterType) -> Iterator[None]:
    """Inside: the 签发 of ``kind`` for ``case`` is under way, so the gates let it through."""
    token = _signing.set((case.pk, kind.value))
    try:
        yield
    finally:
        _signing.reset(token)


def _being_signed(case: Case, kind: LetterType) -> bool:
    return _signing.get() == (case.pk, kind.value)


def _refusal(rule: ChainRule, what: str) -> ApprovalRequired:
    return ApprovalRequired(
        f"{what}须经签批（{rule.describe()}）后才能发出：请在案件的“文书”页拟稿并送审，签发时自动编号、盖章"
    )


def check_direct_issue(*, actor: User, case: Case, kind: LetterType, today: dt.date) -> None:
    """Refuse issuing ``kind`` at once unless the rule has no step before 签发 and ``actor`` may sign.

    条例 art 36: the answer is the agency's act; its policy says who answers for it.
    """
    if _being_signed(case, kind):
        return
    rule = rule_for(case.agency, kind, today)
    if rule.direct and may_sign(actor, rule, case, actor.department_id):
        return
    raise _refusal(rule, f"案件 {case.number} 的“{subject_of(kind).label}”")


def close_guard(*, actor: User, case: Case, outcome: Outcome, today: dt.date) -> None:
    """The close guard of ``cases``: an answer (条例 arts 36, 37) leaves only as its policy allows."""
    check_direct_issue(actor=actor, case=case, kind=LetterType.for_outcome(outcome), today=today)


def subject_label(outcome: Outcome) -> str:
    return subject_of_outcome(outcome).label
