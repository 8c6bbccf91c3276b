"""未能读取: a check that rests on a cell the reader could not read says so, instead of accusing
the report (issue 15). A blank the reader left a note about is "not read", not "filled in
blank": an arithmetic finding (legal spec §3.7 V1–V6) over such a cell becomes CHECK-UNREAD
(severity 未能读取), and the structure warning about the blank is dropped (the note says it).
"""

from __future__ import annotations

from gongkai.core.report.findings import Finding, Rule
from gongkai.core.report.model import AnnualReport, Table2Value
from gongkai.core.report.places import as_table, at, describe_place, printed, table3_row, table4_group
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    OUTCOME_ROWS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    ReportFormat,
    ReportTable,
    Table3Key,
    table2_rows,
    table3_rows,
)

#: 一 + 二 = （七）总计 + 四 (V1), as in :data:`.checks.BALANCE_ROWS`.
_BALANCE_ROWS = (Table3Key.NEW, Table3Key.CARRIED_OVER, Table3Key.TOTAL, Table3Key.CARRIED_FORWARD)

#: What a reader's note on a whole table says when it found the table but could not read it.
UNRECOGNISED = "未能识别"
#: A cell: (table, row key, column key), keys as in ``ReadNote``; ("previous", …) for year N−1.
CellPlace = tuple[str, ...]


def _cells_of(report: AnnualReport) -> dict[CellPlace, Table2Value]:
    cells: dict[CellPlace, Table2Value] = {}
    for row2 in table2_rows(report.format):
        for f in row2.fields:
            cells[(ReportTable.TABLE2.value, row2.key, f.key)] = report.table2.get(row2.key, {}).get(f.key)
    for row3 in table3_rows(report.format):
        for col, value in enumerate(table3_row(report, row3.key)):
            cells[(ReportTable.TABLE3.value, row3.key, str(col))] = value
    for group in TABLE4_GROUPS:
        for name, value in table4_group(report, group).items():
            cells[(ReportTable.TABLE4.value, group.value, name)] = value
    return cells


def unread_cells(report: AnnualReport) -> set[CellPlace]:
    """The blank cells a reader left a note about (the cell, its row, its column, or its whole
    table when every cell of it is blank): blank because they were not read, not as published."""
    cells = _cells_of(report)
    unread: set[CellPlace] = set()
    for note in report.notes:
        table = as_table(note.table)
        if table is None:
            continue
        places = [p for p in cells if p[0] == table.value]
        if note.row is None and note.column is None:
            if all(cells[p] is None for p in places):
                unread.update(places)
                if UNRECOGNISED in note.message:
                    # Found but not read (not "未找到"): a missing table is not the report's error.
                    unread.add(("table", table.value))
            continue
        unread.update(
            p
            for p in places
            if cells[p] is None
            and (note.row is None or p[1] == note.row)
            and (note.column is None or p[2] == note.column)
        )
    return unread


_BLANK_RULES = (Rule.STRUCT_MISSING_ROW, Rule.STRUCT_MISSING_COLUMN, Rule.STRUCT_BLANK_CELL)


def blank_because_unread(finding: Finding, unread: set[CellPlace]) -> bool:
    """A blank row, column or cell the reader left a note about: the note says it, not a warning
    that the report was filled in blank."""
    if finding.rule not in _BLANK_RULES or finding.table is None:
        return False
    table = finding.table.value
    places = [
        p
        for p in unread
        if p[0] == table
        and (finding.row is None or p[1] == finding.row)
        and (finding.column is None or p[2] == finding.column)
    ]
    return bool(places)


def rests_on(finding: Finding, fmt: ReportFormat) -> list[CellPlace]:
    """The cells an arithmetic or structure finding is computed from."""
    t2, t3, t4 = ReportTable.TABLE2.value, ReportTable.TABLE3.value, ReportTable.TABLE4.value
    col, row = finding.column, finding.row
    rule = finding.rule
    if rule is Rule.T3_BALANCE and col is not None:
        return [(t3, key, col) for key in _BALANCE_ROWS]
    if rule is Rule.T3_TOTAL and col is not None:
        return [(t3, Table3Key.TOTAL, col), *((t3, r.key, col) for r in OUTCOME_ROWS if printed(r.key, fmt))]
    if rule is Rule.T3_ROW and row is not None:
        return [(t3, row, str(c)) for c in range(COLUMN_COUNT)]
    if rule is Rule.T4_TOTAL and row is not None:
        return [(t4, row, name) for name in TABLE4_FIELDS]
    if rule is Rule.T3_CARRY and col is not None:
        return [(t3, Table3Key.CARRIED_OVER, col), ("previous", t3, Table3Key.CARRIED_FORWARD, col)]
    if rule is Rule.T2_IN_FORCE and row is not None:
        return [(t2, row, "issued"), (t2, row, "abolished"), (t2, row, "in_force"), ("previous", t2, row, "in_force")]
    if rule is Rule.STRUCT_MISSING_TABLE and finding.table is not None:
        return [("table", finding.table.value)]
    return []


def as_unread(finding: Finding, unread: set[CellPlace], fmt: ReportFormat) -> Finding:
    """A finding whose cells include one the reader could not read becomes CHECK-UNREAD (未能读取):
    the document was not read there, so the check says nothing about the report."""
    places = rests_on(finding, fmt)
    if not places:
        return finding
    if places[0][0] == "table":
        if ("table", places[0][1]) not in unread:
            return finding
        text = "整张表未能从文件中读取，无法核对（这不是报告本身的错误）"
        return at(Rule.CHECK_UNREAD, finding.table, None, None, fmt, text)
    missing = [p for p in places if p in unread]
    if not missing:
        return finding
    names = "、".join(_place_name(p, fmt) for p in missing[:3]) + ("等" if len(missing) > 3 else "")
    rule_text = finding.message.split("：", 1)[-1]
    text = f"这项核对所依据的 {names} 未能从文件中读取，无法核对（不是报告本身的错误；按空白计算时：{rule_text}）"
    return at(Rule.CHECK_UNREAD, finding.table, finding.row, finding.column, fmt, text)


def _place_name(place: CellPlace, fmt: ReportFormat) -> str:
    prefix = ""
    if place[0] == "previous":
        prefix, place = "上一年度报告的", place[1:]
    return prefix + describe_place(ReportTable(place[0]), place[1], place[2], fmt)
