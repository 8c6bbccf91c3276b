"""Writing the ledger: cases' rows to an .xlsx workbook (条例 art 45: 登记、审核、办理、答复、归档)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from gongkai.core.deadlines import Channel
from gongkai.core.ledger.columns import (
    COLUMNS,
    DATE_FORMAT,
    NO,
    OPTIONS_SHEET,
    SHEET_TITLE,
    YES,
    CellType,
    LedgerColumn,
    LedgerRow,
    outcome_ledger_label,
)
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType
from gongkai.core.spreadsheet import safe_cell


def _mask_middle(text: str) -> str:
    """The first three and last four characters kept, the rest as ``*`` (short values: more hidden)."""
    if len(text) <= 4:
        return "*" * len(text)
    if len(text) <= 8:
        return "*" * (len(text) - 4) + text[-4:]
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_id_number(value: str) -> str:
    """An identity number with its middle hidden: "110***********1234" (exports).

    The first three and last four characters stay, as on every list of the back office
    (``gongkai.cases.masking``); 身份证明 (条例 art 29 ¶2(一)) is personal information.
    """
    return _mask_middle("".join(value.split()))


def mask_phone(value: str) -> str:
    """A telephone number with its middle hidden: "138****5678" (the same rule as identity
    numbers; separators dropped). 联系方式 (条例 art 29 ¶2(一)) is personal information."""
    return _mask_middle("".join(ch for ch in value if not ch.isspace() and ch not in "-()（）"))


def mask_email(value: str) -> str:
    """An e-mail address with its local part hidden but the first character: "a***@example.cn"."""
    local, at, domain = value.strip().partition("@")
    if not at:
        return mask_phone(value)
    return f"{local[:1]}***@{domain}"


def mask_contact(value: str) -> str:
    """The ledger's 联系方式 (a telephone number or an e-mail address), masked."""
    return mask_email(value) if "@" in value else mask_phone(value)


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_FONT = "宋体"
#: Rows below the data that still get the drop-down lists, for entries added by hand.
_VALIDATION_SPARE_ROWS = 500


def write_ledger(rows: Iterable[LedgerRow], *, unmasked: bool = False) -> bytes:
    """The ledger as .xlsx bytes: header row (frozen, filtered), widths, dates as dates.

    Identity numbers and contacts are masked (:func:`mask_id_number`, :func:`mask_contact`)
    unless ``unmasked`` (docs/personal-data.md). Channel,
    applicant type, outcome and the yes/no columns get drop-down lists from a hidden sheet.
    """
    workbook = Workbook()
    workbook.properties.title = SHEET_TITLE
    workbook.properties.creator = "gongkai"
    sheet: Any = workbook.active
    sheet.title = SHEET_TITLE
    for index, spec in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=spec.label)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = spec.width
    count = 0
    for count, row in enumerate(rows, start=1):
        values = _row_values(row, count, unmasked=unmasked)
        for index, spec in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=count + 1, column=index, value=safe_cell(values[spec.key]))
            cell.border = _BORDER
            cell.font = Font(name=_FONT)
            if spec.type is CellType.DATE:
                cell.number_format = DATE_FORMAT
            elif spec.type is CellType.AMOUNT:
                cell.number_format = "0"
            elif spec.type is CellType.TEXT and spec.key is not LedgerColumn.SERIAL:
                cell.number_format = "@"
                cell.alignment = Alignment(wrap_text=spec.key in (LedgerColumn.REQUEST, LedgerColumn.NOTE))
    sheet.freeze_panes = "A2"
    last_column = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"
    _add_drop_downs(workbook, sheet, count + 1 + _VALIDATION_SPARE_ROWS)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _row_values(row: LedgerRow, serial: int, *, unmasked: bool) -> dict[LedgerColumn, object]:
    return {
        LedgerColumn.SERIAL: serial,
        LedgerColumn.CASE_NUMBER: row.case_number,
        LedgerColumn.RECEIVED_ON: row.received_on,
        LedgerColumn.CHANNEL: row.channel.label,
        LedgerColumn.APPLICANT_TYPE: row.applicant_type.label,
        LedgerColumn.APPLICANT_NAME: row.applicant_name,
        LedgerColumn.ID_NUMBER: (row.id_number if unmasked else mask_id_number(row.id_number)) or None,
        LedgerColumn.CONTACT: (row.contact if unmasked else mask_contact(row.contact)) or None,
        LedgerColumn.REQUEST: row.request,
        LedgerColumn.DUE_ON: row.due_on,
        LedgerColumn.EXTENDED: YES if row.extended else NO,
        LedgerColumn.ANSWERED_ON: row.answered_on,
        LedgerColumn.OUTCOME: outcome_ledger_label(row.outcome) if row.outcome is not None else None,
        LedgerColumn.FEE_CHARGED: YES if row.fee_charged else NO,
        LedgerColumn.FEE_AMOUNT: row.fee_amount,
        LedgerColumn.NOTE: row.note or None,
    }


def _add_drop_downs(workbook: Any, sheet: Any, last_row: int) -> None:
    options = workbook.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    lists: dict[LedgerColumn, list[str]] = {
        LedgerColumn.CHANNEL: [c.label for c in Channel],
        LedgerColumn.APPLICANT_TYPE: [a.label for a in ApplicantType],
        LedgerColumn.OUTCOME: [outcome_ledger_label(o) for o in Outcome],
        LedgerColumn.EXTENDED: [YES, NO],
        LedgerColumn.FEE_CHARGED: [YES, NO],
    }
    for list_index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(list_index)
        options.cell(row=1, column=list_index, value=key.label)
        for value_index, value in enumerate(values, start=2):
            options.cell(row=value_index, column=list_index, value=value)
        source = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        validation.error = f"请从列表中选择{key.label}"
        validation.errorTitle = key.label
        column = get_column_letter(list(LedgerColumn).index(key) + 1)
        validation.add(f"{column}2:{column}{last_row}")
        sheet.add_data_validation(validation)
