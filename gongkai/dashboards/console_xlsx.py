"""The console's views as Excel workbooks (the board, the roll-up), written with XlsxWriter.

:class:`XlsxBook` is a thin layer over ``xlsxwriter.Workbook``: one sheet per :meth:`XlsxBook.sheet`,
a bold and frozen header row, text, numbers (``Decimal`` as ``int`` when whole, else ``float``),
booleans and dates (in a date format). Text is always written as text: XlsxWriter is told never to
turn a string into a formula, a link or a number, and every row still goes through
``core.spreadsheet.safe_row`` (formula injection); characters XML 1.0 forbids are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

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

BOARD_COLUMNS = ("机构", "层级", "状态", "发布期限", "首次发布日期", "逾期天数", "最近催报", "催报方式")
_FIELD_LABELS = {**{r.value: r.label for r in ReviewResult}, TABLE4_TOTAL_KEY: TABLE4_TOTAL_LABEL}

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Characters Excel refuses in a sheet name.
_SHEET_NAME_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_WORKBOOK_OPTIONS = {
    # in_memory: no temporary files (XlsxWriter then keeps the cells in memory; constant_memory,
    # which needs temporary files, is switched off by it — a few thousand rows fit easily).
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class XlsxSheet:
    """One worksheet: a bold frozen header row, then rows appended one at a time."""

    def __init__(self, sheet: Worksheet, header: Iterable[object], bold: Format, date: Format) -> None:
        self._sheet = sheet
        self._date = date
        self._row = 0
        self._write(header, bold)
        sheet.freeze_panes(1, 0)

    def _write(self, values: Iterable[object], style: Format | None) -> None:
        ws, r = self._sheet, self._row
        for c, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                ws.write_boolean(r, c, value, style)
            elif isinstance(value, Decimal):
                ws.write_number(r, c, int(value) if value == value.to_integral_value() else float(value), style)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value, style)
            elif isinstance(value, dt.date):
                day = value.date() if isinstance(value, dt.datetime) else value
                ws.write_datetime(r, c, day, style or self._date)
            else:
                ws.write_string(r, c, _ILLEGAL.sub("", str(value)), style)
        self._row += 1

    def append(self, values: Iterable[object]) -> None:
        self._write(values, None)


class XlsxBook:
    """A workbook of :class:`XlsxSheet`; :meth:`bytes` closes it and returns the .xlsx file."""

    def __init__(self) -> None:
        self._out = BytesIO()
        self._book = xlsxwriter.Workbook(self._out, _WORKBOOK_OPTIONS)
        self._bold = self._book.add_format({"bold": True})
        self._date = self._book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(self, title: str, header: Iterable[object]) -> XlsxSheet:
        name = _SHEET_NAME_ILLEGAL.sub("_", _ILLEGAL.sub("", title)).strip("'")[:31] or None
        return XlsxSheet(self._book.add_worksheet(name), header, self._bold, self._date)

    def bytes(self) -> bytes:
        self._book.close()
        return self._out.getvalue()


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
