"""The console's small .xlsx writer: what openpyxl reads back (values, types, header, escaping)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gongkai.core.spreadsheet import safe_row
from gongkai.dashboards.console_xlsxwriter import XlsxBook


def test_written_workbook_reads_back() -> None:
    book = XlsxBook()
    sheet = book.sheet('名单"<&>', ("机构", "日期", "件数", "金额", "空", "是否", "文字"))
    sheet.append(safe_row("甲<乙>&丙\x01", dt.date(2026, 1, 31), 5, Decimal("1.50"), None, True, "=1+1"))
    book.sheet("统计", ("合计",)).append([3])
    read = load_workbook(BytesIO(book.bytes()))
    assert read.sheetnames == ['名单"<&>', "统计"]
    first = read.worksheets[0]
    rows = list(first.values)
    assert rows[0] == ("机构", "日期", "件数", "金额", "空", "是否", "文字")
    assert rows[1] == ("甲<乙>&丙", dt.datetime(2026, 1, 31), 5, 1.5, None, True, "'=1+1")
    assert first["A1"].font.b and not first["A2"].font.b
    assert first.freeze_panes == "A2"
    assert list(read["统计"].values) == [("合计",), (3,)]
