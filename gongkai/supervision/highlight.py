"""The report's tables as the core renders them, with the cells that findings name marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from gongkai.core.report.checks import BALANCE_ROWS
from gongkai.core.report.findings import Rule
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import APPLICANT_COLUMNS, TOTAL_COLUMN, ReportTable
from gongkai.core.report.writers import render_table_html
from gongkai.core.report.writers.layout import TOTAL_COLUMN_KEY, CellKind, CellRef, table_grids

_TD = "<td"


def highlighted_tables(report: AnnualReport, findings: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """``render_table_html(report)`` with ``class="gk-flag gk-flag-<severity>"`` and a title on flagged cells.

    The core writes exactly one ``<td`` per value cell, in row order, so the n-th ``<td`` is the
    grid's n-th value cell; if that ever stops holding, the table is returned unmarked.
    """
    tables = render_table_html(report)
    for key, grid in table_grids(report).items():
        cells = [c for row in range(grid.n_rows) for c in grid.cells_in_row(row) if c.kind is CellKind.VALUE]
        pieces = tables[key].split(_TD)
        if len(pieces) != len(cells) + 1:
            continue
        out = [pieces[0]]
        for cell, piece in zip(cells, pieces[1:], strict=True):
            hits = [f for f in findings if cell.ref is not None and _names(f, cell.ref)]
            if hits:
                severity = "error" if any(f.get("severity") == "error" for f in hits) else "warning"
                title = escape("\n".join(str(f.get("message", "")) for f in hits), quote=True)
                out.append(f'{_TD} class="gk-flag gk-flag-{severity}" title="{title}"{piece}')
            else:
                out.append(_TD + piece)
        tables[key] = "".join(out)
    return tables


def _names(finding: Mapping[str, Any], ref: CellRef) -> bool:
    """True when ``finding`` points at the cell ``ref`` (a whole table is not marked)."""
    table, row, column = finding.get("table"), finding.get("row"), finding.get("column")
    if table != ref.table or (row is None and column is None):
        return False
    # T3-BALANCE names a column only: the cells it adds up are the balance rows'.
    if row is None and finding.get("rule") == Rule.T3_BALANCE and ref.row not in BALANCE_ROWS:
        return False
    if row is not None and row != ref.row:
        return False
    return column is None or column == _column_key(ref)


def _column_key(ref: CellRef) -> str:
    """A finding's column for ``ref``: table 三 columns are "0"–"6", others the field name."""
    if ref.table != ReportTable.TABLE3:
        return ref.column
    if ref.column == TOTAL_COLUMN_KEY:
        return str(TOTAL_COLUMN)
    for index, applicant in enumerate(APPLICANT_COLUMNS):
        if applicant.value == ref.column:
            return str(index)
    return ref.column
