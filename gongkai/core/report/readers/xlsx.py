"""Excel (.xlsx): each worksheet as a grid and as tab-separated lines, read through openpyxl in
read-only mode with the bounds of :mod:`gongkai.core.spreadsheet` (zip sizes, shared strings,
rows and columns streamed).

A report's tables as a spreadsheet, ours (``writers/xlsx.py``: sheets 表二, 表三, 表四, the title in
the first row) or anyone's: the sheets are read by the same interpreter as every other format. A
merged cell keeps its text in its first position only (read-only mode does not expand merges),
which the grid reader handles like a Markdown table. Our own long-form sheet (数据) repeats the
numbers and is left out.
"""

from __future__ import annotations

from decimal import Decimal

from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import MAX_GRID_COLS, MAX_GRID_ROWS, Document, Grid, GridBuilder, SourceKind
from gongkai.core.spreadsheet import SpreadsheetError, open_xlsx

#: Sheets read at most (a report has three tables).
MAX_SHEETS = 20
#: Our writer's long-form sheet (``writers.xlsx.DATA_SHEET``): the same numbers again.
_DATA_SHEET = "数据"


def cell_text(value: object) -> str:
    """A cell's value as the text a table prints (an integral float without ".0")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value).strip()


def xlsx_document(data: bytes, source: str) -> Document:
    """Lines and grids of every visible worksheet."""
    lines: list[str] = []
    grids: list[Grid] = []
    title = ""
    try:
        with open_xlsx(data, source) as book:
            for sheet in [s for s in book.sheets if s.visible][:MAX_SHEETS]:
                if sheet.title == _DATA_SHEET:
                    continue
                builder = GridBuilder()
                for _, values in book.rows(sheet, max_rows=MAX_GRID_ROWS, max_cols=MAX_GRID_COLS):
                    texts = [cell_text(v) for v in values]
                    builder.new_row()
                    for text in texts:
                        builder.add(text)
                    shown = [t for t in texts if t]
                    if len(shown) == 1 and not title:
                        title = shown[0]
                    lines.append("\t".join(" ".join(t.split()) for t in texts))
                grid = builder.build()
                if grid is not None and grid.n_cols >= 2:
                    grids.append(grid)
                lines.append("")
    except SpreadsheetError as exc:
        raise ReportReadError(str(exc), source=source) from None
    return Document(source=source, kind=SourceKind.XLSX, lines=lines, grids=grids, title_hint=title)
