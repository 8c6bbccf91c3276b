"""The form every reader produces: the document's lines in body order plus its tables as grids.

One interpreter (:mod:`.interpret`) maps this onto the national format, so a PDF, a Word file,
a web page and a text export are read by the same rules.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import count


class SourceKind(StrEnum):
    """What a file is, told by its content (:func:`~gongkai.core.report.readers.sniff`).

    ``JSON`` is the report data itself (``gongkai.annual-report/1``): it is read without a
    :class:`Document`.
    """

    PDF = "pdf"
    DOCX = "docx"
    HTML = "html"
    JSON = "json"
    TEXT = "text"
    XLSX = "xlsx"
    OFD = "ofd"
    DOC = "doc"  # old Word / WPS (OLE2), converted by LibreOffice
    IMAGE = "image"  # a scanned page: OCR


#: Tables larger than this are not a report's tables (and a hostile colspan cannot blow up memory).
MAX_GRID_ROWS = 2000
MAX_GRID_COLS = 64


@dataclass(frozen=True, slots=True)
class Grid:
    """A table as a rectangular grid of cell texts.

    A merged cell repeats its text over every position it covers; ``keys`` tells the positions
    of one underlying cell apart from neighbours that merely print the same text.
    """

    texts: tuple[tuple[str, ...], ...]
    keys: tuple[tuple[int, ...], ...]

    @property
    def n_rows(self) -> int:
        return len(self.texts)

    @property
    def n_cols(self) -> int:
        return len(self.texts[0]) if self.texts else 0

    def row_line(self, r: int) -> str:
        """Row ``r`` as one line of tab-separated cells, each merged cell once."""
        cells: list[str] = []
        seen: set[int] = set()
        for text, key in zip(self.texts[r], self.keys[r], strict=True):
            if key in seen:
                continue
            seen.add(key)
            cells.append(" ".join(text.split()))
        return "\t".join(cells)


class GridBuilder:
    """Places cells with row and column spans (the HTML and Word table model) into a :class:`Grid`.

    Spans are clamped to :data:`MAX_GRID_ROWS` × :data:`MAX_GRID_COLS`; rows beyond the cap are
    dropped.
    """

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], tuple[int, str]] = {}
        self._row = -1
        self._col = 0
        self._n_cols = 0
        self._n_rows = 0
        self._ids = count()
        self._dropping = False

    @property
    def full(self) -> bool:
        return self._row + 1 >= MAX_GRID_ROWS

    @property
    def row_full(self) -> bool:
        """The current row has reached the last grid column: further cells are dropped."""
        return self._col >= MAX_GRID_COLS

    def new_row(self) -> None:
        if self.full:
            self._dropping = True
            return
        self._row += 1
        self._col = 0
        self._n_rows = max(self._n_rows, self._row + 1)

    def skip(self, cols: int) -> None:
        """Leave ``cols`` grid columns empty (Word's ``w:gridBefore``)."""
        self._col = min(self._col + max(cols, 0), MAX_GRID_COLS)

    def add(self, text: str, colspan: int = 1, rowspan: int = 1) -> None:
        if self._row < 0:
            self.new_row()
        if self._dropping:
            return
        cells, row, col = self._cells, self._row, self._col
        while (row, col) in cells and col < MAX_GRID_COLS:
            col += 1
        self._col = col
        if col >= MAX_GRID_COLS:
            return
        key = next(self._ids)
        if colspan == 1 and rowspan == 1:  # most cells: one position, free (the loop above)
            cells[row, col] = (key, text)
            self._n_rows = max(self._n_rows, row + 1)
        else:
            colspan = max(1, min(colspan, MAX_GRID_COLS - col))
            rowspan = max(1, min(rowspan, MAX_GRID_ROWS - row))
            for r in range(row, row + rowspan):
                for c in range(col, col + colspan):
                    cells.setdefault((r, c), (key, text))
            self._n_rows = max(self._n_rows, row + rowspan)
        self._col = col + colspan
        self._n_cols = max(self._n_cols, self._col)

    def add_cells(self, cells: Sequence[tuple[str, int, int]]) -> None:
        """A row's cells at once, each ``(text, colspan, rowspan)``: :meth:`add` of each in turn
        (a cell of one position, the usual one, placed here without the call)."""
        if self._row < 0:
            self.new_row()
        if self._dropping:
            return
        placed, row, ids = self._cells, self._row, self._ids
        col = self._col
        for text, colspan, rowspan in cells:
            if colspan != 1 or rowspan != 1:
                self._col = col
                self.add(text, colspan, rowspan)
                col = self._col
                continue
            while (row, col) in placed and col < MAX_GRID_COLS:
                col += 1
            if col >= MAX_GRID_COLS:
                break
            placed[row, col] = (next(ids), text)
            col += 1
            if col > self._n_cols:
                self._n_cols = col
            if row >= self._n_rows:
                self._n_rows = row + 1
        self._col = col

    def continue_above(self, colspan: int = 1) -> None:
        """A cell merged with the one above it (Word's ``w:vMerge`` continue)."""
        if self._row < 0:
            self.new_row()
        if self._dropping:
            return
        while (self._row, self._col) in self._cells and self._col < MAX_GRID_COLS:
            self._col += 1
        above = self._cells.get((self._row - 1, self._col))
        if above is None:
            self.add("", colspan)
            return
        colspan = max(1, min(colspan, MAX_GRID_COLS - self._col))
        for c in range(self._col, self._col + colspan):
            self._cells.setdefault((self._row, c), self._cells.get((self._row - 1, c), above))
        self._col += colspan
        self._n_cols = max(self._n_cols, self._col)

    def build(self) -> Grid | None:
        if not self._n_rows or not self._n_cols:
            return None
        texts: list[tuple[str, ...]] = []
        keys: list[tuple[int, ...]] = []
        get, ids, columns = self._cells.get, self._ids, range(self._n_cols)
        for r in range(self._n_rows):
            row = [get((r, c)) or (next(ids), "") for c in columns]
            keys.append(tuple([key for key, _ in row]))
            texts.append(tuple([text for _, text in row]))
        return Grid(tuple(texts), tuple(keys))


@dataclass(slots=True)
class Document:
    """A published report after extraction: ``lines`` in body order (tables as tab-separated rows)
    and ``grids`` (its tables, in order).

    ``cross_check`` is set when the grids and the lines were extracted independently (PDF ruling
    lines vs the text layer): a cell the two read differently is left blank with a note.
    ``wrapped`` is set when the lines are a page layout (PDF) rather than paragraphs.
    ``ocr`` marks text recognised from page images (:mod:`.ocr`).
    ``more_grids`` extracts grids that were left out because they are costly (PDF pages holding
    only table 二); the interpreter calls it when the text alone does not settle table 二.
    """

    source: str
    kind: SourceKind
    lines: list[str]
    grids: list[Grid] = field(default_factory=list)
    title_hint: str = ""
    cross_check: bool = False
    wrapped: bool = False
    notes: list[str] = field(default_factory=list)
    more_grids: Callable[[], list[Grid]] | None = None
    #: The text was recognised by OCR: only numbers that pass the report's arithmetic are kept.
    ocr: bool = False
