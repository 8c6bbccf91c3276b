"""The console's views as Excel workbooks (``console_xlsxwriter``: 3,000 rows in a blink): the
board, the roll-up."""

from __future__ import annotations

from gongkai.core.report.taxonomy import (
    COLUMN_LABELS,
    TABLE3_KEYS,
    TABLE4_TOTAL_KEY,
    TABLE4_TOTAL_LABEL,
    ReportFormat,
    ReviewKind,
    ReviewResult,
    table2_rows,
    table3_row_label,
    table4_group_label,
)
from gongkai.core.spreadsheet import safe_row
from gongkai.dashboards.console_selectors import Board, Rollup
from gongkai.dashboards.console_xlsxwriter import XlsxBook

BOARD_COLUMNS = ("机构", "层级", "状态", "发布期限", "首次发布日期", "逾期天数", "最近催报", "催报方式")
_FIELD_LABELS = {**{r.value: r.label for r in ReviewResult}, TABLE4_TOTAL_KEY: TABLE4_TOTAL_LABEL}


def board_workbook(board: Board) -> bytes:
    book = XlsxBook()
    sheet = book.sheet(f"{board.year}年度发布情况", BOARD_COLUMNS)
    for row in board.rows:
        late = row.lateness
        sheet.append(
            safe_row(
                row.name,
                row.level_label,
                row.state.label,
                late.due,
                row.published_on,
                row.days_late,
                row.reminder.sent_at.date() if row.reminder else None,
                row.reminder.channel_labels if row.reminder else "",
            )
        )
    counts = book.sheet("统计", ("状态", "机构数"))
    for state, n in board.counts.items():
        counts.append(safe_row(state.label, n))
    counts.append(safe_row("合计", sum(board.counts.values())))
    return book.bytes()


def rollup_workbook(rollup: Rollup) -> bytes:
    book = XlsxBook()
    sources = book.sheet("数据来源", ("机构", "数据来源"))
    for row in rollup.rows:
        sources.append(safe_row(row.name, row.source_label))
    t2 = book.sheet("表二", ("项目", "指标", "合计"))
    for row2 in table2_rows(ReportFormat.F2021):
        for f in row2.fields:
            t2.append(safe_row(row2.label, f.label, rollup.table2[row2.key][f.key]))
    t3 = book.sheet("表三", ("项目", *COLUMN_LABELS))
    for key in TABLE3_KEYS:
        t3.append(safe_row(table3_row_label(key), *rollup.table3[key]))
    t4 = book.sheet("表四", ("类别", *(_FIELD_LABELS[f] for f in rollup.table4[ReviewKind.RECONSIDERATION.value])))
    for kind in ReviewKind:
        t4.append(safe_row(table4_group_label(kind), *rollup.table4[kind.value].values()))

    return book.bytes()
