"""The 依申请公开台账 (request ledger) as an Excel workbook: written from cases, read back for import.

条例 art 45 asks every agency to keep a register of applications (登记、审核、办理、答复、归档);
offices keep it as a spreadsheet. ``columns`` is its one definition (order, labels, widths,
accepted header variants) and the row type; ``write`` makes the .xlsx (:func:`write_ledger`);
``read`` parses an uploaded .xlsx or .csv (UTF-8 or GBK) into typed :class:`LedgerRow` values
and reports every problem with its row and column (:func:`read_ledger`). A read never raises on
a bad file, and when anything is wrong it returns no rows at all: an import is all or nothing.

Channels are ``gongkai.core.deadlines.Channel``, applicant types the six columns of table 三
(``ApplicantType``), outcomes its outcome rows (``gongkai.core.outcomes.Outcome``).
"""

from gongkai.core.ledger.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    HEADER_LABELS,
    SHEET_TITLE,
    CellType,
    ColumnSpec,
    LedgerColumn,
    LedgerRow,
    outcome_ledger_label,
)
from gongkai.core.ledger.read import (
    NOTHING_IMPORTED,
    LedgerIssue,
    LedgerReadResult,
    parse_date,
    read_ledger,
)
from gongkai.core.ledger.write import mask_id_number, write_ledger

__all__ = [
    "COLUMNS",
    "COLUMN_BY_KEY",
    "HEADER_LABELS",
    "NOTHING_IMPORTED",
    "SHEET_TITLE",
    "CellType",
    "ColumnSpec",
    "LedgerColumn",
    "LedgerIssue",
    "LedgerReadResult",
    "LedgerRow",
    "mask_id_number",
    "outcome_ledger_label",
    "parse_date",
    "read_ledger",
    "write_ledger",
]
