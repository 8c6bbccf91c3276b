"""The kinds of letter an agency sends in a 依申请公开 case: one enum, one member per template.

Five procedural letters (登记回执, 补正告知书, 延期答复告知书, 第三方意见征询函, 收费通知) and one
答复书/告知书 per statutory outcome, i.e. per outcome row of table 三
(:class:`gongkai.core.outcomes.Outcome`). ``gongkai.core.outcomes.LetterKind`` classifies an
outcome's answer (不予公开, 告知 …); :class:`LetterType` names the concrete template. The module
refuses to import if the answer members differ from the outcomes, so the two cannot drift.
"""

from __future__ import annotations

import re
from enum import StrEnum, auto

from gongkai.core.outcomes import LetterKind, Outcome
from gongkai.core.report.taxonomy import OUTCOME_GROUP_BY_KEY

ANSWER_PREFIX = "answer_"


class LetterType(StrEnum):
    """One letter template; the value is the lower-case name, so answers are ``"answer_" + Outcome.value``."""

    RECEIPT = auto()  # 受理回执/登记回执: 条例 arts 31, 33 ¶2, 45
    CORRECTION = auto()  # 补正告知书: 条例 art 30
    EXTENSION = auto()  # 延期答复告知书: 条例 art 33 ¶2
    THIRD_PARTY = auto()  # 第三方意见征询函: 条例 art 32
    FEE = auto()  # 收费通知: 条例 art 42, 国办函〔2020〕109号

    ANSWER_GRANTED = auto()
    ANSWER_PARTIAL = auto()
    ANSWER_WITHHELD_STATE_SECRET = auto()
    ANSWER_WITHHELD_PROHIBITED_BY_LAW = auto()
    ANSWER_WITHHELD_SECURITY_STABILITY = auto()
    ANSWER_WITHHELD_THIRD_PARTY = auto()
    ANSWER_WITHHELD_INTERNAL_AFFAIRS = auto()
    ANSWER_WITHHELD_PROCESS_INFORMATION = auto()
    ANSWER_WITHHELD_ENFORCEMENT_FILE = auto()
    ANSWER_WITHHELD_ADMINISTRATIVE_QUERY = auto()
    ANSWER_UNAVAILABLE_NOT_HELD = auto()
    ANSWER_UNAVAILABLE_NEEDS_CREATION = auto()
    ANSWER_UNAVAILABLE_STILL_UNCLEAR = auto()
    ANSWER_REJECTED_PETITION_COMPLAINT = auto()
    ANSWER_REJECTED_REPEATED = auto()
    ANSWER_REJECTED_PUBLICATION = auto()
    ANSWER_REJECTED_EXCESSIVE = auto()
    ANSWER_REJECTED_CONFIRM_EXISTING = auto()
    ANSWER_OTHER_NO_CORRECTION = auto()
    ANSWER_OTHER_FEE_UNPAID = auto()
    ANSWER_OTHER_OTHER = auto()

    @classmethod
    def for_outcome(cls, outcome: Outcome) -> LetterType:
        """The answer letter of a statutory outcome."""
        return cls(ANSWER_PREFIX + outcome.value)

    @property
    def outcome(self) -> Outcome | None:
        """The outcome this letter answers with; None for the procedural letters."""
        if self.value.startswith(ANSWER_PREFIX):
            return Outcome(self.value.removeprefix(ANSWER_PREFIX))
        return None

    @property
    def is_answer(self) -> bool:
        return self.outcome is not None

    @property
    def label(self) -> str:
        """Short Chinese name for lists, file names and admin choices ("不予公开答复书（属于国家秘密）")."""
        outcome = self.outcome
        if outcome is not None:
            return answer_label(outcome)
        return PROCEDURAL_LABELS[self]


def answer_label(outcome: Outcome) -> str:
    """ "部分公开答复书", "不予公开答复书（属于国家秘密）", "无法提供告知书（本机关不掌握相关政府信息）".

    The report's counting note in brackets ("（区分处理的，只计这一情形…）") is dropped.
    """
    short = re.sub(r"（[^）]*）$", "", outcome.label)
    if outcome.group_key is None or outcome.group_key == outcome.value:  # （一）（二）: a group of one row
        return f"{short}答复书"
    group = OUTCOME_GROUP_BY_KEY[outcome.group_key].label
    return f"{group}{'答复书' if outcome.letter is LetterKind.WITHHOLD else '告知书'}（{short}）"


PROCEDURAL_LABELS: dict[LetterType, str] = {
    LetterType.RECEIPT: "登记回执",
    LetterType.CORRECTION: "补正告知书",
    LetterType.EXTENSION: "延期答复告知书",
    LetterType.THIRD_PARTY: "第三方意见征询函",
    LetterType.FEE: "收费通知",
}

PROCEDURAL_TYPES: tuple[LetterType, ...] = tuple(PROCEDURAL_LABELS)
ANSWER_TYPES: tuple[LetterType, ...] = tuple(t for t in LetterType if t.value.startswith(ANSWER_PREFIX))

if tuple(t.value for t in ANSWER_TYPES) != tuple(ANSWER_PREFIX + o.value for o in Outcome):  # pragma: no cover
    raise RuntimeError("gongkai.core.letters.LetterType differs from gongkai.core.outcomes.Outcome")
