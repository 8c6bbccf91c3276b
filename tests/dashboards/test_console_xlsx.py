"""The console's .xlsx layer over XlsxWriter: what openpyxl reads back (values, types, header, text)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from gongkai.core.spreadsheet import safe_row
from gongkai.dashboards.console_xlsx import XlsxBook


def _read(book: XlsxBook):  # type: ignore[no-untyped-def]
    return load_workbook(BytesIO(book.bytes()))


def test_written_workbook_reads_back() -> None:
    book = XlsxBook()
    sheet = book.sheet('名单"<&>', ("机构", "日期", "件数", "金额", "空", "是否", "文字", "整数金额"))
    sheet.append(
        safe_row("甲<乙>&丙\x01", dt.date(2026, 1, 31), 5, Decimal("1.50"), None, True, "=1+1", Decimal("7.00"))
    )
    sheet.append(safe_row("丁", dt.datetime(2026, 2, 1, 9, 30), 0, Decimal(0), "", False, "", None))
    book.sheet("统计", ("合计",)).append([3])
    read = _read(book)
    assert read.sheetnames == ['名单"<&>', "统计"]
    first = read.worksheets[0]
    rows = list(first.values)
    assert rows[0] == ("机构", "日期", "件数", "金额", "空", "是否", "文字", "整数金额")
    assert rows[1] == ("甲<乙>&丙", dt.datetime(2026, 1, 31), 5, 1.5, None, True, "'=1+1", 7)
    assert rows[2] == ("丁", dt.datetime(2026, 2, 1), 0, 0, None, False, None, None)
    assert type(rows[1][7]) is int and type(rows[1][3]) is float
    assert list(read["统计"].values) == [("合计",), (3,)]


def test_header_is_bold_and_frozen_dates_have_a_date_format() -> None:
    book = XlsxBook()
    book.sheet("名单", ("机构", "日期")).append(["甲", dt.date(2026, 1, 31)])
    first = _read(book).worksheets[0]
    assert first["A1"].font.b and first["B1"].font.b
    assert not first["A2"].font.b and not first["B2"].font.b
    assert first.freeze_panes == "A2"
    assert first["B2"].is_date and first["B2"].number_format == "yyyy-mm-dd"
    assert not first["A2"].is_date


def test_text_is_never_a_formula_link_or_number() -> None:
    book = XlsxBook()
    sheet = book.sheet("文字", ("值",))
    for text in ("=1+1", "http://evil.example/", "0123", "1e5"):  # without safe_row: the writer's own options
        sheet.append([text])
    cells = [row[0] for row in _read(book).worksheets[0].iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["=1+1", "http://evil.example/", "0123", "1e5"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s"]
    assert all(c.hyperlink is None for c in cells)


def test_sheet_names_excel_refuses_are_cleaned() -> None:
    book = XlsxBook()
    book.sheet("2024/2025年度:发布[情况]*?" + "长" * 40, ("机构",))
    name = _read(book).sheetnames[0]
    assert name == ("2024_2025年度_发布_情况___" + "长" * 40)[:31]
