"""The agency dashboard as an .xlsx workbook: one sheet per chart, the very rows of its table."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook

from gongkai.core.spreadsheet import safe_row
from gongkai.web.charts import Chart

#: Excel refuses sheet names longer than 31 characters or containing these.
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def charts_workbook(heading: str, charts: Sequence[Chart]) -> bytes:
    """A 说明 sheet (``heading``, each chart's caption), then each chart's table with its 合计 row."""
    book = Workbook()
    about = book.active
    assert about is not None  # a new Workbook always has one sheet
    about.title = "说明"
    about.append(safe_row(heading))
    for chart in charts:
        about.append(safe_row(chart.title, chart.unit, chart.caption))
    for chart in charts:
        sheet = book.create_sheet(chart.title.translate(_SHEET_FORBIDDEN)[:31])
        sheet.append(safe_row(chart.category_label or "项目", *(s.name for s in chart.series)))
        for category, cells in chart.rows():
            sheet.append(safe_row(category, *(cell.value for cell in cells)))
        totals = chart.total_row()
        if totals is not None:
            sheet.append(safe_row("合计", *(cell.value for cell in totals)))
        sheet.freeze_panes = "B2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
