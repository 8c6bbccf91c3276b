"""签批: the draft state machine, chain rules that skip steps, the policy groups and the default."""

from __future__ import annotations

import pytest

from gongkai.core.approval import (
    DEFAULT_POLICY,
    TRANSITIONS,
    WAITING,
    ChainRule,
    DraftEvent,
    DraftStatus,
    Signer,
    Subject,
    advance,
    rule_of,
    subject_of,
    subject_of_outcome,
)
from gongkai.core.errors import InvalidTransition
from gongkai.core.letters import LetterType
from gongkai.core.outcomes import Outcome

D, E = DraftStatus, DraftEvent
FULL = ChainRule(review=True, legal=True, signer=Signer.LEADER)
LEGAL_ONLY = ChainRule(legal=True, signer=Signer.LEADER)
REVIEW_ONLY = ChainRule(review=True, signer=Signer.DEPARTMENT_HEAD)
SIGN_ONLY = ChainRule(signer=Signer.LEADER)

# (rule, start, event, expected status)
STEPS = [
    (FULL, D.DRAFT, E.SUBMIT, D.REVIEW),
    (FULL, D.REVIEW, E.APPROVE, D.LEGAL_REVIEW),
    (FULL, D.LEGAL_REVIEW, E.APPROVE, D.SIGN_OFF),
    (FULL, D.SIGN_OFF, E.SIGN, D.ISSUED),
    (FULL, D.REVIEW, E.RETURN, D.DRAFT),
    (FULL, D.LEGAL_REVIEW, E.RETURN, D.DRAFT),
    (FULL, D.SIGN_OFF, E.RETURN, D.DRAFT),
    (FULL, D.DRAFT, E.CANCEL, D.CANCELLED),
    (LEGAL_ONLY, D.DRAFT, E.SUBMIT, D.LEGAL_REVIEW),  # 审核 skipped
    (LEGAL_ONLY, D.LEGAL_REVIEW, E.APPROVE, D.SIGN_OFF),
    (REVIEW_ONLY, D.DRAFT, E.SUBMIT, D.REVIEW),
    (REVIEW_ONLY, D.REVIEW, E.APPROVE, D.SIGN_OFF),  # 法制审核 skipped
    (SIGN_ONLY, D.DRAFT, E.SUBMIT, D.SIGN_OFF),  # straight to 签发
    (ChainRule(), D.DRAFT, E.SUBMIT, D.SIGN_OFF),  # 签发 is never skipped, even by the drafter
]


@pytest.mark.parametrize(("rule", "start", "event", "expected"), STEPS)
def test_advance_follows_the_table_and_skips_steps_not_required(
    rule: ChainRule, start: DraftStatus, event: DraftEvent, expected: DraftStatus
) -> None:
    assert advance(rule, start, event) is expected


# (start, event) the table refuses whatever the rule
REFUSED = [
    (D.DRAFT, E.APPROVE),  # nobody approves what was not sent
    (D.DRAFT, E.SIGN),  # no 签发 of a draft not sent
    (D.REVIEW, E.SIGN),  # 签发 skipping 审核 / 法制审核
    (D.LEGAL_REVIEW, E.SIGN),
    (D.REVIEW, E.CANCEL),  # withdrawn only by return first
    (D.SIGN_OFF, E.APPROVE),
    (D.ISSUED, E.RETURN),  # issued is final
    (D.ISSUED, E.SIGN),
    (D.CANCELLED, E.SUBMIT),
]


@pytest.mark.parametrize(("start", "event"), REFUSED)
def test_refused_events_name_the_draft_and_step(start: DraftStatus, event: DraftEvent) -> None:
    with pytest.raises(InvalidTransition, match=f"文书拟稿处于“{start.label}”状态，不能执行“{event.label}”"):
        advance(FULL, start, event)


def test_every_status_has_a_row_and_final_ones_allow_nothing() -> None:
    assert set(TRANSITIONS) == set(DraftStatus)
    assert TRANSITIONS.allowed(D.ISSUED) == () and TRANSITIONS.allowed(D.CANCELLED) == ()
    assert {D.REVIEW, D.LEGAL_REVIEW, D.SIGN_OFF} == WAITING
    assert all(E.RETURN in TRANSITIONS[s] for s in WAITING)  # every waiting step may send it back


@pytest.mark.parametrize(
    ("rule", "steps", "words"),
    [
        (FULL, (D.REVIEW, D.LEGAL_REVIEW, D.SIGN_OFF), "审核 → 法制审核 → 机关负责人签发"),
        (REVIEW_ONLY, (D.REVIEW, D.SIGN_OFF), "审核 → 科室负责人签发"),
        (ChainRule(), (D.SIGN_OFF,), "承办人自行签发"),
    ],
)
def test_rule_steps_and_words(rule: ChainRule, steps: tuple[DraftStatus, ...], words: str) -> None:
    assert rule.steps == steps and rule.describe() == words


SUBJECTS = [
    (Outcome.GRANTED, Subject.GRANTED),
    (Outcome.PARTIAL, Subject.PARTIAL),
    (Outcome.WITHHELD_STATE_SECRET, Subject.WITHHELD),
    (Outcome.WITHHELD_ENFORCEMENT_FILE, Subject.WITHHELD),
    (Outcome.UNAVAILABLE_NOT_HELD, Subject.UNAVAILABLE),
    (Outcome.REJECTED_REPEATED, Subject.REJECTED),
    (Outcome.OTHER_OTHER, Subject.OTHER),
]


@pytest.mark.parametrize(("outcome", "subject"), SUBJECTS)
def test_an_answer_falls_in_its_table_three_group(outcome: Outcome, subject: Subject) -> None:
    assert subject_of_outcome(outcome) is subject
    assert subject_of(LetterType.for_outcome(outcome)) is subject and subject.is_answer


def test_every_letter_kind_has_a_policy_group() -> None:
    assert {subject_of(k) for k in LetterType} == set(Subject)
    assert subject_of(LetterType.RECEIPT) is Subject.RECEIPT and not Subject.RECEIPT.is_answer


# The default (an agency that configured nothing): adverse answers signed off by the 负责人.
DEFAULTS = [
    (Subject.WITHHELD, ChainRule(signer=Signer.LEADER)),
    (Subject.PARTIAL, ChainRule(signer=Signer.LEADER)),
    (Subject.UNAVAILABLE, ChainRule(signer=Signer.LEADER)),
    (Subject.REJECTED, ChainRule(signer=Signer.LEADER)),
    (Subject.GRANTED, ChainRule()),
    (Subject.RECEIPT, ChainRule()),
    (Subject.CORRECTION, ChainRule()),
]


@pytest.mark.parametrize(("subject", "rule"), DEFAULTS)
def test_default_policy(subject: Subject, rule: ChainRule) -> None:
    assert DEFAULT_POLICY[subject] == rule and rule_of({}, subject) == rule


def test_an_agency_row_overrides_the_default_for_its_group_only() -> None:
    policy = {Subject.WITHHELD: FULL}
    assert rule_of(policy, Subject.WITHHELD) == FULL
    assert rule_of(policy, Subject.PARTIAL) == DEFAULT_POLICY[Subject.PARTIAL]
    assert set(DEFAULT_POLICY) == set(Subject)
