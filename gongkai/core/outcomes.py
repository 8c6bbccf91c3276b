"""The statutory outcomes of an application: the outcome rows of table 三 (legal spec §1.3).

A closed case has exactly one :class:`Outcome`; the annual report counts cases per outcome. The
keys and labels are those of ``gongkai.core.report.taxonomy.OUTCOME_ROWS`` (the one definition):
member values are generated from member names (``auto()``) and the module refuses to import if
they differ from the taxonomy's keys, so the two cannot drift. Per outcome this module adds what
the law says: the legal basis, the kind of answer letter, and whether the decision is a 不予公开
that must tell the applicant to apply for 行政复议 first (R16).

Mappings to 条例 articles are derived [D] (spec §1.3) except where the row names the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum, auto

from gongkai.core.report.taxonomy import OUTCOME_GROUP_BY_KEY, OUTCOME_ROWS, TABLE3_ROW_BY_KEY, Table3Row


class Outcome(StrEnum):
    """One leaf outcome row of table 三; the value is the taxonomy row key."""

    GRANTED = auto()
    PARTIAL = auto()
    WITHHELD_STATE_SECRET = auto()
    WITHHELD_PROHIBITED_BY_LAW = auto()
    WITHHELD_SECURITY_STABILITY = auto()
    WITHHELD_THIRD_PARTY = auto()
    WITHHELD_INTERNAL_AFFAIRS = auto()
    WITHHELD_PROCESS_INFORMATION = auto()
    WITHHELD_ENFORCEMENT_FILE = auto()
    WITHHELD_ADMINISTRATIVE_QUERY = auto()
    UNAVAILABLE_NOT_HELD = auto()
    UNAVAILABLE_NEEDS_CREATION = auto()
    UNAVAILABLE_STILL_UNCLEAR = auto()
    REJECTED_PETITION_COMPLAINT = auto()
    REJECTED_REPEATED = auto()
    REJECTED_PUBLICATION = auto()
    REJECTED_EXCESSIVE = auto()
    REJECTED_CONFIRM_EXISTING = auto()
    OTHER_NO_CORRECTION = auto()
    OTHER_FEE_UNPAID = auto()
    OTHER_OTHER = auto()

    @property
    def row(self) -> Table3Row:
        return TABLE3_ROW_BY_KEY[self.value]

    @property
    def label(self) -> str:
        """The row's text as the national format prints it ("属于国家秘密")."""
        return self.row.label

    @property
    def full_label(self) -> str:
        """Group and row: "（三）不予公开 1.属于国家秘密"; top rows: "（一）予以公开"."""
        row = self.row
        if row.group_key is None:
            return row.full_label
        return f"{OUTCOME_GROUP_BY_KEY[row.group_key].full_label} {row.full_label}"

    @property
    def group_key(self) -> str:
        """The outcome group: granted, partial, withheld, unavailable, rejected, other."""
        return self.row.group_key or self.row.key

    @property
    def info(self) -> OutcomeInfo:
        return OUTCOME_INFO[self]

    @property
    def basis(self) -> str:
        return OUTCOME_INFO[self].basis

    @property
    def letter(self) -> LetterKind:
        return OUTCOME_INFO[self].letter

    @property
    def is_withholding(self) -> bool:
        return OUTCOME_INFO[self].withholding


if tuple(o.value for o in Outcome) != tuple(r.key for r in OUTCOME_ROWS):  # pragma: no cover - import guard
    raise RuntimeError("gongkai.core.outcomes.Outcome differs from taxonomy.OUTCOME_ROWS")


class LetterKind(StrEnum):
    """The kind of answer letter an outcome calls for (spec §1.3; Jiangsu templates S17 [D])."""

    PROVIDE = "provide"  # 提供信息 / 告知获取方式、途径 — art 36(1)(2)
    PARTIAL = "partial"  # 区分处理 — art 37
    WITHHOLD = "withhold"  # 不予公开并说明理由 — art 36(3)
    QUERY_PROCEDURE = "query_procedure"  # 告知依照有关法律、行政法规办理 — art 36(7)
    INFORM = "inform"  # 告知（信息不存在、非本机关、需另行制作、仍不明确）— arts 36(4)(5), 38, 30
    NOT_AN_APPLICATION = "not_an_application"  # 不作为政府信息公开申请处理 — art 39 ¶1
    NO_REPEAT = "no_repeat"  # 不予重复处理 — art 36(6)
    PUBLICATION_ROUTE = "publication_route"  # 告知获取公开出版物的途径 — art 39 ¶2
    NOT_PROCESSED = "not_processed"  # 不予处理 — art 35; practice
    NONE = "none"  # 终止办理，无答复书 (spec §1.3 "—")

    @property
    def label(self) -> str:
        return LETTER_LABELS[self]


LETTER_LABELS: dict[LetterKind, str] = {
    LetterKind.PROVIDE: "提供政府信息／告知获取方式和途径",
    LetterKind.PARTIAL: "区分处理（部分公开）",
    LetterKind.WITHHOLD: "不予公开告知",
    LetterKind.QUERY_PROCEDURE: "告知依照有关法律、行政法规办理",
    LetterKind.INFORM: "告知（无法提供）",
    LetterKind.NOT_AN_APPLICATION: "不作为政府信息公开申请处理告知",
    LetterKind.NO_REPEAT: "不予重复处理告知",
    LetterKind.PUBLICATION_ROUTE: "告知获取公开出版物的途径",
    LetterKind.NOT_PROCESSED: "不予处理告知",
    LetterKind.NONE: "无（不再处理）",
}


@dataclass(frozen=True, slots=True)
class OutcomeInfo:
    """What the law says about an outcome.

    ``withholding``: the decision refuses disclosure (wholly or, for 部分公开, in part), so from
    2024-01-01 the letter must say that 行政复议 comes before a lawsuit (R16, 行政复议法 art 23
    ¶1(4), ¶2). Set for table 三 （二） and every （三） row [D: 部分公开 refuses the withheld part;
    （三）8 is counted as 不予公开 by the format]. Other outcomes are not 不予公开 decisions.
    """

    basis: str
    letter: LetterKind
    withholding: bool


OUTCOME_INFO: dict[Outcome, OutcomeInfo] = {
    Outcome.GRANTED: OutcomeInfo("条例第三十六条第（一）项、第（二）项", LetterKind.PROVIDE, False),
    Outcome.PARTIAL: OutcomeInfo("条例第三十七条", LetterKind.PARTIAL, True),
    Outcome.WITHHELD_STATE_SECRET: OutcomeInfo("条例第十四条、第三十六条第（三）项", LetterKind.WITHHOLD, True),
    Outcome.WITHHELD_PROHIBITED_BY_LAW: OutcomeInfo("条例第十四条、第三十六条第（三）项", LetterKind.WITHHOLD, True),
    Outcome.WITHHELD_SECURITY_STABILITY: OutcomeInfo("条例第十四条、第三十六条第（三）项", LetterKind.WITHHOLD, True),
    Outcome.WITHHELD_THIRD_PARTY: OutcomeInfo(
        "条例第十五条、第三十二条、第三十六条第（三）项", LetterKind.WITHHOLD, True
    ),
    Outcome.WITHHELD_INTERNAL_AFFAIRS: OutcomeInfo(
        "条例第十六条第一款、第三十六条第（三）项", LetterKind.WITHHOLD, True
    ),
    Outcome.WITHHELD_PROCESS_INFORMATION: OutcomeInfo(
        "条例第十六条第二款、第三十六条第（三）项", LetterKind.WITHHOLD, True
    ),
    Outcome.WITHHELD_ENFORCEMENT_FILE: OutcomeInfo(
        "条例第十六条第二款、第三十六条第（三）项", LetterKind.WITHHOLD, True
    ),
    Outcome.WITHHELD_ADMINISTRATIVE_QUERY: OutcomeInfo("条例第三十六条第（七）项", LetterKind.QUERY_PROCEDURE, True),
    Outcome.UNAVAILABLE_NOT_HELD: OutcomeInfo("条例第三十六条第（四）项、第（五）项", LetterKind.INFORM, False),
    Outcome.UNAVAILABLE_NEEDS_CREATION: OutcomeInfo("条例第三十八条", LetterKind.INFORM, False),
    Outcome.UNAVAILABLE_STILL_UNCLEAR: OutcomeInfo("条例第三十条", LetterKind.INFORM, False),
    Outcome.REJECTED_PETITION_COMPLAINT: OutcomeInfo("条例第三十九条第一款", LetterKind.NOT_AN_APPLICATION, False),
    Outcome.REJECTED_REPEATED: OutcomeInfo("条例第三十六条第（六）项", LetterKind.NO_REPEAT, False),
    Outcome.REJECTED_PUBLICATION: OutcomeInfo("条例第三十九条第二款", LetterKind.PUBLICATION_ROUTE, False),
    Outcome.REJECTED_EXCESSIVE: OutcomeInfo("条例第三十五条", LetterKind.NOT_PROCESSED, False),
    Outcome.REJECTED_CONFIRM_EXISTING: OutcomeInfo("条例无明文规定（实践做法）", LetterKind.NOT_PROCESSED, False),
    Outcome.OTHER_NO_CORRECTION: OutcomeInfo("条例第三十条", LetterKind.NONE, False),
    Outcome.OTHER_FEE_UNPAID: OutcomeInfo("国办函〔2020〕109号（逾期未缴纳视为放弃申请）", LetterKind.NONE, False),
    Outcome.OTHER_OTHER: OutcomeInfo("（如申请人撤回申请）", LetterKind.NONE, False),
}

#: 行政复议法 (2023 revision) in force: 不予公开 decisions must name 行政复议 as the first step.
REVIEW_FIRST_FROM = date(2024, 1, 1)

WITHHOLDING_OUTCOMES: frozenset[Outcome] = frozenset(o for o, i in OUTCOME_INFO.items() if i.withholding)


def requires_review_first_notice(outcome: Outcome, decided_on: date) -> bool:
    """Whether the letter must say 行政复议 comes first: 行政复议法 (2023) art 23 ¶1(4), ¶2 (R16)."""
    return outcome.is_withholding and decided_on >= REVIEW_FIRST_FROM


def review_first_notice(review_body: str) -> str:
    """The sentence a 不予公开 letter carries: 行政复议法 (2023) art 23 ¶1(4), ¶2 and art 20 ¶1.

    ``review_body`` is the 行政复议机关 (art 20 ¶3: the letter names the body and the period).
    """
    return (
        f"如对本答复不服，应当先自知道该答复之日起六十日内向{review_body}申请行政复议；"
        "对行政复议决定不服的，可以依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政复议法》第二十条、第二十三条）。"
    )
