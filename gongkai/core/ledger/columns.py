"""The ledger's columns (order, labels, widths, types, accepted header variants) and its row type.

:data:`COLUMNS` is the one definition of the sheet; writing (``write``) and reading (``read``)
both follow it. Outcomes are written with their table 三 label (:func:`outcome_ledger_label`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import OUTCOME_GROUP_BY_KEY, ApplicantType


class LedgerColumn(StrEnum):
    """The columns of the ledger, in sheet order."""

    SERIAL = "serial"
    CASE_NUMBER = "case_number"
    RECEIVED_ON = "received_on"
    CHANNEL = "channel"
    APPLICANT_TYPE = "applicant_type"
    APPLICANT_NAME = "applicant_name"
    ID_NUMBER = "id_number"
    CONTACT = "contact"
    REQUEST = "request"
    DUE_ON = "due_on"
    EXTENDED = "extended"
    ANSWERED_ON = "answered_on"
    OUTCOME = "outcome"
    FEE_CHARGED = "fee_charged"
    FEE_AMOUNT = "fee_amount"
    NOTE = "note"

    @property
    def spec(self) -> ColumnSpec:
        return COLUMN_BY_KEY[self]

    @property
    def label(self) -> str:
        return COLUMN_BY_KEY[self].label


class CellType(StrEnum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One ledger column: header label, Excel width, type, whether required, header variants."""

    key: LedgerColumn
    label: str
    width: float
    type: CellType
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(LedgerColumn.SERIAL, "序号", 6, CellType.TEXT, aliases=("No", "No.")),
    ColumnSpec(
        LedgerColumn.CASE_NUMBER, "申请编号", 16, CellType.TEXT, True, ("编号", "受理编号", "登记编号", "案件编号")
    ),
    ColumnSpec(
        LedgerColumn.RECEIVED_ON,
        "收到申请日期",
        13,
        CellType.DATE,
        True,
        ("收到申请之日", "收到日期", "申请日期", "受理日期", "收件日期"),
    ),
    ColumnSpec(
        LedgerColumn.CHANNEL, "申请方式/渠道", 14, CellType.CHOICE, True, ("申请方式", "申请渠道", "渠道", "提交方式")
    ),
    ColumnSpec(LedgerColumn.APPLICANT_TYPE, "申请人类型", 13, CellType.CHOICE, True, ("申请人类别", "申请人性质")),
    ColumnSpec(
        LedgerColumn.APPLICANT_NAME,
        "申请人姓名/名称",
        18,
        CellType.TEXT,
        True,
        ("申请人姓名", "申请人名称", "申请人", "姓名/名称", "姓名"),
    ),
    ColumnSpec(
        LedgerColumn.ID_NUMBER,
        "证件号码",
        22,
        CellType.TEXT,
        aliases=("身份证号码", "身份证号", "证件号", "身份证明", "统一社会信用代码"),
    ),
    ColumnSpec(LedgerColumn.CONTACT, "联系方式", 16, CellType.TEXT, aliases=("联系电话", "电话")),
    ColumnSpec(LedgerColumn.REQUEST, "申请内容", 40, CellType.TEXT, True, ("申请公开内容", "申请事项", "所需信息")),
    ColumnSpec(
        LedgerColumn.DUE_ON, "答复期限", 13, CellType.DATE, aliases=("答复截止日期", "应答复日期", "法定答复期限")
    ),
    ColumnSpec(LedgerColumn.EXTENDED, "是否延期", 9, CellType.YES_NO, aliases=("延期",)),
    ColumnSpec(LedgerColumn.ANSWERED_ON, "答复日期", 13, CellType.DATE, aliases=("实际答复日期", "办结日期")),
    ColumnSpec(LedgerColumn.OUTCOME, "办理结果", 30, CellType.CHOICE, aliases=("答复结果", "处理结果", "答复类型")),
    ColumnSpec(LedgerColumn.FEE_CHARGED, "是否收费", 9, CellType.YES_NO),
    ColumnSpec(LedgerColumn.FEE_AMOUNT, "收费金额", 10, CellType.AMOUNT, aliases=("收费金额(元)", "金额")),
    ColumnSpec(LedgerColumn.NOTE, "备注", 24, CellType.TEXT),
)
COLUMN_BY_KEY: dict[LedgerColumn, ColumnSpec] = {c.key: c for c in COLUMNS}
if tuple(c.key for c in COLUMNS) != tuple(LedgerColumn):  # pragma: no cover - import guard
    raise RuntimeError("ledger COLUMNS differ from LedgerColumn")

HEADER_LABELS: tuple[str, ...] = tuple(c.label for c in COLUMNS)
SHEET_TITLE = "依申请公开台账"
OPTIONS_SHEET = "选项"
YES, NO = "是", "否"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One application in the ledger. ``line`` is its row in the source sheet (not compared)."""

    case_number: str
    received_on: date
    channel: Channel
    applicant_type: ApplicantType
    applicant_name: str
    request: str
    id_number: str = ""
    contact: str = ""
    due_on: date | None = None
    extended: bool = False
    answered_on: date | None = None
    outcome: Outcome | None = None
    fee_charged: bool = False
    fee_amount: int | None = None  # 元; every fee tier is a whole number of yuan (gongkai.core.fees)
    note: str = ""
    line: int = field(default=0, compare=False)


_OUTCOME_SEPARATOR = "-"


def outcome_ledger_label(outcome: Outcome) -> str:
    """How the ledger writes an outcome: the table 三 label, sub-rows with their group in front.

    "予以公开"; "不予公开-属于国家秘密"; "其他处理-其他".
    """
    row = outcome.row
    if row.group_key is None:
        return row.label
    return f"{OUTCOME_GROUP_BY_KEY[row.group_key].label}{_OUTCOME_SEPARATOR}{row.label}"
