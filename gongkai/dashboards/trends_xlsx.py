"""The trend pages as an Excel workbook: one sheet per chart, the same figures as its table."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from gongkai.core.spreadsheet import safe_row
from gongkai.web.charts import Chart

#: Sheet names by chart key (Excel allows 31 characters and no []:*?/\).
SHEET_NAMES = {
    "trend": "指标趋势",
    "mix": "办理结果构成",
    "channels": "收件渠道",
    "correction": "纠错率",
    "similarity": "雷同矩阵",
}
MARK_COLUMN = "同比异常"
_ALERT = PatternFill("solid", fgColor="F4C7C3")


def charts_workbook(charts: Sequence[Chart]) -> bytes:
    """Every chart as a sheet: categories down, series across; a marked cell is filled red and
    named in the last column (同比异常) with its change."""
    book = Workbook()
    first = book.active
    assert first is not None  # a new Workbook always has one sheet
    book.remove(first)
    for chart in charts:
        sheet = book.create_sheet(SHEET_NAMES.get(chart.key, chart.key[:31]))
        sheet.append(safe_row(chart.title))
        sheet.cell(row=1, column=1).font = Font(bold=True)
        header = [chart.category_label or "项目", *(s.name for s in chart.series)]
        marks = any(s.marked for s in chart.series)
        sheet.append(safe_row(*header, *([MARK_COLUMN] if marks else [])))
        for index in range(1, len(header) + 2):
            sheet.cell(row=2, column=index).font = Font(bold=True)
        for category, cells in chart.rows():
            notes = [
                f"{s.name}：{cell.note or '异常'}" for s, cell in zip(chart.series, cells, strict=True) if cell.marked
            ]
            sheet.append(safe_row(category, *(c.value for c in cells), *(["；".join(notes)] if marks else [])))
            for column, cell in enumerate(cells, start=2):
                if cell.marked:
                    sheet.cell(row=sheet.max_row, column=column).fill = _ALERT
        totals = chart.total_row()
        if totals is not None:
            sheet.append(safe_row("合计", *(c.value for c in totals)))
        if chart.unit:
            sheet.append(safe_row(f"单位：{chart.unit}"))
        if chart.caption:
            sheet.append(safe_row(chart.caption))
        sheet.column_dimensions["A"].width = 28
        for index in range(2, len(header) + 2):
            sheet.column_dimensions[get_column_letter(index)].width = 16
        sheet.freeze_panes = "B3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
