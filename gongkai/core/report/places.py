"""Where a finding or a note points in a report, in Chinese ("表三 “（一）予以公开” 行 “自然人” 列"),
and the cells of a report's rows and groups, shared by the checks (:mod:`.checks`), the 未能读取
rule (:mod:`.unread`) and the checks across reports (:mod:`.crosscheck`).
"""

from __future__ import annotations

from gongkai.core.report.findings import Finding, Number, Rule
from gongkai.core.report.model import AnnualReport, Cell
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    COLUMN_LABELS,
    REVIEW_RESULT_LABELS,
    ROWS_ABSENT_IN_2019,
    TABLE3_ROW_BY_KEY,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TABLE4_TOTAL_LABEL,
    ReportFormat,
    ReportTable,
    ReviewKind,
    ReviewResult,
    table2_rows,
    table3_row_label,
    table4_group_label,
)


def describe_place(
    table: ReportTable | None, row: str | None, column: str | None, fmt: ReportFormat = ReportFormat.F2021
) -> str:
    """Chinese name of a place in a report: "表三 “（一）予以公开” 行 “自然人” 列".

    Table 四's rows are its groups ("组"). Keys the taxonomy does not know are shown as they are,
    so a note never gets lost; no table at all is the document as a whole ("报告").
    """
    if table is None:
        return "报告"
    parts = [table.label]
    if row is not None:
        parts.append(f"“{_row_label(table, row, fmt)}” {'组' if table is ReportTable.TABLE4 else '行'}")
    if column is not None:
        parts.append(f"“{_column_label(table, row, column, fmt)}” 列")
    return " ".join(parts)


def _row_label(table: ReportTable, row: str, fmt: ReportFormat) -> str:
    if table is ReportTable.TABLE3 and row in TABLE3_ROW_BY_KEY:
        return table3_row_label(row, fmt)
    if table is ReportTable.TABLE4 and row in {g.value for g in TABLE4_GROUPS}:
        return table4_group_label(ReviewKind(row))
    if table is ReportTable.TABLE2:
        for r in table2_rows(fmt):
            if r.key == row:
                return r.label
    return row


def _column_label(table: ReportTable, row: str | None, column: str, fmt: ReportFormat) -> str:
    if table is ReportTable.TABLE3 and column.isdigit() and int(column) < COLUMN_COUNT:
        return COLUMN_LABELS[int(column)]
    if table is ReportTable.TABLE4 and column in TABLE4_FIELDS:
        return table4_field_label(column)
    if table is ReportTable.TABLE2:
        for r in table2_rows(fmt):
            for f in r.fields:
                if f.key == column and (row is None or r.key == row):
                    return f.label
    return column


def at(
    rule: Rule,
    table: ReportTable | None,
    row: str | None,
    column: str | None,
    fmt: ReportFormat,
    text: str,
    expected: Number | None = None,
    actual: Number | None = None,
) -> Finding:
    """A finding of ``rule`` whose message starts with the Chinese name of its place."""
    message = f"{describe_place(table, row, column, fmt)}：{text}"
    return Finding(rule, rule.severity, message, table, row, column, expected, actual)


def table3_row(report: AnnualReport, key: str) -> list[Cell]:
    """The seven cells of a table 三 row; all blank when the row is missing or malformed."""
    values = report.table3.get(key)
    if values is None or len(values) != COLUMN_COUNT:
        return [None] * COLUMN_COUNT
    return list(values)


def table4_group(report: AnnualReport, group: ReviewKind) -> dict[str, Cell]:
    values = report.table4.get(group.value, {})
    return {name: values.get(name) for name in TABLE4_FIELDS}


def table4_field_label(name: str) -> str:
    """The label of a table 四 field: a result column or 总计."""
    if name == TABLE4_TOTAL_KEY:
        return TABLE4_TOTAL_LABEL
    return REVIEW_RESULT_LABELS[ReviewResult(name)]


def printed(key: str, fmt: ReportFormat) -> bool:
    """False for the 2019 format's two （六） sub-rows, which that format does not print."""
    return not (fmt is ReportFormat.F2019 and key in ROWS_ABSENT_IN_2019)


def as_table(value: str | None) -> ReportTable | None:
    try:
        return None if value is None else ReportTable(value)
    except ValueError:
        return None
