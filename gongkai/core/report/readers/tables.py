"""What one reading path (the grids, or the text) made of one table, and how two paths combine."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.core.report.model import ReadNote
from gongkai.core.report.readers.normalize import Got, Reading, Unsure
from gongkai.core.report.taxonomy import ReportTable

#: A cell of one table: (row key, column) — column is the index "0"–"6" (table 三) or a field name.
CellKey = tuple[str, str]

TABLE_TITLES: dict[ReportTable, str] = {
    ReportTable.TABLE2: "表二（主动公开政府信息情况）",
    ReportTable.TABLE3: "表三（收到和处理政府信息公开申请情况）",
    ReportTable.TABLE4: "表四（政府信息公开行政复议、行政诉讼情况）",
}


@dataclass(slots=True)
class TableReading:
    """Cells read from one table by one path; ``rows`` are the row keys whose label was found."""

    table: ReportTable
    cells: dict[CellKey, Reading] = field(default_factory=dict)
    rows: set[str] = field(default_factory=set)
    notes: list[ReadNote] = field(default_factory=list)

    def put(self, row: str, column: str, reading: Reading) -> None:
        """Record a cell; a second, different reading of the same cell makes it unsure."""
        key = (row, column)
        before = self.cells.get(key)
        if before is None or before == reading:
            self.cells[key] = reading
            return
        if isinstance(before, Unsure):
            return
        self.cells[key] = Unsure(f"同一单元格读到两个不同的值（{_show(before)}、{_show(reading)}），无法确定")

    def note(self, message: str, row: str | None = None, column: str | None = None) -> None:
        self.notes.append(ReadNote(message=message, table=self.table, row=row, column=column))

    @property
    def found(self) -> bool:
        return bool(self.cells)


def _show(reading: Reading) -> str:
    if isinstance(reading, Unsure):
        return "无法读取"
    return "空" if reading.value is None else str(reading.value)


def merge(primary: TableReading, secondary: TableReading, *, cross_check: bool) -> TableReading:
    """Combine the grid reading (``primary``) with the text reading (``secondary``).

    Cells only one path read are taken from it. With ``cross_check`` (the two were extracted
    independently, as in a PDF), a cell both read with different values is left unsure; without
    it the grid wins (the text was derived from the same cells).
    """
    out = TableReading(primary.table, rows=primary.rows | secondary.rows)
    out.notes = [*primary.notes]
    for key, first in primary.cells.items():
        second = secondary.cells.get(key)
        if not cross_check or second is None or isinstance(second, Unsure):
            out.cells[key] = first
        elif isinstance(first, Unsure):
            out.cells[key] = second
        elif isinstance(second, Got) and first.value != second.value:
            out.cells[key] = Unsure(f"表格线识别为“{_show(first)}”，文字层为“{_show(second)}”，两者不一致，无法确定")
        else:
            out.cells[key] = first
    for key, second in secondary.cells.items():
        out.cells.setdefault(key, second)
    if not primary.found:
        out.notes.extend(secondary.notes)
    return out


def fill_from(primary: TableReading, extra: TableReading) -> TableReading:
    """``primary`` with the cells it did not read for sure taken from ``extra`` where ``extra``
    read them for sure (the run-together reader fills what the grids and the token stream left).

    The notes of ``primary`` about a row or cell ``extra`` then read for sure are dropped.
    """
    if not extra.found:
        return primary
    out = TableReading(primary.table, cells=dict(primary.cells), rows=set(primary.rows), notes=[])
    filled: set[CellKey] = set()
    for key, cell in extra.cells.items():
        before = out.cells.get(key)
        if isinstance(before, Got):
            continue
        if isinstance(cell, Got) or before is None:
            out.cells[key] = cell
            if isinstance(cell, Got):
                filled.add(key)
        out.rows.add(key[0])
    extra_rows = {row for row, _ in extra.cells}
    complete = all(isinstance(v, Got) for v in out.cells.values())
    for note in primary.notes:
        if note.row is None and note.column is None and complete:
            continue
        if note.row is not None and note.column is None and note.row in extra_rows:
            continue
        if note.row is not None and note.column is not None and (note.row, note.column) in filled:
            continue
        out.notes.append(note)
    if filled:
        out.notes.extend(extra.notes)
    else:
        out.notes.extend(n for n in extra.notes if n.row is not None)
    return out
