"""What a check says: one :class:`Finding` type for every check, on one report or across reports.

The consistency checks of one report (:mod:`.checks`, legal spec §3.7 V1–V6) and the checks
across reports (:mod:`.crosscheck`: narrative against tables, a region against its parts, two
files of one year) report in the same shape, so the CLI, the supervisor's pages and the sign-off
read one type. Rule ids are stable: programs and the UI key on them, never on messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from gongkai.core.report.model import Table2Value
from gongkai.core.report.taxonomy import ReportTable

Number = int | Decimal


class Severity(StrEnum):
    """How bad a finding is: an ``ERROR`` makes the report inconsistent, a ``WARNING`` asks a look."""

    ERROR = "error"
    WARNING = "warning"
    #: A check that could not be made because a cell it rests on was not read (not the report's fault).
    UNREAD = "unread"

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITY_LABELS: dict[Severity, str] = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.UNREAD: "未能读取"}


class Rule(StrEnum):
    """Stable ids of the checks; programs and the UI key on these, never on messages."""

    T3_BALANCE = "T3-BALANCE"  # V1: 一 + 二 = （七）总计 + 四, per column
    T3_TOTAL = "T3-TOTAL"  # V2: （七）总计 = Σ outcome rows, per column
    T3_ROW = "T3-ROW"  # V3: 总计 column = Σ six applicant columns, per row
    T4_TOTAL = "T4-TOTAL"  # V5: 总计 = 维持 + 纠正 + 其他 + 尚未审结, per group
    T2_NEGATIVE = "T2-NEGATIVE"  # counts and amounts are never negative (except 2019 本年增/减)
    T2_IN_FORCE = "T2-IN-FORCE"  # 现行有效 = last year's 现行有效 + 制发 − 废止 (2021 format)
    T3_CARRY = "T3-CARRY"  # V6: 上年结转 = last year's 结转下年度, per column
    PREVIOUS_MISMATCH = "PREVIOUS-MISMATCH"  # the "previous" report is not this agency's year N−1
    STRUCT_MISSING_TABLE = "STRUCT-MISSING-TABLE"  # a table with no number at all
    STRUCT_MISSING_ROW = "STRUCT-MISSING-ROW"  # a row (table 四: a group) with no number
    STRUCT_MISSING_COLUMN = "STRUCT-MISSING-COLUMN"  # a table 三 column blank in every row
    STRUCT_BLANK_CELL = "STRUCT-BLANK-CELL"  # one blank cell in an otherwise filled row
    STRUCT_UNREAD_CELL = "STRUCT-UNREAD-CELL"  # a reader's note: a cell it was unsure of
    CHECK_UNREAD = "CHECK-UNREAD"  # 未能读取: a check resting on a cell the reader could not read
    # Across reports (gongkai.core.report.crosscheck)
    NARRATIVE = "X-NARRATIVE"  # a number stated in the text ≠ the table cell it names
    NARRATIVE_FEE = "X-NARRATIVE-FEE"  # more 逾期未缴费 applications than 收费通知 sent
    REGION_SUM = "X-REGION-SUM"  # a parent region's cell ≠ the sum of its children's
    DUPLICATE = "X-DUPLICATE"  # two files of one agency and year with different numbers
    JUMP = "X-JUMP"  # a figure changed far more than a year explains (gongkai.core.report.jumps)

    @property
    def severity(self) -> Severity:
        return RULE_SEVERITY[self]


#: One severity per rule.
#: T3-CARRY is an error: 上年结转 of year N and 结转下年度 of year N−1 count the same applications
#: (those still open on 31 December of N−1), so a difference means one of the two published
#: reports is wrong. T2-IN-FORCE is a warning: a 规范性文件 whose 有效期 runs out leaves 现行有效
#: without being 废止, so the identity can fail on correct numbers. A table missing altogether is an
#: error (条例 art 50 requires it); blank rows, columns and cells, and a reader's doubts, are warnings.
#: X-NARRATIVE is an error: a sentence that states a count the table 三/四 cell it names does not hold
#: means the report says two different things about the same year (条例 art 50); the patterns skip
#: the clauses that count a part (其中…, 网上申请…). The other checks across reports are warnings: a
#: 区政府's report often counts only its own office, a fee notice may have been sent the year before
#: (X-NARRATIVE-FEE), a second file may be a correction.
RULE_SEVERITY: dict[Rule, Severity] = {
    Rule.T3_BALANCE: Severity.ERROR,
    Rule.T3_TOTAL: Severity.ERROR,
    Rule.T3_ROW: Severity.ERROR,
    Rule.T4_TOTAL: Severity.ERROR,
    Rule.T2_NEGATIVE: Severity.ERROR,
    Rule.T2_IN_FORCE: Severity.WARNING,
    Rule.T3_CARRY: Severity.ERROR,
    Rule.PREVIOUS_MISMATCH: Severity.WARNING,
    Rule.STRUCT_MISSING_TABLE: Severity.ERROR,
    Rule.STRUCT_MISSING_ROW: Severity.WARNING,
    Rule.STRUCT_MISSING_COLUMN: Severity.WARNING,
    Rule.STRUCT_BLANK_CELL: Severity.WARNING,
    Rule.STRUCT_UNREAD_CELL: Severity.WARNING,
    Rule.CHECK_UNREAD: Severity.UNREAD,
    Rule.NARRATIVE: Severity.ERROR,
    Rule.NARRATIVE_FEE: Severity.WARNING,
    Rule.REGION_SUM: Severity.WARNING,
    Rule.DUPLICATE: Severity.WARNING,
    Rule.JUMP: Severity.WARNING,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed check: which rule, where (table, row key, column key), both numbers, a message.

    ``row`` is a JSON key (table 三 row key, table 二 row key, table 四 group); ``column`` is a
    table 三 column index as a string ("0"–"6") or a table 二/四 field name, as in
    :class:`~gongkai.core.report.model.ReadNote`. ``expected`` is what the rule computes,
    ``actual`` what the report states; both ``None`` where the rule compares no numbers.
    ``quote`` is the sentence of the narrative a finding is about (X-NARRATIVE, X-NARRATIVE-FEE).
    """

    rule: Rule
    severity: Severity
    message: str
    table: ReportTable | None = None
    row: str | None = None
    column: str | None = None
    expected: Number | None = None
    actual: Number | None = None
    quote: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """JSON form; money is a decimal string as in ``gongkai.annual-report/1``.

        ``quote`` is there only for a finding that quotes the narrative.
        """
        data: dict[str, Any] = {
            "rule": self.rule.value,
            "severity": self.severity.value,
            "table": None if self.table is None else self.table.value,
            "row": self.row,
            "column": self.column,
            "expected": json_number(self.expected),
            "actual": json_number(self.actual),
            "message": self.message,
        }
        if self.quote is not None:
            data["quote"] = self.quote
        return data


class Verdict(StrEnum):
    """One report's outcome in an audit of many."""

    CONSISTENT = "consistent"
    ERRORS = "errors"
    WARNINGS = "warnings"
    UNREADABLE = "unreadable"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.CONSISTENT: "一致",
    Verdict.ERRORS: "有错误",
    Verdict.WARNINGS: "有警告",
    Verdict.UNREADABLE: "无法读取",
}


def verdict(findings: Iterable[Finding]) -> Verdict:
    """有错误 when any finding is an error, else 有警告 when any finding at all, else 一致."""
    items = list(findings)
    if any(f.is_error for f in items):
        return Verdict.ERRORS
    return Verdict.WARNINGS if items else Verdict.CONSISTENT


def count_errors(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    items = list(findings)
    errors = sum(1 for f in items if f.is_error)
    return errors, len(items) - errors


def describe_value(value: Table2Value) -> str:
    """A cell's value as a message prints it: "空白" for a blank, money without exponent."""
    if value is None:
        return "空白"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def json_number(value: Number | None) -> int | str | None:
    """A number for JSON: money as a decimal string, as in ``gongkai.annual-report/1``."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
