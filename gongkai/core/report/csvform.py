"""The annual report as CSV: one line per cell, for Excel and for comparing many reports.

Columns: file, agency, year, format, table, row key, row label, column key, column label, value.
Keys are those of ``gongkai.annual-report/1`` (shared/spec/report-json.md); a table 三 column key
is the column's index 0–6, as in the JSON array. A blank cell stays an empty field, never 0: the
difference matters to a supervisor. Money is the decimal string of the JSON form.

The text starts with a UTF-8 byte-order mark so that Excel opens the Chinese correctly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from gongkai.core.report.model import AnnualReport, Table2Value
from gongkai.core.report.taxonomy import (
    COLUMN_LABELS,
    REVIEW_RESULT_LABELS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TABLE4_TOTAL_LABEL,
    ReportTable,
    ReviewResult,
    table2_rows,
    table3_row_label,
    table3_rows,
    table4_group_label,
)
from gongkai.core.spreadsheet import safe_cell

BOM = "\ufeff"

HEADER: tuple[str, ...] = (
    "file",
    "agency",
    "year",
    "format",
    "table",
    "row_key",
    "row_label",
    "column_key",
    "column_label",
    "value",
)


def cell_rows(report: AnnualReport, file: str = "") -> Iterator[tuple[str, ...]]:
    """One tuple of strings per cell of tables 二, 三, 四, in the order the document prints them.

    The 2019 format's table 三 has one （六） row (``other_other``); its two absent sub-rows are
    not cells of that document and are left out.
    """
    fmt = report.format
    head = (
        _text(file),
        _text(report.agency or ""),
        "" if report.year is None else str(report.year),
        fmt.value,
    )
    for row2 in table2_rows(fmt):
        values2 = report.table2.get(row2.key, {})
        for f in row2.fields:
            yield (*head, ReportTable.TABLE2.value, row2.key, row2.label, f.key, f.label, _value(values2.get(f.key)))
    for row3 in table3_rows(fmt):
        values3 = report.table3.get(row3.key) or [None] * len(COLUMN_LABELS)
        label = table3_row_label(row3.key, fmt)
        for col, column_label in enumerate(COLUMN_LABELS):
            yield (*head, ReportTable.TABLE3.value, row3.key, label, str(col), column_label, _value(values3[col]))
    for group in TABLE4_GROUPS:
        values4 = report.table4.get(group.value, {})
        label = table4_group_label(group)
        for name in TABLE4_FIELDS:
            column_label = TABLE4_TOTAL_LABEL if name == TABLE4_TOTAL_KEY else REVIEW_RESULT_LABELS[ReviewResult(name)]
            yield (*head, ReportTable.TABLE4.value, group.value, label, name, column_label, _value(values4.get(name)))


def to_csv(reports: Iterable[tuple[str, AnnualReport]], *, bom: bool = True) -> str:
    """CSV text of several reports, each given with the file it came from, under one header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for file, report in reports:
        writer.writerows(cell_rows(report, file))
    return (BOM if bom else "") + buffer.getvalue()


def _value(value: Table2Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _text(value: str) -> str:
    """Free text from a document or the command line, kept from being run as a formula."""
    return safe_cell(value)
