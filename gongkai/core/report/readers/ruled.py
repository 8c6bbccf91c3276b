"""Table cells of a scanned page found from its ruled lines (issue 15 item 7).

A printed table is drawn with straight lines. On the page image (grey, as OCR reads it) a
horizontal ruling is a run of dark pixels far longer than any stroke of a character, a vertical
ruling likewise; a vertical run counts only when both its ends meet a horizontal ruling (a
character's stroke does not). Consecutive horizontal rulings joined by vertical ones form one
table; its rows lie between the horizontal rulings, its columns between the vertical ones, and
two neighbouring positions are one (merged) cell where no ruling separates them. OCR's text boxes
are then placed in the cells by their centres, which gives the same :class:`~.document.Grid` a
Word or HTML table gives, read by the same interpreter.

Only numpy is used (it comes with the ``ocr`` extra); the page is at most 40 MP, so the cumulative
sums below stay within a few hundred MB even then and take some tens of milliseconds a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.core.report.readers.document import Grid, GridBuilder

#: A pixel darker than this (0 black … 255 white) is ink.
INK = 150
#: A horizontal ruling is at least this many millimetres long (a character is 3–6 mm).
MIN_H_MM = 15.0
#: A vertical ruling is at least this long: a one-line row of a table is about 6 mm high.
MIN_V_MM = 4.0
#: Share of a run's pixels that must be ink (a scan breaks thin lines here and there).
SOLID = 0.9
#: Rulings closer than this (mm) are one.
SNAP_MM = 1.2
#: A vertical ruling's end within this (mm) of a horizontal ruling meets it (a character's stroke
#: stops short of the cell's border by its padding).
MEET_MM = 0.5


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling: its position across (y of a horizontal one, x of a vertical one) and its extent."""

    at: float
    start: float
    end: float
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class Box:
    """One OCR text box: its rectangle in page pixels and its text."""

    left: float
    top: float
    right: float
    bottom: float
    text: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a ruled table: its interior in page pixels and its grid positions."""

    left: int
    top: int
    right: int
    bottom: int
    rows: tuple[int, int]  # first, last grid row
    cols: tuple[int, int]


@dataclass(frozen=True, slots=True)
class RuledTable:
    """A table found from rulings: row boundaries ``ys``, column boundaries ``xs``, the cells."""

    ys: tuple[float, ...]
    xs: tuple[float, ...]
    cells: tuple[Cell, ...]

    def cell_at(self, x: float, y: float) -> Cell | None:
        for cell in self.cells:
            if cell.left - 2 <= x <= cell.right + 2 and cell.top - 2 <= y <= cell.bottom + 2:
                return cell
        return None

    def grid(self, boxes: Sequence[Box]) -> Grid | None:
        """The table as a grid, each box's text in the cell holding its centre."""
        texts: dict[Cell, list[Box]] = {}
        for box in boxes:
            cell = self.cell_at((box.left + box.right) / 2, (box.top + box.bottom) / 2)
            if cell is not None:
                texts.setdefault(cell, []).append(box)
        builder = GridBuilder()
        n_rows, n_cols = len(self.ys) - 1, len(self.xs) - 1
        owner = {(r, c): cell for cell in self.cells for r in _span(cell.rows) for c in _span(cell.cols)}
        for r in range(n_rows):
            builder.new_row()
            c = 0
            while c < n_cols:
                cell = owner.get((r, c))
                if cell is None:
                    builder.add("")
                    c += 1
                    continue
                width = cell.cols[1] - c + 1
                if cell.rows[0] == r:
                    builder.add(cell_text(texts.get(cell, [])), colspan=width, rowspan=cell.rows[1] - r + 1)
                c += width
        return builder.build()


def _span(bounds: tuple[int, int]) -> range:
    return range(bounds[0], bounds[1] + 1)


def cell_text(boxes: Sequence[Box]) -> str:
    """The boxes of one cell in reading order: lines top to bottom joined without a space (a
    label wrapped in its cell), boxes on one line with a space (two numbers stay two)."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        middle = (box.top + box.bottom) / 2
        if lines and abs(middle - _middle(lines[-1][-1])) < (box.bottom - box.top) * 0.5:
            lines[-1].append(box)
        else:
            lines.append([box])
    return "".join(" ".join(b.text for b in sorted(line, key=lambda b: b.left)) for line in lines)


def _middle(box: Box) -> float:
    return (box.top + box.bottom) / 2


def _runs(ink: Any, length: int) -> Any:
    """Per row of ``ink`` (bool), which pixels lie in a window of ``length`` that is solid ink."""
    import numpy as np

    rows, cols = ink.shape
    if cols < length:
        return np.zeros_like(ink)
    total = np.zeros((rows, cols + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, dtype=np.int32, out=total[:, 1:])
    solid = (total[:, length:] - total[:, :-length]) >= int(length * SOLID)  # window starting at i
    starts = np.zeros((rows, cols + 1), dtype=np.int32)
    np.cumsum(np.pad(solid, ((0, 0), (0, length - 1))), axis=1, dtype=np.int32, out=starts[:, 1:])
    # pixel j is covered when a solid window starts in [j - length + 1, j]
    lower = np.maximum(np.arange(cols) - length + 1, 0)
    covered = starts[:, np.arange(cols) + 1] - starts[:, lower]
    return (covered > 0) & ink


def _segments(covered: Any, snap: float, gap: float) -> list[Segment]:
    """Rulings from the covered pixels: neighbouring lines of pixels merged, broken runs joined."""
    import numpy as np

    segments: list[Segment] = []
    lines = np.flatnonzero(covered.any(axis=1))
    groups: list[list[int]] = []
    for i in lines.tolist():
        if groups and i - groups[-1][-1] <= max(1.0, snap / 2):
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        along = covered[group[0] : group[-1] + 1].any(axis=0)
        xs = np.flatnonzero(along)
        if not len(xs):
            continue
        breaks = np.flatnonzero(np.diff(xs) > gap)
        starts = [int(xs[0]), *(int(xs[b + 1]) for b in breaks)]
        ends = [*(int(xs[b]) for b in breaks), int(xs[-1])]
        at = (group[0] + group[-1]) / 2
        width = float(group[-1] - group[0] + 1)
        segments.extend(Segment(at, float(s), float(e), width) for s, e in zip(starts, ends, strict=True))
    return segments


def find_tables(gray: Any, px_per_mm: float) -> list[RuledTable]:
    """The ruled tables of one page image (a 2-D uint8 array), top to bottom."""
    ink = gray < INK
    snap = SNAP_MM * px_per_mm
    horizontal = [
        s
        for s in _segments(_runs(ink, max(8, int(MIN_H_MM * px_per_mm))), snap, snap)
        if s.end - s.start >= MIN_H_MM * px_per_mm
    ]
    vertical_all = _segments(_runs(ink.T, max(8, int(MIN_V_MM * px_per_mm))), snap, snap)

    reach = max(2.0, MEET_MM * px_per_mm)

    def meets(y: float, x: float) -> bool:
        return any(abs(h.at - y) <= reach + h.width / 2 and h.start - snap <= x <= h.end + snap for h in horizontal)

    vertical = [v for v in vertical_all if meets(v.start, v.at) and meets(v.end, v.at)]
    tables: list[RuledTable] = []
    used: set[int] = set()
    for i, top in enumerate(sorted(horizontal, key=lambda s: s.at)):
        if i in used:
            continue
        found = _table_from(top, horizontal, vertical, snap)
        if found is not None:
            table, members = found
            used |= {j for j, h in enumerate(sorted(horizontal, key=lambda s: s.at)) if h in members}
            tables.append(table)
    return tables


def _table_from(
    top: Segment, horizontal: list[Segment], vertical: list[Segment], snap: float
) -> tuple[RuledTable, list[Segment]] | None:
    """The table whose top ruling is ``top``: the rulings below it reached through vertical ones."""
    left, right = top.start, top.end
    members = [top]
    bottom = top.at
    while True:
        down = [
            v
            for v in vertical
            if left - snap <= v.at <= right + snap
            and top.at - snap <= v.start <= bottom + snap
            and v.end > bottom + snap
        ]
        if not down:
            break
        reach = max(v.end for v in down)
        more = [
            h
            for h in horizontal
            if bottom + snap < h.at <= reach + snap and h.start <= right + snap and h.end >= left - snap
        ]
        if not more:
            break
        members.extend(h for h in more if h not in members)
        bottom = max(h.at for h in more)
    if len(members) < 2:
        return None
    ys = _cluster(sorted(h.at for h in members), snap)
    inside = [
        v
        for v in vertical
        if left - snap <= v.at <= right + snap and v.start >= ys[0] - snap and v.end <= ys[-1] + snap
    ]
    xs = _cluster(sorted([left, right, *(v.at for v in inside)]), snap)
    if len(xs) < 2 or len(ys) < 2:
        return None
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(n_rows):
        middle = (ys[r] + ys[r + 1]) / 2
        for c in range(n_cols - 1):
            x = xs[c + 1]
            if not any(abs(v.at - x) <= snap and v.start - snap <= middle <= v.end + snap for v in inside):
                union(r * n_cols + c, r * n_cols + c + 1)
    for r in range(n_rows - 1):
        y = ys[r + 1]
        for c in range(n_cols):
            middle = (xs[c] + xs[c + 1]) / 2
            if not any(abs(h.at - y) <= snap and h.start - snap <= middle <= h.end + snap for h in members):
                union(r * n_cols + c, (r + 1) * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    cells: list[Cell] = []
    pad = snap / 2
    for positions in groups.values():
        r0, r1 = min(p[0] for p in positions), max(p[0] for p in positions)
        c0, c1 = min(p[1] for p in positions), max(p[1] for p in positions)
        if len(positions) != (r1 - r0 + 1) * (c1 - c0 + 1):
            return None  # not a rectangle: not a table this reader understands
        cells.append(
            Cell(int(xs[c0] + pad), int(ys[r0] + pad), int(xs[c1 + 1] - pad), int(ys[r1 + 1] - pad), (r0, r1), (c0, c1))
        )
    return RuledTable(tuple(ys), tuple(xs), tuple(cells)), members


def _cluster(values: list[float], snap: float) -> list[float]:
    out: list[list[float]] = []
    for v in values:
        if out and v - out[-1][-1] <= snap:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]
