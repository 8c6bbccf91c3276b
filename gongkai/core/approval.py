"""签批: the approval chain every outgoing letter and closing answer goes through before it is issued.

A letter is drafted (拟稿), reviewed (审核: the 科室负责人's check of facts and wording), where the
agency requires it given a 法制审核 (the legality check of an adverse decision, 《重大行政执法决定
法制审核办法》 practice; 条例 art 36 answers that refuse are subject to 复议 and 诉讼, 条例 art 51),
and signed off (签发) by the one who answers for it in the agency's name (条例 art 36: the 行政机关's
答复). Only at 签发 is the 发文字号 taken and the seal placed (GB/T 9704-2012 §7.2.4, §7.3.5).

The machine has the one shape of ``core.states``: a :class:`DraftStatus`, a :class:`DraftEvent`
and the :data:`TRANSITIONS` table, with every step in it. What an agency requires of a kind of
letter is a :class:`ChainRule` (a row of its policy, :data:`DEFAULT_POLICY` when it set none);
:func:`advance` applies an event and skips the steps the rule does not require.

Who may act at each step is decided by the application (it knows users); the rules here are
the ones of the law of office: nobody reviews their own draft (:func:`may_review_own`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from gongkai.core.errors import InvalidTransition
from gongkai.core.letters.kinds import LetterType
from gongkai.core.outcomes import Outcome
from gongkai.core.states import TransitionTable, transition


class DraftStatus(StrEnum):
    """Where a draft letter stands in the chain."""

    DRAFT = "draft"  # 拟稿 (also after a return)
    REVIEW = "review"  # 待审核
    LEGAL_REVIEW = "legal_review"  # 待法制审核
    SIGN_OFF = "sign_off"  # 待签发
    ISSUED = "issued"  # 已签发: numbered, sealed, stored as a Letter
    CANCELLED = "cancelled"  # 已作废

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_waiting(self) -> bool:
        """Waiting for someone other than the drafter (审核, 法制审核 or 签发)."""
        return self in WAITING


STATUS_LABELS: dict[DraftStatus, str] = {
    DraftStatus.DRAFT: "拟稿",
    DraftStatus.REVIEW: "待审核",
    DraftStatus.LEGAL_REVIEW: "待法制审核",
    DraftStatus.SIGN_OFF: "待签发",
    DraftStatus.ISSUED: "已签发",
    DraftStatus.CANCELLED: "已作废",
}

WAITING: frozenset[DraftStatus] = frozenset({DraftStatus.REVIEW, DraftStatus.LEGAL_REVIEW, DraftStatus.SIGN_OFF})


class DraftEvent(StrEnum):
    """What a person does to a draft."""

    SUBMIT = "submit"  # 送审 (the drafter)
    APPROVE = "approve"  # 审核通过 / 法制审核通过
    SIGN = "sign"  # 签发
    RETURN = "return"  # 退回修改 (with a comment)
    CANCEL = "cancel"  # 作废 (the drafter, before it is sent on)

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS: dict[DraftEvent, str] = {
    DraftEvent.SUBMIT: "送审",
    DraftEvent.APPROVE: "审核通过",
    DraftEvent.SIGN: "签发",
    DraftEvent.RETURN: "退回修改",
    DraftEvent.CANCEL: "作废",
}

D, E = DraftStatus, DraftEvent

#: The full chain; :func:`advance` skips the steps a rule leaves out. 签发 is never skipped.
TRANSITIONS: TransitionTable[DraftStatus, DraftEvent] = TransitionTable(
    "文书拟稿",
    {
        D.DRAFT: {E.SUBMIT: D.REVIEW, E.CANCEL: D.CANCELLED},
        D.REVIEW: {E.APPROVE: D.LEGAL_REVIEW, E.RETURN: D.DRAFT},
        D.LEGAL_REVIEW: {E.APPROVE: D.SIGN_OFF, E.RETURN: D.DRAFT},
        D.SIGN_OFF: {E.SIGN: D.ISSUED, E.RETURN: D.DRAFT},
        D.ISSUED: {},
        D.CANCELLED: {},
    },
)


class Signer(StrEnum):
    """Who signs a kind of letter off (签发)."""

    DRAFTER = "drafter"  # 承办人自行签发 (routine notices: 登记回执, 补正告知…)
    DEPARTMENT_HEAD = "department_head"  # 科室负责人 (or the agency's 负责人)
    LEADER = "leader"  # 机关负责人

    @property
    def label(self) -> str:
        return SIGNER_LABELS[self]


SIGNER_LABELS: dict[Signer, str] = {
    Signer.DRAFTER: "承办人自行签发",
    Signer.DEPARTMENT_HEAD: "科室负责人签发",
    Signer.LEADER: "机关负责人签发",
}


class Subject(StrEnum):
    """The groups of letters a policy speaks of: each answer group of table 三 and each notice."""

    GRANTED = "granted"  # 予以公开 (条例 art 36(1)(2))
    PARTIAL = "partial"  # 部分公开 (条例 art 37)
    WITHHELD = "withheld"  # 不予公开 (条例 art 36(3), arts 14–16)
    UNAVAILABLE = "unavailable"  # 无法提供 (条例 art 36(4)(5), 38)
    REJECTED = "rejected"  # 不予处理 (条例 arts 35, 36(6)(7), 39)
    OTHER = "other"  # 其他处理
    RECEIPT = "receipt"  # 登记回执 (条例 art 31)
    CORRECTION = "correction"  # 补正告知书 (条例 art 30)
    EXTENSION = "extension"  # 延期答复告知书 (条例 art 33 ¶2)
    THIRD_PARTY = "third_party"  # 第三方意见征询函 (条例 art 32)
    FEE = "fee"  # 收费通知 (条例 art 42)

    @property
    def label(self) -> str:
        return SUBJECT_LABELS[self]

    @property
    def is_answer(self) -> bool:
        return self in ANSWER_SUBJECTS


SUBJECT_LABELS: dict[Subject, str] = {
    Subject.GRANTED: "予以公开答复",
    Subject.PARTIAL: "部分公开答复",
    Subject.WITHHELD: "不予公开答复",
    Subject.UNAVAILABLE: "无法提供答复",
    Subject.REJECTED: "不予处理答复",
    Subject.OTHER: "其他处理答复",
    Subject.RECEIPT: "登记回执",
    Subject.CORRECTION: "补正告知书",
    Subject.EXTENSION: "延期答复告知书",
    Subject.THIRD_PARTY: "第三方意见征询函",
    Subject.FEE: "收费通知",
}

ANSWER_SUBJECTS: frozenset[Subject] = frozenset(
    {Subject.GRANTED, Subject.PARTIAL, Subject.WITHHELD, Subject.UNAVAILABLE, Subject.REJECTED, Subject.OTHER}
)

_NOTICES: dict[LetterType, Subject] = {
    LetterType.RECEIPT: Subject.RECEIPT,
    LetterType.CORRECTION: Subject.CORRECTION,
    LetterType.EXTENSION: Subject.EXTENSION,
    LetterType.THIRD_PARTY: Subject.THIRD_PARTY,
    LetterType.FEE: Subject.FEE,
}


def subject_of_outcome(outcome: Outcome) -> Subject:
    """The policy group of an answer: its outcome group in table 三 (条例 arts 36, 37)."""
    return Subject(outcome.group_key)


def subject_of(kind: LetterType) -> Subject:
    """The policy group of a letter: a notice's own, an answer's outcome group."""
    outcome = kind.outcome
    return subject_of_outcome(outcome) if outcome is not None else _NOTICES[kind]


@dataclass(frozen=True, slots=True)
class ChainRule:
    """What one kind of letter needs before it goes out: 审核, 法制审核, and who signs."""

    review: bool = False
    legal: bool = False
    signer: Signer = Signer.DRAFTER

    @property
    def direct(self) -> bool:
        """No step before 签发: whoever may sign may issue at once."""
        return not self.review and not self.legal

    @property
    def steps(self) -> tuple[DraftStatus, ...]:
        """The waiting steps this rule requires, in order (签发 always last)."""
        chosen = (
            (DraftStatus.REVIEW, self.review),
            (DraftStatus.LEGAL_REVIEW, self.legal),
            (DraftStatus.SIGN_OFF, True),
        )
        return tuple(status for status, required in chosen if required)

    def describe(self) -> str:
        """The chain in words: "审核 → 法制审核 → 机关负责人签发"."""
        parts = [STATUS_LABELS[s].removeprefix("待") for s in self.steps if s is not DraftStatus.SIGN_OFF]
        return " → ".join([*parts, self.signer.label])


_LEADER = ChainRule(signer=Signer.LEADER)

#: The policy of an agency that configured none. Adverse answers (部分公开, 不予公开, 无法提供,
#: 不予处理) are subject to 复议 and 诉讼 (条例 art 51) and are signed off by the agency's
#: 负责人; 予以公开, 其他处理 and the procedural notices keep the officer's one-step issue. An
#: agency adds 审核 and 法制审核 in its own policy (it knows who does them).
DEFAULT_POLICY: Mapping[Subject, ChainRule] = MappingProxyType(
    {
        Subject.GRANTED: ChainRule(),
        Subject.PARTIAL: _LEADER,
        Subject.WITHHELD: _LEADER,
        Subject.UNAVAILABLE: _LEADER,
        Subject.REJECTED: _LEADER,
        Subject.OTHER: ChainRule(),
        Subject.RECEIPT: ChainRule(),
        Subject.CORRECTION: ChainRule(),
        Subject.EXTENSION: ChainRule(),
        Subject.THIRD_PARTY: ChainRule(),
        Subject.FEE: ChainRule(),
    }
)


def rule_of(policy: Mapping[Subject, ChainRule], subject: Subject) -> ChainRule:
    """The agency's rule for ``subject``; the default where it set none."""
    return policy.get(subject, DEFAULT_POLICY[subject])


def advance(rule: ChainRule, current: DraftStatus, event: DraftEvent) -> DraftStatus:
    """The status after ``event`` under ``rule``: the table's next status, skipping steps not required.

    Raises :class:`~gongkai.core.errors.InvalidTransition` for an event the table refuses.
    """
    status = transition(TRANSITIONS, current, event)
    required = rule.steps
    while status in WAITING and status not in required:
        status = transition(TRANSITIONS, status, DraftEvent.APPROVE)
    return status


def may_review_own(step: DraftStatus, rule: ChainRule) -> bool:
    """Whether the drafter may act at ``step`` on their own draft: never at 审核 or 法制审核 (a
    check by another person is the point of them); at 签发 only as the one the rule names."""
    return step is DraftStatus.SIGN_OFF


class ApprovalRequired(InvalidTransition):
    """A letter or an answer the agency's policy sends through 审核/法制审核/签发 was to go out without it."""
