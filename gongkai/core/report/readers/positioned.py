"""Text with positions on a page (OFD text objects, OCR text boxes) put back into lines.

Objects whose vertical centres follow each other closely (within :data:`SAME_LINE` of a
character height) form a line, left to right; a gap wider
than :data:`CELL_GAP` character heights between two objects is a cell boundary, written as a tab,
so a table row comes out as the tab-separated cells the token stream reads (:mod:`.stream`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Two objects on one line further apart than this many character heights are two cells (a
#: wrapped label fills its cell to within a millimetre of the number beside it).
CELL_GAP = 0.35
#: Two objects whose centres differ by less than this share a line: the lines of a label wrapped
#: in its cell and the row of numbers centred beside it stay apart.
SAME_LINE = 0.35


@dataclass(frozen=True, slots=True)
class Placed:
    """One piece of text: left edge, vertical centre, right edge, character height."""

    x: float
    y: float
    right: float
    size: float
    text: str


def page_lines(texts: Sequence[Placed], gap: float = CELL_GAP) -> list[str]:
    """The page's lines, top to bottom, cells tab-separated."""
    lines: list[str] = []
    rows: list[list[Placed]] = []
    previous: Placed | None = None
    for item in sorted(texts, key=lambda t: (t.y, t.x)):
        if rows and previous is not None and item.y - previous.y <= min(previous.size, item.size) * SAME_LINE:
            rows[-1].append(item)
        else:
            rows.append([item])
        previous = item
    for row in rows:
        row.sort(key=lambda t: t.x)
        parts: list[str] = []
        right: float | None = None
        for item in row:
            if right is not None:
                parts.append("\t" if item.x - right > item.size * gap else "")
            parts.append(item.text)
            right = item.right
        lines.append("".join(parts))
    return lines
