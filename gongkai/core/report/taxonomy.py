"""The national annual-report format as one definition.

Tables 二, 三 and 四 of the 《中华人民共和国政府信息公开工作年度报告格式》: 国办公开办函〔2021〕30号
(format "2021", used for the 2021 reports onwards) and the 2019 trial format of 国办公开办函〔2019〕60号
(format "2019", used for the 2019 and 2020 reports). Legal spec §3.4–3.6 and §4.

Readers, checks, writers and the case outcomes (``gongkai.core.outcomes``) all use these names;
nothing else spells a row key or a Chinese label.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SCHEMA = "gongkai.annual-report/1"


class ReportFormat(StrEnum):
    """Which national format a report follows (spec §3.1, §4)."""

    F2019 = "2019"
    F2021 = "2021"


# ---------------------------------------------------------------------------------------------
# Table 三: columns (申请人情况)
# ---------------------------------------------------------------------------------------------


class ApplicantType(StrEnum):
    """The six applicant columns of table 三 (spec §3.5). A case has exactly one."""

    NATURAL_PERSON = "natural_person"
    COMMERCIAL_ENTERPRISE = "commercial_enterprise"
    RESEARCH_INSTITUTION = "research_institution"
    PUBLIC_WELFARE_ORG = "public_welfare_org"
    LEGAL_SERVICE_ORG = "legal_service_org"
    OTHER_ORG = "other_org"

    @property
    def label(self) -> str:
        return APPLICANT_LABELS[self]

    @property
    def column(self) -> int:
        """Index of this applicant type's column in a table 三 row (0–5)."""
        return APPLICANT_COLUMNS.index(self)

    @property
    def is_organisation(self) -> bool:
        """True for the five sub-columns of 法人或其他组织."""
        return self is not ApplicantType.NATURAL_PERSON


APPLICANT_LABELS: dict[ApplicantType, str] = {
    ApplicantType.NATURAL_PERSON: "自然人",
    ApplicantType.COMMERCIAL_ENTERPRISE: "商业企业",
    ApplicantType.RESEARCH_INSTITUTION: "科研机构",
    ApplicantType.PUBLIC_WELFARE_ORG: "社会公益组织",
    ApplicantType.LEGAL_SERVICE_ORG: "法律服务机构",
    ApplicantType.OTHER_ORG: "其他",
}

#: Column order of every table 三 row: the six applicant types, then 总计.
APPLICANT_COLUMNS: tuple[ApplicantType, ...] = tuple(ApplicantType)
TOTAL_COLUMN = 6
COLUMN_COUNT = 7
COLUMN_LABELS: tuple[str, ...] = (*(APPLICANT_LABELS[a] for a in APPLICANT_COLUMNS), "总计")
ORGANISATION_GROUP_LABEL = "法人或其他组织"
APPLICANT_GROUP_LABEL = "申请人情况"
TABLE3_BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


# ---------------------------------------------------------------------------------------------
# Table 三: rows
# ---------------------------------------------------------------------------------------------


class RowKind(StrEnum):
    """What a table 三 row counts."""

    INTAKE = "intake"  # 一、本年新收 and 二、上年结转
    OUTCOME = "outcome"  # the 23 leaf rows of 三、本年度办理结果 (the statutory outcomes)
    TOTAL = "total"  # （七）总计
    CARRY = "carry"  # 四、结转下年度继续办理


class Table3Key(StrEnum):
    """The JSON key of each numeric row of table 三, in the order of the national format (spec §3.5).

    The outcome rows' keys are also the values of ``gongkai.core.outcomes.Outcome``.
    """

    NEW = "new"
    CARRIED_OVER = "carried_over"
    GRANTED = "granted"
    PARTIAL = "partial"
    WITHHELD_STATE_SECRET = "withheld_state_secret"  # noqa: S105 - a row key (属于国家秘密), not a secret
    WITHHELD_PROHIBITED_BY_LAW = "withheld_prohibited_by_law"
    WITHHELD_SECURITY_STABILITY = "withheld_security_stability"
    WITHHELD_THIRD_PARTY = "withheld_third_party"
    WITHHELD_INTERNAL_AFFAIRS = "withheld_internal_affairs"
    WITHHELD_PROCESS_INFORMATION = "withheld_process_information"
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file"
    WITHHELD_ADMINISTRATIVE_QUERY = "withheld_administrative_query"
    UNAVAILABLE_NOT_HELD = "unavailable_not_held"
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation"
    UNAVAILABLE_STILL_UNCLEAR = "unavailable_still_unclear"
    REJECTED_PETITION_COMPLAINT = "rejected_petition_complaint"
    REJECTED_REPEATED = "rejected_repeated"
    REJECTED_PUBLICATION = "rejected_publication"
    REJECTED_EXCESSIVE = "rejected_excessive"
    REJECTED_CONFIRM_EXISTING = "rejected_confirm_existing"
    OTHER_NO_CORRECTION = "other_no_correction"
    OTHER_FEE_UNPAID = "other_fee_unpaid"
    OTHER_OTHER = "other_other"
    TOTAL = "total"
    CARRIED_FORWARD = "carried_forward"


@dataclass(frozen=True, slots=True)
class Table3Row:
    """One numeric row of table 三.

    ``group`` is the outcome group it sits in ("（三）不予公开"), ``marker`` its own number
    ("（一）", "1.") and ``label`` its text without the number, exactly as the national format
    prints it.
    """

    key: Table3Key
    kind: RowKind
    marker: str
    label: str
    group_key: str | None = None

    @property
    def full_label(self) -> str:
        return f"{self.marker}{self.label}"


@dataclass(frozen=True, slots=True)
class OutcomeGroup:
    """A group of outcome rows: （一）…（七）. Groups （三）–（六） have sub-rows, no subtotal."""

    key: str
    marker: str
    label: str

    @property
    def full_label(self) -> str:
        return f"{self.marker}{self.label}"


OUTCOME_SECTION_LABEL = "三、本年度办理结果"

OUTCOME_GROUPS: tuple[OutcomeGroup, ...] = (
    OutcomeGroup("granted", "（一）", "予以公开"),
    OutcomeGroup("partial", "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）"),
    OutcomeGroup("withheld", "（三）", "不予公开"),
    OutcomeGroup("unavailable", "（四）", "无法提供"),
    OutcomeGroup("rejected", "（五）", "不予处理"),
    OutcomeGroup("other", "（六）", "其他处理"),
    OutcomeGroup("total", "（七）", "总计"),
)
OUTCOME_GROUP_BY_KEY: dict[str, OutcomeGroup] = {g.key: g for g in OUTCOME_GROUPS}

_OUTCOME_ROWS: tuple[Table3Row, ...] = (
    Table3Row(Table3Key.GRANTED, RowKind.OUTCOME, "（一）", "予以公开"),
    Table3Row(Table3Key.PARTIAL, RowKind.OUTCOME, "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）"),
    Table3Row(Table3Key.WITHHELD_STATE_SECRET, RowKind.OUTCOME, "1.", "属于国家秘密", "withheld"),
    Table3Row(Table3Key.WITHHELD_PROHIBITED_BY_LAW, RowKind.OUTCOME, "2.", "其他法律行政法规禁止公开", "withheld"),
    Table3Row(Table3Key.WITHHELD_SECURITY_STABILITY, RowKind.OUTCOME, "3.", "危及“三安全一稳定”", "withheld"),
    Table3Row(Table3Key.WITHHELD_THIRD_PARTY, RowKind.OUTCOME, "4.", "保护第三方合法权益", "withheld"),
    Table3Row(Table3Key.WITHHELD_INTERNAL_AFFAIRS, RowKind.OUTCOME, "5.", "属于三类内部事务信息", "withheld"),
    Table3Row(Table3Key.WITHHELD_PROCESS_INFORMATION, RowKind.OUTCOME, "6.", "属于四类过程性信息", "withheld"),
    Table3Row(Table3Key.WITHHELD_ENFORCEMENT_FILE, RowKind.OUTCOME, "7.", "属于行政执法案卷", "withheld"),
    Table3Row(Table3Key.WITHHELD_ADMINISTRATIVE_QUERY, RowKind.OUTCOME, "8.", "属于行政查询事项", "withheld"),
    Table3Row(Table3Key.UNAVAILABLE_NOT_HELD, RowKind.OUTCOME, "1.", "本机关不掌握相关政府信息", "unavailable"),
    Table3Row(Table3Key.UNAVAILABLE_NEEDS_CREATION, RowKind.OUTCOME, "2.", "没有现成信息需要另行制作", "unavailable"),
    Table3Row(Table3Key.UNAVAILABLE_STILL_UNCLEAR, RowKind.OUTCOME, "3.", "补正后申请内容仍不明确", "unavailable"),
    Table3Row(Table3Key.REJECTED_PETITION_COMPLAINT, RowKind.OUTCOME, "1.", "信访举报投诉类申请", "rejected"),
    Table3Row(Table3Key.REJECTED_REPEATED, RowKind.OUTCOME, "2.", "重复申请", "rejected"),
    Table3Row(Table3Key.REJECTED_PUBLICATION, RowKind.OUTCOME, "3.", "要求提供公开出版物", "rejected"),
    Table3Row(Table3Key.REJECTED_EXCESSIVE, RowKind.OUTCOME, "4.", "无正当理由大量反复申请", "rejected"),
    Table3Row(
        Table3Key.REJECTED_CONFIRM_EXISTING, RowKind.OUTCOME, "5.", "要求行政机关确认或重新出具已获取信息", "rejected"
    ),
    Table3Row(
        Table3Key.OTHER_NO_CORRECTION,
        RowKind.OUTCOME,
        "1.",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "other",
    ),
    Table3Row(
        Table3Key.OTHER_FEE_UNPAID,
        RowKind.OUTCOME,
        "2.",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "other",
    ),
    Table3Row(Table3Key.OTHER_OTHER, RowKind.OUTCOME, "3.", "其他", "other"),
)

#: The 25 numeric rows of table 三 in the order of the national format (spec §3.5).
TABLE3_ROWS: tuple[Table3Row, ...] = (
    Table3Row(Table3Key.NEW, RowKind.INTAKE, "一、", "本年新收政府信息公开申请数量"),
    Table3Row(Table3Key.CARRIED_OVER, RowKind.INTAKE, "二、", "上年结转政府信息公开申请数量"),
    *_OUTCOME_ROWS,
    Table3Row(Table3Key.TOTAL, RowKind.TOTAL, "（七）", "总计"),
    Table3Row(Table3Key.CARRIED_FORWARD, RowKind.CARRY, "四、", "结转下年度继续办理"),
)
TABLE3_ROW_BY_KEY: dict[str, Table3Row] = {r.key: r for r in TABLE3_ROWS}
TABLE3_KEYS: tuple[str, ...] = tuple(r.key for r in TABLE3_ROWS)
OUTCOME_ROWS: tuple[Table3Row, ...] = _OUTCOME_ROWS

#: 2019 format: （六）其他处理 is one row, read into ``other_other`` (report-json.md).
ROWS_ABSENT_IN_2019: frozenset[str] = frozenset({Table3Key.OTHER_NO_CORRECTION, Table3Key.OTHER_FEE_UNPAID})
OTHER_SINGLE_ROW_LABEL_2019 = "（六）其他处理"


def table3_rows(fmt: ReportFormat) -> tuple[Table3Row, ...]:
    """The table 三 rows a document of format ``fmt`` prints (2019: one （六） row)."""
    if fmt is ReportFormat.F2021:
        return TABLE3_ROWS
    return tuple(r for r in TABLE3_ROWS if r.key not in ROWS_ABSENT_IN_2019)


# ---------------------------------------------------------------------------------------------
# Table 二 (主动公开)
# ---------------------------------------------------------------------------------------------


class ValueType(StrEnum):
    COUNT = "count"  # integer
    MONEY = "money"  # decimal string
    SIGNED = "signed"  # integer that may be negative (本年增/减)


@dataclass(frozen=True, slots=True)
class Table2Field:
    key: str
    label: str
    value_type: ValueType = ValueType.COUNT


@dataclass(frozen=True, slots=True)
class Table2Row:
    """One row of table 二: ``key`` is the JSON key, ``fields`` its columns in print order."""

    key: str
    label: str
    block: str  # "第二十条第（一）项"
    fields: tuple[Table2Field, ...]


_ISSUED = Table2Field("issued", "本年制发件数")
_ABOLISHED = Table2Field("abolished", "本年废止件数")
_IN_FORCE = Table2Field("in_force", "现行有效件数")
_DECISIONS = Table2Field("decisions", "本年处理决定数量")

TABLE2_ROWS_2021: tuple[Table2Row, ...] = (
    Table2Row("regulations", "规章", "第二十条第（一）项", (_ISSUED, _ABOLISHED, _IN_FORCE)),
    Table2Row("normative_documents", "行政规范性文件", "第二十条第（一）项", (_ISSUED, _ABOLISHED, _IN_FORCE)),
    Table2Row("licensing", "行政许可", "第二十条第（五）项", (_DECISIONS,)),
    Table2Row("punishment", "行政处罚", "第二十条第（六）项", (_DECISIONS,)),
    Table2Row("coercion", "行政强制", "第二十条第（六）项", (_DECISIONS,)),
    Table2Row(
        "fees",
        "行政事业性收费",
        "第二十条第（八）项",
        (Table2Field("amount_10k_yuan", "本年收费金额（单位：万元）", ValueType.MONEY),),
    ),
)

# 2019 trial format (spec §4). Field names follow the 2021 style; documented in docs/report-json-2019.md.
_MADE = Table2Field("made", "本年新制作数量")
_PUBLISHED = Table2Field("published", "本年新公开数量")
_TOTAL_PUBLIC = Table2Field("total_public", "对外公开总数量")
_ITEMS_LAST_YEAR = Table2Field("items_last_year", "上一年项目数量")
_ITEMS_CHANGE = Table2Field("items_change", "本年增/减", ValueType.SIGNED)
_DECISIONS_2019 = Table2Field("decisions", "处理决定数量")

TABLE2_ROWS_2019: tuple[Table2Row, ...] = (
    Table2Row("regulations", "规章", "第二十条第（一）项", (_MADE, _PUBLISHED, _TOTAL_PUBLIC)),
    Table2Row("normative_documents", "规范性文件", "第二十条第（一）项", (_MADE, _PUBLISHED, _TOTAL_PUBLIC)),
    Table2Row("licensing", "行政许可", "第二十条第（五）项", (_ITEMS_LAST_YEAR, _ITEMS_CHANGE, _DECISIONS_2019)),
    Table2Row(
        "other_services",
        "其他对外管理服务事项",
        "第二十条第（五）项",
        (_ITEMS_LAST_YEAR, _ITEMS_CHANGE, _DECISIONS_2019),
    ),
    Table2Row("punishment", "行政处罚", "第二十条第（六）项", (_ITEMS_LAST_YEAR, _ITEMS_CHANGE, _DECISIONS_2019)),
    Table2Row("coercion", "行政强制", "第二十条第（六）项", (_ITEMS_LAST_YEAR, _ITEMS_CHANGE, _DECISIONS_2019)),
    Table2Row("fees", "行政事业性收费", "第二十条第（八）项", (_ITEMS_LAST_YEAR, _ITEMS_CHANGE)),
    Table2Row(
        "procurement",
        "政府集中采购",
        "第二十条第（九）项",
        (
            Table2Field("projects", "采购项目数量"),
            Table2Field("amount", "采购总金额", ValueType.MONEY),
        ),
    ),
)


def table2_rows(fmt: ReportFormat) -> tuple[Table2Row, ...]:
    """Rows of table 二 for a format (spec §3.4 for 2021, §4 for 2019)."""
    return TABLE2_ROWS_2021 if fmt is ReportFormat.F2021 else TABLE2_ROWS_2019


# ---------------------------------------------------------------------------------------------
# Table 四 (行政复议、行政诉讼)
# ---------------------------------------------------------------------------------------------


class ReviewKind(StrEnum):
    """The three groups of table 四 (spec §3.6)."""

    RECONSIDERATION = "reconsideration"
    LITIGATION_DIRECT = "litigation_direct"
    LITIGATION_AFTER_RECONSIDERATION = "litigation_after_reconsideration"

    @property
    def label(self) -> str:
        return REVIEW_KIND_LABELS[self]


REVIEW_KIND_LABELS: dict[ReviewKind, str] = {
    ReviewKind.RECONSIDERATION: "行政复议",
    ReviewKind.LITIGATION_DIRECT: "未经复议直接起诉",
    ReviewKind.LITIGATION_AFTER_RECONSIDERATION: "复议后起诉",
}
LITIGATION_GROUP_LABEL = "行政诉讼"


class ReviewResult(StrEnum):
    """Result columns of table 四; a record still open is ``PENDING`` (尚未审结)."""

    UPHELD = "upheld"
    CORRECTED = "corrected"
    OTHER = "other"
    PENDING = "pending"

    @property
    def label(self) -> str:
        return REVIEW_RESULT_LABELS[self]


REVIEW_RESULT_LABELS: dict[ReviewResult, str] = {
    ReviewResult.UPHELD: "结果维持",
    ReviewResult.CORRECTED: "结果纠正",
    ReviewResult.OTHER: "其他结果",
    ReviewResult.PENDING: "尚未审结",
}
TABLE4_TOTAL_KEY = "total"
TABLE4_TOTAL_LABEL = "总计"
#: Field order of one table 四 group: the four results then 总计 (15 cells in the row).
TABLE4_FIELDS: tuple[str, ...] = (*(r.value for r in ReviewResult), TABLE4_TOTAL_KEY)
TABLE4_GROUPS: tuple[ReviewKind, ...] = tuple(ReviewKind)


# ---------------------------------------------------------------------------------------------
# Section headings (spec §3.3)
# ---------------------------------------------------------------------------------------------

SECTION_HEADINGS: dict[str, str] = {
    "overview": "一、总体情况",
    "table2": "二、主动公开政府信息情况",
    "table3": "三、收到和处理政府信息公开申请情况",
    "table4": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


# ---------------------------------------------------------------------------------------------
# Names of places in a report, for messages, CSV and summaries
# ---------------------------------------------------------------------------------------------


class ReportTable(StrEnum):
    """The numbered tables of a report, as ``ReadNote.table`` and check findings name them."""

    TABLE2 = "二"
    TABLE3 = "三"
    TABLE4 = "四"

    @property
    def label(self) -> str:
        return f"表{self.value}"


FORMAT_LABELS: dict[ReportFormat, str] = {
    ReportFormat.F2019: "2019年试行格式（国办公开办函〔2019〕60号）",
    ReportFormat.F2021: "2021年格式（国办公开办函〔2021〕30号）",
}


def table3_row_label(key: str, fmt: ReportFormat = ReportFormat.F2021) -> str:
    """A table 三 row's label as the document prints it, with its outcome group in front.

    Sub-rows repeat their numbers ("1." under （三）, （四）, …), so they are named
    "（三）不予公开 1.属于国家秘密". In the 2019 format ``other_other`` is the single row （六）其他处理.
    """
    row = TABLE3_ROW_BY_KEY[key]
    if fmt is ReportFormat.F2019 and key == Table3Key.OTHER_OTHER:
        return OTHER_SINGLE_ROW_LABEL_2019
    if row.group_key is None:
        return row.full_label
    return f"{OUTCOME_GROUP_BY_KEY[row.group_key].full_label} {row.full_label}"


def table4_group_label(group: ReviewKind) -> str:
    """A table 四 group's label; the two litigation groups carry 行政诉讼 in front."""
    if group is ReviewKind.RECONSIDERATION:
        return group.label
    return f"{LITIGATION_GROUP_LABEL}·{group.label}"
