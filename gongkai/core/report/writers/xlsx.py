"""The annual report as an Excel workbook: one sheet per table, and the numbers in long form.

Sheets 表二, 表三, 表四 carry the national format's headers as merged cells and the numbers as
numbers (money with four decimals, 万元); sheet 数据 has one row per cell (agency, year,
format, table, row and column keys and labels, value) for pivoting and for loading elsewhere.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import SECTION_HEADINGS, ValueType
from gongkai.core.report.writers.layout import (
    CellKind,
    GridCell,
    TableGrid,
    report_title,
    table_grids,
)
from gongkai.core.spreadsheet import safe_cell, safe_row

MONEY_FORMAT = "0.0000"
COUNT_FORMAT = "0"
DATA_SHEET = "数据"
DATA_COLUMNS: tuple[str, ...] = ("机关", "年度", "格式", "表", "行键", "行", "列键", "列", "值")
_FONT = "仿宋"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
#: Sheet rows above the grid: the report title and the section heading.
GRID_FIRST_ROW = 3
_WIDTH_FACTOR = 1.25


def render_xlsx(report: AnnualReport) -> bytes:
    """Tables 二, 三, 四 of the report (条例 art 50) as .xlsx bytes; blank cells stay empty."""
    workbook = Workbook()
    workbook.properties.title = report_title(report)
    workbook.properties.creator = "gongkai"
    grids = table_grids(report)
    first = True
    for grid in grids.values():
        if first:
            sheet = workbook.active
            sheet.title = f"表{grid.number}"
            first = False
        else:
            sheet = workbook.create_sheet(f"表{grid.number}")
        _write_grid(sheet, report, grid)
    _write_data(workbook.create_sheet(DATA_SHEET), report, grids)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_coordinates(cell: GridCell) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column) of a grid cell on its sheet, 1-based."""
    top = GRID_FIRST_ROW + cell.row
    left = 1 + cell.col
    return top, left, top + cell.rowspan - 1, left + cell.colspan - 1


def _write_grid(sheet: Any, report: AnnualReport, grid: TableGrid) -> None:
    for row, text in ((1, report_title(report)), (2, SECTION_HEADINGS[grid.key])):
        sheet.cell(row=row, column=1, value=safe_cell(text)).font = Font(
            name=_FONT, size=14 if row == 1 else 12, bold=True
        )
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=grid.n_cols)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    for spec in grid.cells:
        top, left, bottom, right = sheet_coordinates(spec)
        target = sheet.cell(row=top, column=left)
        if spec.kind is CellKind.VALUE:
            target.value = spec.value
            target.number_format = MONEY_FORMAT if spec.value_type is ValueType.MONEY else COUNT_FORMAT
        else:
            target.value = safe_cell(spec.text)
        target.font = Font(name=_FONT, size=10, bold=spec.kind is CellKind.BLOCK_HEADER)
        horizontal = "left" if spec.kind is CellKind.ROW_HEADER else "center"
        target.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if bottom > top or right > left:
            sheet.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                sheet.cell(row=r, column=c).border = _BORDER
    for index, width in enumerate(grid.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(6.0, width * _WIDTH_FACTOR)
    if grid.header_rows:
        sheet.freeze_panes = sheet.cell(row=GRID_FIRST_ROW + grid.header_rows, column=1)


def _write_data(sheet: Any, report: AnnualReport, grids: dict[str, TableGrid]) -> None:
    sheet.append(list(DATA_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(name=_FONT, bold=True)
    for grid in grids.values():
        owner = grid.owner()
        for spec in grid.value_cells():
            assert spec.ref is not None
            row_label = _row_label(owner, spec)
            column_label = _column_label(grid, owner, spec)
            value: int | Decimal | None = spec.value
            sheet.append(
                safe_row(
                    report.agency,
                    report.year,
                    report.format.value,
                    spec.ref.table,
                    spec.ref.row,
                    row_label,
                    spec.ref.column,
                    column_label,
                    value,
                )
            )
            sheet.cell(row=sheet.max_row, column=len(DATA_COLUMNS)).number_format = (
                MONEY_FORMAT if spec.value_type is ValueType.MONEY else COUNT_FORMAT
            )
    for index, width in enumerate((30, 6, 6, 4, 28, 40, 18, 30, 12), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _row_label(owner: list[list[GridCell]], spec: GridCell) -> str:
    """The row's labels left of the number, outer to inner ("（三）不予公开 / 1.属于国家秘密")."""
    parts: list[str] = []
    for cell in owner[spec.row][: spec.col]:
        if cell.kind in (CellKind.ROW_HEADER, CellKind.ROW_GROUP) and cell.text not in parts:
            parts.append(cell.text)
    return " / ".join(parts)


def _column_label(grid: TableGrid, owner: list[list[GridCell]], spec: GridCell) -> str:
    """The column headers above the number in its block, outer to inner ("行政诉讼 / 复议后起诉 / 总计")."""
    group = next(g for g in grid.groups if g.start <= spec.row < g.stop)
    head = next((g for g in grid.groups if g.head), None)
    rows = range(head.start, head.stop) if head is not None else range(group.start, spec.row)
    parts: list[str] = []
    for r in rows:
        cell = owner[r][spec.col]
        if cell.kind is CellKind.COLUMN_HEADER and cell.text not in parts:
            parts.append(cell.text)
    return " / ".join(parts)
