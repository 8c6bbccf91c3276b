"""The annual report as plain text, laid out the way text exported from the Word file looks.

Paragraphs one per line; a table row is its cells one per line, each after a tab, and a blank
line ends the row. A cell merged across columns is written once; a cell merged down leaves an
empty "\\t" line in each row below it (Word keeps a continuation cell there). This is the shape
of ``shared/samples/miyun-guoyuan-2023.txt``.
"""

from __future__ import annotations

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import SECTION_HEADINGS
from gongkai.core.report.writers.layout import (
    PREAMBLE_KEY,
    SECTION_ORDER,
    TableGrid,
    narrative_blocks,
    table_grids,
    title_lines,
)


def render_text(report: AnnualReport) -> str:
    """The report (条例 art 50) as text: title, sections 一–六, tables cell by cell."""
    lines: list[str] = [*title_lines(report), ""]
    preamble = report.sections.get(PREAMBLE_KEY)
    if preamble:
        lines += [text for _, text in narrative_blocks(preamble)]
    grids = table_grids(report)
    for key in SECTION_ORDER:
        lines.append(SECTION_HEADINGS[key])
        text = report.sections.get(key)
        if text:
            lines += [line for _, line in narrative_blocks(text)]
        if key in grids:
            lines.append("")
            lines += table_lines(grids[key])
            lines.append("")
    if report.agency:
        lines += ["", "", report.agency]
    return "\n".join(lines) + "\n"


def table_lines(grid: TableGrid) -> list[str]:
    """A table as Word's text export writes it: "\\t<cell>" lines, a blank line after each row."""
    owner = grid.owner()
    lines: list[str] = []
    for row in range(grid.n_rows):
        for col in range(grid.n_cols):
            cell = owner[row][col]
            if cell.col != col:
                continue  # covered by a cell merged across: Word has no cell here
            lines.append("\t" + (cell.text if cell.row == row else ""))
        lines.append("")
    return lines
