"""Consistency checks (勾稽关系) of an annual report, alone and against the previous year's.

Every rule takes an :class:`AnnualReport` and never cares where it came from (our own cases, a
published document, JSON). A blank cell (``None``) counts as 0 in the arithmetic and the message
says so ("空白按 0 计"); blanks themselves are reported by the structure rules.

Sources: legal spec §3.7 V1–V6; the 勾稽关系 stated in the header of table 三 of the format of
国办公开办函〔2021〕30号 (the same header in the 2019 trial format of 国办公开办函〔2019〕60号).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gongkai.core.report.findings import Finding, Number, Rule, describe_value
from gongkai.core.report.model import AnnualReport, ReadNote, Table2Value
from gongkai.core.report.places import as_table, at, table4_group
from gongkai.core.report.places import describe_place as describe_place  # re-exported: callers import it here
from gongkai.core.report.places import printed as _printed
from gongkai.core.report.places import table3_row as table3_row  # re-exported, as the next two
from gongkai.core.report.places import table4_field_label as table4_field_label
from gongkai.core.report.taxonomy import (
    APPLICANT_COLUMNS,
    COLUMN_COUNT,
    COLUMN_LABELS,
    OUTCOME_ROWS,
    REVIEW_RESULT_LABELS,
    TABLE3_BALANCE_NOTE,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TOTAL_COLUMN,
    ReportFormat,
    ReportTable,
    ReviewResult,
    Table3Key,
    ValueType,
    table2_rows,
    table3_row_label,
    table3_rows,
)

BLANK_AS_ZERO = "空白按 0 计"
#: The rows of the V1 balance: 一 + 二 = （七）总计 + 四.
BALANCE_ROWS = (Table3Key.NEW, Table3Key.CARRIED_OVER, Table3Key.TOTAL, Table3Key.CARRIED_FORWARD)
_ACROSS_YEARS = "跨年核对"


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is error-severity (the report is not consistent)."""
    return any(f.is_error for f in findings)


def check_report(report: AnnualReport, previous: AnnualReport | None = None) -> list[Finding]:
    """Every consistency check of ``report``, and of it against ``previous`` (year N−1) if given.

    Order: structure (what is missing), then table 二, 三, 四 arithmetic, then year-on-year rules,
    then the reader's notes. Where a reader's note points at exactly the place a structure warning
    names (a row it left blank on purpose, and why), only the note is reported; a missing table
    stays an error whatever the note says. Spec §3.7 V1–V6.
    """
    noted = {(as_table(n.table), n.row, n.column) for n in report.notes}
    findings: list[Finding] = [
        f for f in check_structure(report) if f.is_error or (f.table, f.row, f.column) not in noted
    ]
    findings += check_table2(report)
    findings += check_table3_balance(report)
    findings += check_table3_total(report)
    findings += check_table3_rows(report)
    findings += check_table4(report)
    if previous is not None:
        findings += check_against_previous(report, previous)
    from gongkai.core.report.unread import as_unread, blank_because_unread, unread_cells

    unread = unread_cells(report)
    if previous is not None:
        unread |= {("previous", *cell) for cell in unread_cells(previous)}
    findings = [as_unread(f, unread, report.format) for f in findings if not blank_because_unread(f, unread)]
    findings += notes_as_findings(report.notes, report.format)
    return findings


# ---------------------------------------------------------------------------------------------
# Structure: what is blank
# ---------------------------------------------------------------------------------------------


def check_structure(report: AnnualReport) -> list[Finding]:
    """Blank tables, rows, table 三 columns and single cells, most general first.

    A blank table is reported once (not its rows), a blank row once (not its cells). The 2019
    format's two absent （六） sub-rows are not missing: that format prints （六） as one row
    (spec §4).
    """
    return [*_structure_table2(report), *_structure_table3(report), *_structure_table4(report)]


def _structure_table2(report: AnnualReport) -> list[Finding]:
    table, fmt = ReportTable.TABLE2, report.format
    rows = table2_rows(fmt)
    if all(report.table2.get(r.key, {}).get(f.key) is None for r in rows for f in r.fields):
        return [_missing_table(table)]
    findings: list[Finding] = []
    for row in rows:
        values = report.table2.get(row.key, {})
        if all(values.get(f.key) is None for f in row.fields):
            findings.append(at(Rule.STRUCT_MISSING_ROW, table, row.key, None, fmt, f"整行空白（{BLANK_AS_ZERO}）"))
            continue
        findings.extend(
            at(Rule.STRUCT_BLANK_CELL, table, row.key, f.key, fmt, f"空白，本行其他格已填写（{BLANK_AS_ZERO}）")
            for f in row.fields
            if values.get(f.key) is None
        )
    return findings


def _structure_table3(report: AnnualReport) -> list[Finding]:
    table, fmt = ReportTable.TABLE3, report.format
    keys = [r.key for r in table3_rows(fmt)]
    grid = {key: table3_row(report, key) for key in keys}
    if all(v is None for values in grid.values() for v in values):
        return [_missing_table(table)]
    blank_rows = [key for key in keys if all(v is None for v in grid[key])]
    blank_columns = [col for col in range(COLUMN_COUNT) if all(grid[key][col] is None for key in keys)]
    return [
        *(at(Rule.STRUCT_MISSING_ROW, table, key, None, fmt, f"整行空白（{BLANK_AS_ZERO}）") for key in blank_rows),
        *(
            at(Rule.STRUCT_MISSING_COLUMN, table, None, str(col), fmt, f"整列空白（{BLANK_AS_ZERO}）")
            for col in blank_columns
        ),
        *(
            at(Rule.STRUCT_BLANK_CELL, table, key, str(col), fmt, f"空白，本行其他格已填写（{BLANK_AS_ZERO}）")
            for key in keys
            if key not in blank_rows
            for col, value in enumerate(grid[key])
            if value is None and col not in blank_columns
        ),
    ]


def _structure_table4(report: AnnualReport) -> list[Finding]:
    table, fmt = ReportTable.TABLE4, report.format
    values = {g: table4_group(report, g) for g in TABLE4_GROUPS}
    if all(v is None for group in values.values() for v in group.values()):
        return [_missing_table(table)]
    findings: list[Finding] = []
    for group in TABLE4_GROUPS:
        cells = values[group]
        if all(v is None for v in cells.values()):
            findings.append(at(Rule.STRUCT_MISSING_ROW, table, group.value, None, fmt, f"整组空白（{BLANK_AS_ZERO}）"))
            continue
        findings.extend(
            at(Rule.STRUCT_BLANK_CELL, table, group.value, name, fmt, f"空白，本组其他格已填写（{BLANK_AS_ZERO}）")
            for name in TABLE4_FIELDS
            if cells[name] is None
        )
    return findings


def _missing_table(table: ReportTable) -> Finding:
    return at(
        Rule.STRUCT_MISSING_TABLE,
        table,
        None,
        None,
        ReportFormat.F2021,
        "整张表空白，没有读到任何数字，无法核对其勾稽关系",
    )


# ---------------------------------------------------------------------------------------------
# Table 二
# ---------------------------------------------------------------------------------------------


def check_table2(report: AnnualReport) -> list[Finding]:
    """No negative count or amount in table 二; the 2019 format's 本年增/减 may be negative.

    The columns count documents, decisions and money (spec §3.4; 2019 format §4), where only
    本年增/减 is a signed change.
    """
    table, fmt = ReportTable.TABLE2, report.format
    findings: list[Finding] = []
    for row in table2_rows(fmt):
        values = report.table2.get(row.key, {})
        for f in row.fields:
            value = values.get(f.key)
            if f.value_type is ValueType.SIGNED or value is None or value >= 0:
                continue
            text = f"填报为 {describe_value(value)}，不能为负数"
            findings.append(at(Rule.T2_NEGATIVE, table, row.key, f.key, fmt, text, None, value))
    return findings


# ---------------------------------------------------------------------------------------------
# Table 三
# ---------------------------------------------------------------------------------------------


def check_table3_balance(report: AnnualReport) -> list[Finding]:
    """V1, per column: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理.

    Source: the header of table 三 in the format of 国办公开办函〔2021〕30号 (unchanged from the 2019
    trial format): "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"; spec §3.7 V1.
    """
    table, fmt = ReportTable.TABLE3, report.format
    new, carried_over = table3_row(report, Table3Key.NEW), table3_row(report, Table3Key.CARRIED_OVER)
    total, carried_forward = table3_row(report, Table3Key.TOTAL), table3_row(report, Table3Key.CARRIED_FORWARD)
    label = {key: table3_row_label(key, fmt) for key in BALANCE_ROWS}
    findings: list[Finding] = []
    for col in range(COLUMN_COUNT):
        cells = (new[col], carried_over[col], total[col], carried_forward[col])
        if all(v is None for v in cells):
            continue  # a blank column is a structure finding, not an arithmetic one
        received = _n(new[col]) + _n(carried_over[col])
        settled = _n(total[col]) + _n(carried_forward[col])
        if received == settled:
            continue
        text = (
            f"“{label[Table3Key.NEW]}” {describe_value(new[col])} + "
            f"“{label[Table3Key.CARRIED_OVER]}” {describe_value(carried_over[col])} = {received}，"
            f"“{label[Table3Key.TOTAL]}” {describe_value(total[col])} + "
            f"“{label[Table3Key.CARRIED_FORWARD]}” {describe_value(carried_forward[col])}"
            f" = {settled}，两者应相等{TABLE3_BALANCE_NOTE}{_blank_note(cells)}"
        )
        findings.append(at(Rule.T3_BALANCE, table, None, str(col), fmt, text, received, settled))
    return findings


def check_table3_total(report: AnnualReport) -> list[Finding]:
    """V2, per column: （七）总计 = （一）+（二）+ Σ（三）1–8 + Σ（四）1–3 + Σ（五）1–5 + Σ（六）1–3.

    There are no subtotal rows for （三）–（六） (spec §3.5). In the 2019 format （六） is one row,
    read into ``other_other``; the two absent sub-rows are blank and add nothing (spec §3.7 V2).
    """
    table, fmt = ReportTable.TABLE3, report.format
    outcomes = {r.key: table3_row(report, r.key) for r in OUTCOME_ROWS}
    total = table3_row(report, Table3Key.TOTAL)
    findings: list[Finding] = []
    for col in range(COLUMN_COUNT):
        cells = [values[col] for values in outcomes.values()]
        if all(v is None for v in cells) and total[col] is None:
            continue
        expected = sum(_n(v) for v in cells)
        if expected == _n(total[col]):
            continue
        printed = [values[col] for key, values in outcomes.items() if _printed(key, fmt)]
        text = (
            f"各办理结果之和为 {expected}，总计填报为 {describe_value(total[col])}{_blank_note([*printed, total[col]])}"
        )
        findings.append(at(Rule.T3_TOTAL, table, Table3Key.TOTAL, str(col), fmt, text, expected, _n(total[col])))
    return findings


def check_table3_rows(report: AnnualReport) -> list[Finding]:
    """V3, per row: 总计 column = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他.

    法人或其他组织 has no subtotal column (spec §3.5, §3.7 V3).
    """
    table, fmt = ReportTable.TABLE3, report.format
    applicants = len(APPLICANT_COLUMNS)
    findings: list[Finding] = []
    for row in table3_rows(fmt):
        values = table3_row(report, row.key)
        if all(v is None for v in values):
            continue
        expected = sum(_n(v) for v in values[:applicants])
        stated = values[TOTAL_COLUMN]
        if expected == _n(stated):
            continue
        text = (
            f"各类申请人（{'、'.join(COLUMN_LABELS[:applicants])}）之和为 {expected}，"
            f"总计填报为 {describe_value(stated)}{_blank_note(values)}"
        )
        findings.append(at(Rule.T3_ROW, table, row.key, str(TOTAL_COLUMN), fmt, text, expected, _n(stated)))
    return findings


# ---------------------------------------------------------------------------------------------
# Table 四
# ---------------------------------------------------------------------------------------------


def check_table4(report: AnnualReport) -> list[Finding]:
    """V5, per group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (spec §3.6, §3.7 V5)."""
    table, fmt = ReportTable.TABLE4, report.format
    findings: list[Finding] = []
    for group in TABLE4_GROUPS:
        cells = table4_group(report, group)
        if all(v is None for v in cells.values()):
            continue
        expected = sum(_n(cells[r.value]) for r in ReviewResult)
        stated = cells[TABLE4_TOTAL_KEY]
        if expected == _n(stated):
            continue
        text = (
            f"{'、'.join(REVIEW_RESULT_LABELS[r] for r in ReviewResult)}之和为 {expected}，"
            f"总计填报为 {describe_value(stated)}{_blank_note(cells.values())}"
        )
        findings.append(at(Rule.T4_TOTAL, table, group.value, TABLE4_TOTAL_KEY, fmt, text, expected, _n(stated)))
    return findings


# ---------------------------------------------------------------------------------------------
# Against the previous year's report
# ---------------------------------------------------------------------------------------------


def check_against_previous(report: AnnualReport, previous: AnnualReport) -> list[Finding]:
    """Year-on-year rules: 上年结转 = last year's 结转下年度 (V6), and table 二's 现行有效件数.

    When both years are known and ``previous`` is not year N−1, nothing is compared and a
    PREVIOUS-MISMATCH warning says why. A different agency name is a warning too, but the numbers
    are still compared: names are often written in more than one way.
    """
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        text = f"上一年度报告为 {previous.year} 年，本报告为 {report.year} 年，不是相邻年度，未做跨年核对"
        return [Finding(Rule.PREVIOUS_MISMATCH, Rule.PREVIOUS_MISMATCH.severity, f"{_ACROSS_YEARS}：{text}")]
    findings: list[Finding] = []
    if report.agency and previous.agency and _squash(report.agency) != _squash(previous.agency):
        text = f"上一年度报告的机关为“{previous.agency}”，本报告为“{report.agency}”，请确认是同一机关"
        findings.append(Finding(Rule.PREVIOUS_MISMATCH, Rule.PREVIOUS_MISMATCH.severity, f"{_ACROSS_YEARS}：{text}"))
    findings += check_carry(report, previous)
    findings += check_in_force(report, previous)
    return findings


def check_carry(report: AnnualReport, previous: AnnualReport) -> list[Finding]:
    """V6, per column: this year's 二、上年结转 = last year's 四、结转下年度继续办理 (spec §3.7 V6).

    Both count the applications still open on 31 December of year N−1.
    """
    table, fmt = ReportTable.TABLE3, report.format
    this_year = table3_row(report, Table3Key.CARRIED_OVER)
    last_year = table3_row(previous, Table3Key.CARRIED_FORWARD)
    when = f"（{previous.year}年）" if previous.year is not None else ""
    findings: list[Finding] = []
    for col in range(COLUMN_COUNT):
        if _n(this_year[col]) == _n(last_year[col]):
            continue
        text = (
            f"上一年度报告{when}“{table3_row_label(Table3Key.CARRIED_FORWARD, previous.format)}” 为 {describe_value(last_year[col])}，"
            f"本年填报为 {describe_value(this_year[col])}{_blank_note([this_year[col], last_year[col]])}"
        )
        findings.append(
            at(
                Rule.T3_CARRY,
                table,
                Table3Key.CARRIED_OVER,
                str(col),
                fmt,
                text,
                _n(last_year[col]),
                _n(this_year[col]),
            )
        )
    return findings


def check_in_force(report: AnnualReport, previous: AnnualReport) -> list[Finding]:
    """Table 二 第二十条第（一）项: 现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数.

    Only when both reports use the format of 国办公开办函〔2021〕30号, whose columns these are. A
    warning: a document whose 有效期 runs out leaves force without being 废止.
    """
    if report.format is not ReportFormat.F2021 or previous.format is not ReportFormat.F2021:
        return []
    table, fmt = ReportTable.TABLE2, report.format
    findings: list[Finding] = []
    for row in table2_rows(fmt):
        fields = {f.key: f for f in row.fields}
        if not {"issued", "abolished", "in_force"} <= fields.keys():
            continue
        now, before = report.table2.get(row.key, {}), previous.table2.get(row.key, {})
        cells = [before.get("in_force"), now.get("issued"), now.get("abolished"), now.get("in_force")]
        expected = _n(cells[0]) + _n(cells[1]) - _n(cells[2])
        if expected == _n(cells[3]):
            continue
        in_force, issued, abolished = fields["in_force"].label, fields["issued"].label, fields["abolished"].label
        text = (
            f"上一年度“{in_force}” {describe_value(cells[0])} + 本年“{issued}” {describe_value(cells[1])} − 本年“{abolished}” "
            f"{describe_value(cells[2])} = {describe_value(expected)}，本年填报为 {describe_value(cells[3])}"
            f"（因有效期届满失效的文件也会减少现行有效件数，请核实）{_blank_note(cells)}"
        )
        findings.append(at(Rule.T2_IN_FORCE, table, row.key, "in_force", fmt, text, expected, _n(cells[3])))
    return findings


# ---------------------------------------------------------------------------------------------
# The reader's notes
# ---------------------------------------------------------------------------------------------


def notes_as_findings(notes: Sequence[ReadNote], fmt: ReportFormat = ReportFormat.F2021) -> list[Finding]:
    """Each note a reader left (a cell it was unsure of, a fix-up) as a STRUCT-UNREAD-CELL warning."""
    return [
        at(Rule.STRUCT_UNREAD_CELL, as_table(note.table), note.row, note.column, fmt, f"读取存疑：{note.message}")
        for note in notes
    ]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _n(value: Table2Value) -> Number:
    """A cell's value for arithmetic: blank counts as 0."""
    return 0 if value is None else value


def _blank_note(cells: Iterable[Table2Value]) -> str:
    return f"（{BLANK_AS_ZERO}）" if any(v is None for v in cells) else ""


def _squash(text: str) -> str:
    return "".join(text.split())
