"""The consistency checks (勾稽关系) of an annual report: spec §3.7 V1–V6 and the structure rules.

Every report is built here from ``AnnualReport.zero()``; the expected numbers are worked out from
how the test built the report, never copied from the code's output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest

from gongkai.core.report.checks import BLANK_AS_ZERO, check_report, has_errors
from gongkai.core.report.findings import RULE_SEVERITY, Finding, Rule, Severity
from gongkai.core.report.model import AnnualReport, ReadNote
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    COLUMN_LABELS,
    OUTCOME_ROWS,
    REVIEW_RESULT_LABELS,
    ROWS_ABSENT_IN_2019,
    TABLE4_TOTAL_LABEL,
    TOTAL_COLUMN,
    ReportFormat,
    ReportTable,
    ReviewKind,
    ReviewResult,
    table2_rows,
    table3_row_label,
    table4_group_label,
)

F2019, F2021 = ReportFormat.F2019, ReportFormat.F2021

# Applicant columns 0–5 of the rows that are not 0 in the consistent report; 总计 is their sum.
# Column 2 (科研机构) is 0 everywhere, column 4 (法律服务机构) only in carried_over.
NEW = [20, 5, 0, 1, 2, 1]
CARRIED_OVER = [3, 1, 0, 0, 0, 0]
OUTCOMES_2021 = {
    "granted": [10, 2, 0, 1, 1, 0],
    "partial": [2, 1, 0, 0, 0, 0],
    "withheld_state_secret": [1, 0, 0, 0, 0, 0],
    "unavailable_not_held": [4, 1, 0, 0, 0, 1],
    "rejected_repeated": [1, 0, 0, 0, 0, 0],
    "other_no_correction": [1, 0, 0, 0, 0, 0],
    "other_other": [1, 0, 0, 0, 0, 0],
}
REVIEWS = {
    ReviewKind.RECONSIDERATION: {"upheld": 2, "corrected": 1, "other": 0, "pending": 1},
    ReviewKind.LITIGATION_DIRECT: {"upheld": 1, "corrected": 0, "other": 1, "pending": 0},
    ReviewKind.LITIGATION_AFTER_RECONSIDERATION: {"upheld": 0, "corrected": 0, "other": 0, "pending": 1},
}


def _with_total(applicants: list[int]) -> list[int | None]:
    return [*applicants, sum(applicants)]


def consistent(fmt: ReportFormat = F2021, *, year: int = 2023, agency: str = "测试区人民政府") -> AnnualReport:
    """A report in which every rule holds, with numbers in several columns."""
    report = AnnualReport.zero(fmt, agency=agency, year=year)
    report.table3["new"] = _with_total(NEW)
    report.table3["carried_over"] = _with_total(CARRIED_OVER)
    outcomes = dict(OUTCOMES_2021)
    if fmt is F2019:  # （六）其他处理 is one row: both 2021 sub-rows' cases are in other_other
        outcomes.pop("other_no_correction")
        outcomes["other_other"] = [2, 0, 0, 0, 0, 0]
    for key, applicants in outcomes.items():
        report.table3[key] = _with_total(applicants)
    total = [sum(values[c] for values in outcomes.values()) for c in range(6)]
    report.table3["total"] = _with_total(total)
    report.table3["carried_forward"] = _with_total([NEW[c] + CARRIED_OVER[c] - total[c] for c in range(6)])
    for kind, results in REVIEWS.items():
        report.table4[kind.value] = {**results, "total": sum(results.values())}
    if fmt is F2021:
        report.table2["regulations"] = {"issued": 1, "abolished": 0, "in_force": 6}
        report.table2["normative_documents"] = {"issued": 3, "abolished": 1, "in_force": 12}
        report.table2["punishment"] = {"decisions": 2015}
        report.table2["fees"] = {"amount_10k_yuan": Decimal("12.50")}
    else:
        report.table2["licensing"] = {"items_last_year": 12, "items_change": -2, "decisions": 930}
        report.table2["procurement"] = {"projects": 7, "amount": Decimal("153.6")}
    return report


def place(table: ReportTable, row_label: str | None, column_label: str | None, row_word: str = "行") -> str:
    """The Chinese place prefix a message starts with, spelled from the taxonomy's labels."""
    parts = [table.label]
    if row_label is not None:
        parts.append(f"“{row_label}” {row_word}")
    if column_label is not None:
        parts.append(f"“{column_label}” 列")
    return " ".join(parts) + "："


def where(findings: list[Finding]) -> set[tuple[Rule, str | None, str | None]]:
    return {(f.rule, f.row, f.column) for f in findings}


# ---------------------------------------------------------------------------------------------
# A consistent report
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [F2021, F2019])
def test_consistent_report_has_no_findings(fmt: ReportFormat) -> None:
    report = consistent(fmt)
    assert check_report(report) == []
    assert not has_errors(check_report(report))


def test_all_zero_report_is_consistent() -> None:
    assert check_report(AnnualReport.zero()) == []
    assert check_report(AnnualReport.zero(F2019)) == []


def test_2019_absent_other_rows_are_not_missing_but_2021_ones_are() -> None:
    report_2019 = consistent(F2019)
    assert all(report_2019.table3[key] == [None] * COLUMN_COUNT for key in ROWS_ABSENT_IN_2019)
    assert check_report(report_2019) == []

    report_2021 = consistent(F2021)
    report_2021.table3["other_fee_unpaid"] = [None] * COLUMN_COUNT  # was all 0
    findings = check_report(report_2021)
    assert where(findings) == {(Rule.STRUCT_MISSING_ROW, "other_fee_unpaid", None)}
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message.startswith(place(ReportTable.TABLE3, table3_row_label("other_fee_unpaid"), None))


def test_2019_single_other_row_is_named_as_the_2019_format_prints_it() -> None:
    report = consistent(F2019)
    report.table3["other_other"][0] = 3  # was 2; its 总计 column still says 2
    findings = check_report(report)
    row_finding = next(f for f in findings if f.rule is Rule.T3_ROW)
    assert row_finding.row == "other_other"
    assert "“（六）其他处理” 行" in row_finding.message
    assert (row_finding.expected, row_finding.actual) == (3, 2)
    assert where(findings) == {(Rule.T3_ROW, "other_other", "6"), (Rule.T3_TOTAL, "total", "0")}
    # the 2019 format's absent rows are not blanks of this document
    assert all(BLANK_AS_ZERO not in f.message for f in findings)


# ---------------------------------------------------------------------------------------------
# Each rule fires on a report built to break it
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """A way to break a consistent report, every finding it must give, and the main one in detail."""

    name: str
    mutate: Callable[[AnnualReport], None]
    fired: set[tuple[Rule, str | None, str | None]]
    rule: Rule
    table: ReportTable
    row: str | None
    column: str | None
    expected: int | Decimal | None
    actual: int | Decimal | None
    place: str
    fmt: ReportFormat = F2021


def _add(key: str, column: int, amount: int, *, total_too: bool = True) -> Callable[[AnnualReport], None]:
    def mutate(report: AnnualReport) -> None:
        row = report.table3[key]
        row[column] = (row[column] or 0) + amount
        if total_too:
            row[TOTAL_COLUMN] = (row[TOTAL_COLUMN] or 0) + amount

    return mutate


def _set(table: str, row: str, column: str | int, value: object) -> Callable[[AnnualReport], None]:
    def mutate(report: AnnualReport) -> None:
        getattr(report, table)[row][column] = value

    return mutate


def _blank_table(table: str) -> Callable[[AnnualReport], None]:
    def mutate(report: AnnualReport) -> None:
        data = getattr(report, table)
        for key, values in data.items():
            if isinstance(values, list):
                data[key] = [None] * len(values)
            else:
                data[key] = dict.fromkeys(values)

    return mutate


def _blank_row(table: str, key: str) -> Callable[[AnnualReport], None]:
    def mutate(report: AnnualReport) -> None:
        data = getattr(report, table)
        values = data[key]
        data[key] = [None] * len(values) if isinstance(values, list) else dict.fromkeys(values)

    return mutate


def _blank_column(column: int) -> Callable[[AnnualReport], None]:
    def mutate(report: AnnualReport) -> None:
        for values in report.table3.values():
            values[column] = None

    return mutate


T3, T2, T4 = ReportTable.TABLE3, ReportTable.TABLE2, ReportTable.TABLE4
NEW_TOTAL = sum(NEW)
TOTAL_0 = sum(v[0] for v in OUTCOMES_2021.values())
CARRIED_FORWARD_0 = NEW[0] + CARRIED_OVER[0] - TOTAL_0
OUTCOMES_1 = sum(v[1] for v in OUTCOMES_2021.values())

BROKEN = [
    Broken(
        "V1 balance: one more new application than handled",
        _add("new", 0, 1),
        {(Rule.T3_BALANCE, None, "0"), (Rule.T3_BALANCE, None, "6")},
        Rule.T3_BALANCE,
        T3,
        None,
        "0",
        NEW[0] + 1 + CARRIED_OVER[0],
        TOTAL_0 + CARRIED_FORWARD_0,
        place(T3, None, "自然人"),
    ),
    Broken(
        "V2 total: outcome rows add up to more than （七）总计",
        _add("granted", 1, 2),
        {(Rule.T3_TOTAL, "total", "1"), (Rule.T3_TOTAL, "total", "6")},
        Rule.T3_TOTAL,
        T3,
        "total",
        "1",
        OUTCOMES_1 + 2,
        OUTCOMES_1,
        place(T3, "（七）总计", "商业企业"),
    ),
    Broken(
        "V3 row: 总计 column differs from the six applicant columns",
        _add("withheld_state_secret", TOTAL_COLUMN, 1, total_too=False),
        {(Rule.T3_ROW, "withheld_state_secret", "6"), (Rule.T3_TOTAL, "total", "6")},
        Rule.T3_ROW,
        T3,
        "withheld_state_secret",
        "6",
        OUTCOMES_2021["withheld_state_secret"][0],
        OUTCOMES_2021["withheld_state_secret"][0] + 1,
        place(T3, "（三）不予公开 1.属于国家秘密", "总计"),
    ),
    Broken(
        "V5 table 四: 总计 not the sum of the four results (洪泽区 2023 as published)",
        _set("table4", "reconsideration", "total", 0),
        {(Rule.T4_TOTAL, "reconsideration", "total")},
        Rule.T4_TOTAL,
        T4,
        "reconsideration",
        "total",
        sum(REVIEWS[ReviewKind.RECONSIDERATION].values()),
        0,
        place(T4, "行政复议", "总计", "组"),
    ),
    Broken(
        "V5 table 四: a litigation group",
        _set("table4", "litigation_direct", "upheld", 5),
        {(Rule.T4_TOTAL, "litigation_direct", "total")},
        Rule.T4_TOTAL,
        T4,
        "litigation_direct",
        "total",
        5 + 0 + 1 + 0,
        sum(REVIEWS[ReviewKind.LITIGATION_DIRECT].values()),
        place(T4, "行政诉讼·未经复议直接起诉", "总计", "组"),
    ),
    Broken(
        "table 二: a negative count",
        _set("table2", "regulations", "issued", -1),
        {(Rule.T2_NEGATIVE, "regulations", "issued")},
        Rule.T2_NEGATIVE,
        T2,
        "regulations",
        "issued",
        None,
        -1,
        place(T2, "规章", "本年制发件数"),
    ),
    Broken(
        "table 二: a negative fee amount",
        _set("table2", "fees", "amount_10k_yuan", Decimal("-0.5")),
        {(Rule.T2_NEGATIVE, "fees", "amount_10k_yuan")},
        Rule.T2_NEGATIVE,
        T2,
        "fees",
        "amount_10k_yuan",
        None,
        Decimal("-0.5"),
        place(T2, "行政事业性收费", "本年收费金额（单位：万元）"),
    ),
    Broken(
        "table 二 (2019): a negative 处理决定数量",
        _set("table2", "punishment", "decisions", -3),
        {(Rule.T2_NEGATIVE, "punishment", "decisions")},
        Rule.T2_NEGATIVE,
        T2,
        "punishment",
        "decisions",
        None,
        -3,
        place(T2, "行政处罚", "处理决定数量"),
        F2019,
    ),
    Broken(
        "structure: table 四 blank",
        _blank_table("table4"),
        {(Rule.STRUCT_MISSING_TABLE, None, None)},
        Rule.STRUCT_MISSING_TABLE,
        T4,
        None,
        None,
        None,
        None,
        "表四：",
    ),
    Broken(
        "structure: table 二 blank",
        _blank_table("table2"),
        {(Rule.STRUCT_MISSING_TABLE, None, None)},
        Rule.STRUCT_MISSING_TABLE,
        T2,
        None,
        None,
        None,
        None,
        "表二：",
    ),
    Broken(
        "structure: table 三 blank gives one finding, not 25 rows",
        _blank_table("table3"),
        {(Rule.STRUCT_MISSING_TABLE, None, None)},
        Rule.STRUCT_MISSING_TABLE,
        T3,
        None,
        None,
        None,
        None,
        "表三：",
    ),
    Broken(
        "structure: a table 三 row blank",
        _blank_row("table3", "rejected_excessive"),
        {(Rule.STRUCT_MISSING_ROW, "rejected_excessive", None)},
        Rule.STRUCT_MISSING_ROW,
        T3,
        "rejected_excessive",
        None,
        None,
        None,
        place(T3, "（五）不予处理 4.无正当理由大量反复申请", None),
    ),
    Broken(
        "structure: a table 二 row blank",
        _set("table2", "licensing", "decisions", None),
        {(Rule.STRUCT_MISSING_ROW, "licensing", None)},
        Rule.STRUCT_MISSING_ROW,
        T2,
        "licensing",
        None,
        None,
        None,
        place(T2, "行政许可", None),
    ),
    Broken(
        "structure: a table 四 group blank",
        _blank_row("table4", "litigation_after_reconsideration"),
        {(Rule.STRUCT_MISSING_ROW, "litigation_after_reconsideration", None)},
        Rule.STRUCT_MISSING_ROW,
        T4,
        "litigation_after_reconsideration",
        None,
        None,
        None,
        place(T4, "行政诉讼·复议后起诉", None, "组"),
    ),
    Broken(
        "structure: one blank cell holding a 0",
        _set("table3", "partial", 3, None),
        {(Rule.STRUCT_BLANK_CELL, "partial", "3")},
        Rule.STRUCT_BLANK_CELL,
        T3,
        "partial",
        "3",
        None,
        None,
        place(T3, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "社会公益组织"),
    ),
    Broken(
        "structure: one blank cell in table 四",
        _set("table4", "reconsideration", "other", None),
        {(Rule.STRUCT_BLANK_CELL, "reconsideration", "other")},
        Rule.STRUCT_BLANK_CELL,
        T4,
        "reconsideration",
        "other",
        None,
        None,
        place(T4, "行政复议", "其他结果", "组"),
    ),
    Broken(
        "structure: one blank cell in table 二",
        _set("table2", "normative_documents", "abolished", None),
        {(Rule.STRUCT_BLANK_CELL, "normative_documents", "abolished")},
        Rule.STRUCT_BLANK_CELL,
        T2,
        "normative_documents",
        "abolished",
        None,
        None,
        place(T2, "行政规范性文件", "本年废止件数"),
    ),
    Broken(
        "structure: a table 三 column blank in every row gives one finding",
        _blank_column(2),
        {(Rule.STRUCT_MISSING_COLUMN, None, "2")},
        Rule.STRUCT_MISSING_COLUMN,
        T3,
        None,
        "2",
        None,
        None,
        place(T3, None, "科研机构"),
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c.name)
def test_rule_fires_where_the_report_breaks_it(case: Broken) -> None:
    report = consistent(case.fmt)
    case.mutate(report)
    findings = check_report(report)

    assert where(findings) == case.fired
    main = next(f for f in findings if (f.rule, f.row, f.column) == (case.rule, case.row, case.column))
    assert main.table is case.table
    assert main.severity is RULE_SEVERITY[case.rule]
    assert (main.expected, main.actual) == (case.expected, case.actual)
    assert main.message.startswith(case.place), main.message
    for number in (case.expected, case.actual):
        if number is not None:
            assert str(number) in main.message


def test_severities() -> None:
    """Arithmetic and a missing table are errors; blanks, doubts and 现行有效 are warnings."""
    errors = {f.rule for f in _all_rule_findings() if f.severity is Severity.ERROR}
    warnings = {f.rule for f in _all_rule_findings() if f.severity is Severity.WARNING}
    assert errors == {
        Rule.T3_BALANCE,
        Rule.T3_TOTAL,
        Rule.T3_ROW,
        Rule.T4_TOTAL,
        Rule.T2_NEGATIVE,
        Rule.STRUCT_MISSING_TABLE,
    }
    assert warnings == {Rule.STRUCT_MISSING_ROW, Rule.STRUCT_BLANK_CELL, Rule.STRUCT_MISSING_COLUMN}


def _all_rule_findings() -> list[Finding]:
    findings: list[Finding] = []
    for case in BROKEN:
        report = consistent(case.fmt)
        case.mutate(report)
        findings += check_report(report)
    return findings


def test_message_of_the_spec_example() -> None:
    """The example of the brief: 29 outcomes in the 自然人 column, 总计 filled in as 28."""
    report = AnnualReport.zero()
    report.table3["new"] = [29, 0, 0, 0, 0, 0, 29]
    report.table3["granted"] = [29, 0, 0, 0, 0, 0, 29]
    report.table3["total"] = [28, 0, 0, 0, 0, 0, 28]
    report.table3["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    findings = check_report(report)
    assert [f.message for f in findings if f.rule is Rule.T3_TOTAL and f.column == "0"] == [
        "表三 “（七）总计” 行 “自然人” 列：各办理结果之和为 29，总计填报为 28"
    ]


def test_the_example_of_a_real_error_flags_table_4_of_hongze_2023() -> None:
    """洪泽区 2023 as published: 行政复议 维持10 纠正1 总计0; 复议后起诉 维持5 总计0 (samples/README)."""
    report = AnnualReport.zero(year=2023)
    report.table4["reconsideration"].update(upheld=10, corrected=1, total=0)
    report.table4["litigation_after_reconsideration"].update(upheld=5, total=0)
    findings = [f for f in check_report(report) if f.is_error]
    assert {(f.row, f.expected, f.actual) for f in findings} == {
        ("reconsideration", 11, 0),
        ("litigation_after_reconsideration", 5, 0),
    }
    message = next(f.message for f in findings if f.row == "reconsideration")
    labels = "、".join(REVIEW_RESULT_LABELS[r] for r in ReviewResult)
    assert f"{labels}之和为 11" in message
    assert f"{TABLE4_TOTAL_LABEL}填报为 0" in message


# ---------------------------------------------------------------------------------------------
# Blank cells count as 0 and the message says so
# ---------------------------------------------------------------------------------------------


def test_blank_cell_with_a_number_expected_is_counted_as_zero() -> None:
    report = consistent()
    report.table3["granted"][0] = None  # was 10; its row's 总计 and （七）总计 still count it
    findings = check_report(report)
    assert where(findings) == {
        (Rule.STRUCT_BLANK_CELL, "granted", "0"),
        (Rule.T3_ROW, "granted", "6"),
        (Rule.T3_TOTAL, "total", "0"),
    }
    row = next(f for f in findings if f.rule is Rule.T3_ROW)
    granted = OUTCOMES_2021["granted"]
    assert (row.expected, row.actual) == (sum(granted) - granted[0], sum(granted))
    column = next(f for f in findings if f.rule is Rule.T3_TOTAL)
    assert (column.expected, column.actual) == (TOTAL_0 - granted[0], TOTAL_0)
    for finding in findings:
        assert BLANK_AS_ZERO in finding.message


def test_blank_total_cell() -> None:
    report = consistent()
    report.table4["reconsideration"]["total"] = None
    findings = check_report(report)
    total = next(f for f in findings if f.rule is Rule.T4_TOTAL)
    assert (total.expected, total.actual) == (sum(REVIEWS[ReviewKind.RECONSIDERATION].values()), 0)
    assert "总计填报为 空白" in total.message
    assert BLANK_AS_ZERO in total.message


def test_no_blank_note_when_every_cell_is_filled() -> None:
    report = consistent()
    report.table3["new"][0] = NEW[0] + 1
    assert all(BLANK_AS_ZERO not in f.message for f in check_report(report))


def test_2019_signed_change_may_be_negative() -> None:
    report = consistent(F2019)
    assert report.table2["licensing"]["items_change"] == -2
    report.table2["fees"]["items_change"] = -1
    assert check_report(report) == []


# ---------------------------------------------------------------------------------------------
# The reader's notes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "expected_place"),
    [
        (ReadNote("数字被页脚截断", "三", "granted", "0"), "表三 “（一）予以公开” 行 “自然人” 列："),
        (
            ReadNote("无法区分两列", "二", "fees", "amount_10k_yuan"),
            "表二 “行政事业性收费” 行 “本年收费金额（单位：万元）” 列：",
        ),
        (
            ReadNote("合并单元格", "四", "litigation_direct", "pending"),
            "表四 “行政诉讼·未经复议直接起诉” 组 “尚未审结” 列：",
        ),
        (ReadNote("未找到机关名称"), "报告："),
        (ReadNote("未知的行", "三", "no_such_row", "9"), "表三 “no_such_row” 行 “9” 列："),
    ],
)
def test_reader_notes_become_unread_cell_warnings(note: ReadNote, expected_place: str) -> None:
    report = consistent()
    report.notes = [note]
    findings = check_report(report)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.rule is Rule.STRUCT_UNREAD_CELL
    assert finding.severity is Severity.WARNING
    assert (finding.table, finding.row, finding.column) == (note.table, note.row, note.column)
    assert finding.message.startswith(expected_place)
    assert finding.message.endswith(note.message)
    assert not has_errors(findings)


def test_a_note_on_a_blank_row_replaces_the_structure_warning() -> None:
    """A reader that leaves a row blank on purpose says why; the blank is not reported twice."""
    report = consistent()
    report.table3["other_fee_unpaid"] = [None] * COLUMN_COUNT
    report.notes = [ReadNote("表中“（六）其他处理”只有一行", "三", "other_fee_unpaid")]
    findings = check_report(report)
    assert where(findings) == {(Rule.STRUCT_UNREAD_CELL, "other_fee_unpaid", None)}


def test_a_note_never_hides_a_missing_table() -> None:
    report = consistent()
    for key in report.table4:
        report.table4[key] = dict.fromkeys(report.table4[key])
    report.notes = [ReadNote("找不到表四", "四")]
    findings = check_report(report)
    assert where(findings) == {(Rule.STRUCT_MISSING_TABLE, None, None), (Rule.STRUCT_UNREAD_CELL, None, None)}
    assert has_errors(findings)


# ---------------------------------------------------------------------------------------------
# Against the previous year's report (V6, 现行有效件数)
# ---------------------------------------------------------------------------------------------


def previous_of(report: AnnualReport, fmt: ReportFormat = F2021) -> AnnualReport:
    """Year N−1 of the same agency, whose 结转下年度 and 现行有效件数 agree with ``report``.

    Only those cells of year N−1 take part in the year-on-year rules.
    """
    assert report.year is not None
    previous = consistent(fmt, year=report.year - 1, agency=report.agency or "")
    previous.table3["carried_forward"] = _with_total(CARRIED_OVER)
    if fmt is F2021:
        for key in ("regulations", "normative_documents"):
            now = report.table2[key]
            issued, abolished, in_force = now["issued"], now["abolished"], now["in_force"]
            assert isinstance(issued, int) and isinstance(abolished, int) and isinstance(in_force, int)
            previous.table2[key]["in_force"] = in_force - issued + abolished
    return previous


def test_consistent_years_have_no_findings() -> None:
    report = consistent()
    assert check_report(report, previous_of(report)) == []


def test_carry_over_differs_from_last_years_carry_forward() -> None:
    report = consistent()
    previous = previous_of(report)
    previous.table3["carried_forward"][1] = CARRIED_OVER[1] + 2
    previous.table3["carried_forward"][TOTAL_COLUMN] = sum(CARRIED_OVER) + 2
    findings = check_report(report, previous)
    assert where(findings) == {(Rule.T3_CARRY, "carried_over", "1"), (Rule.T3_CARRY, "carried_over", "6")}
    finding = next(f for f in findings if f.column == "1")
    assert finding.severity is Severity.ERROR
    assert (finding.expected, finding.actual) == (CARRIED_OVER[1] + 2, CARRIED_OVER[1])
    assert finding.message.startswith(place(T3, table3_row_label("carried_over"), COLUMN_LABELS[1]))
    assert table3_row_label("carried_forward") in finding.message
    assert f"（{previous.year}年）" in finding.message
    assert has_errors(findings)


def test_in_force_does_not_follow_from_last_year() -> None:
    report = consistent()
    previous = previous_of(report)
    last_year = previous.table2["normative_documents"]["in_force"]
    assert isinstance(last_year, int)
    report.table2["normative_documents"]["in_force"] = 40
    findings = check_report(report, previous)
    assert where(findings) == {(Rule.T2_IN_FORCE, "normative_documents", "in_force")}
    finding = findings[0]
    assert finding.severity is Severity.WARNING
    assert (finding.expected, finding.actual) == (last_year + 3 - 1, 40)
    fields = {f.key: f.label for f in table2_rows(F2021)[1].fields}
    assert finding.message.startswith(place(T2, "行政规范性文件", fields["in_force"]))
    for label in fields.values():
        assert label in finding.message
    assert not has_errors(findings)


def test_in_force_is_not_compared_with_a_2019_format_report() -> None:
    report = consistent()
    previous = previous_of(report, F2019)  # a 2020 report in the trial format has no 现行有效件数
    report.table2["normative_documents"]["in_force"] = 40
    assert check_report(report, previous) == []


def test_carry_is_compared_with_a_2019_format_report() -> None:
    report = consistent()
    previous = previous_of(report, F2019)
    previous.table3["carried_forward"][0] = CARRIED_OVER[0] + 1
    assert (Rule.T3_CARRY, "carried_over", "0") in where(check_report(report, previous))


def test_previous_of_another_year_is_not_compared() -> None:
    report = consistent(year=2023)
    previous = previous_of(report)
    previous.year = 2021
    previous.table3["carried_forward"][0] = 99
    findings = check_report(report, previous)
    assert [(f.rule, f.severity) for f in findings] == [(Rule.PREVIOUS_MISMATCH, Severity.WARNING)]
    assert "2021" in findings[0].message and "2023" in findings[0].message


def test_previous_of_another_agency_is_compared_with_a_warning() -> None:
    report = consistent()
    previous = previous_of(report)
    previous.agency = "另一区人民政府"
    previous.table3["carried_forward"][0] = CARRIED_OVER[0] + 1
    findings = check_report(report, previous)
    rules = {f.rule for f in findings}
    assert Rule.PREVIOUS_MISMATCH in rules and Rule.T3_CARRY in rules
    mismatch = next(f for f in findings if f.rule is Rule.PREVIOUS_MISMATCH)
    assert "另一区人民政府" in mismatch.message and "测试区人民政府" in mismatch.message


def test_agency_names_differing_only_in_spaces_are_the_same() -> None:
    report = consistent(agency="测试区 人民政府")
    assert check_report(report, previous_of(consistent())) == []


# ---------------------------------------------------------------------------------------------
# The finding as data
# ---------------------------------------------------------------------------------------------


def test_finding_json_form() -> None:
    report = consistent()
    report.table2["fees"]["amount_10k_yuan"] = Decimal("-1.25")
    (finding,) = check_report(report)
    assert finding.to_dict() == {
        "rule": "T2-NEGATIVE",
        "severity": "error",
        "table": "二",
        "row": "fees",
        "column": "amount_10k_yuan",
        "expected": None,
        "actual": "-1.25",
        "message": finding.message,
    }


def test_every_rule_has_a_severity() -> None:
    assert set(RULE_SEVERITY) == set(Rule)


def test_every_outcome_row_counts_in_the_total() -> None:
    """V2 sums every outcome row: one case moved into any of them breaks （七）总计 in that column."""
    for row in OUTCOME_ROWS:
        report = consistent()
        _add(row.key, 5, 1)(report)
        found = {(f.rule, f.column) for f in check_report(report)}
        assert found == {(Rule.T3_TOTAL, "5"), (Rule.T3_TOTAL, "6")}, row.key


def test_labels_come_from_the_taxonomy() -> None:
    """Spot-check that places are spelled with the taxonomy's labels, whatever they are."""
    report = consistent()
    report.table4["litigation_after_reconsideration"]["corrected"] = None  # was 0
    (finding,) = check_report(report)
    group = table4_group_label(ReviewKind.LITIGATION_AFTER_RECONSIDERATION)
    assert finding.message.startswith(f"表四 “{group}” 组 “{REVIEW_RESULT_LABELS[ReviewResult.CORRECTED]}” 列：")
