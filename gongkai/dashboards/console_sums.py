"""Tables 二/三/四 of many stored reports summed, and each report's key figures for the roll-up.

The straightforward way decodes every report's JSON in Python and adds cell by cell
(:func:`python_sums`); on PostgreSQL the same sums are computed inside the database from the jsonb
snapshots (:func:`db_sums`: one query, only the sums travel), with the same rule as
``core.stats_console`` (a cell blank in every report stays blank; blanks otherwise count as 0;
counts stay integers, money is a decimal). A cell PostgreSQL's numeric cannot read (a word, a
boolean, a list; Python reads it as blank) fails the query and :func:`db_sums` returns None: the
caller then sums in Python, so the figures never depend on the database. One difference is left
on purpose: a whole number stored as text ("5") sums to the int 5, where Python gives Decimal("5")
(equal values, same display).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DataError, connection, transaction

from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    TABLE3_KEYS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TOTAL_COLUMN,
    ReportFormat,
    ReviewKind,
    table2_rows,
)
from gongkai.core.stats_console import Number, add, sum_nested, sum_table3
from gongkai.reports.models import AnnualReportRecord
from gongkai.supervision.models import ReadReport

#: Table 二 rows and fields (format 2021) and table 四 groups and fields, for the sums.
TABLE2_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (row.key, tuple(f.key for f in row.fields)) for row in table2_rows(ReportFormat.F2021)
)
TABLE4_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = tuple((g.value, TABLE4_FIELDS) for g in TABLE4_GROUPS)

#: The roll-up's per-agency columns: table 三's 总计 column of four rows, then table 四's totals.
KEY_FIGURE_LABELS: tuple[str, ...] = ("本年新收", "上年结转", "办结总计", "结转下年度", "行政复议", "行政诉讼")
_KEY_ROWS3: tuple[str, ...] = ("new", "carried_over", "total", "carried_forward")
_LITIGATION: tuple[str, ...] = tuple(k.value for k in ReviewKind if k is not ReviewKind.RECONSIDERATION)


@dataclass(frozen=True, slots=True)
class Sums:
    """Tables 二/三/四 added over many reports (the shapes of ``AnnualReport``'s tables)."""

    table2: dict[str, dict[str, Number]]
    table3: dict[str, list[Number]]
    table4: dict[str, dict[str, Number]]


def cell(value: object) -> Number:
    """A cell as stored in a report's JSON: a count, a decimal string (money), or blank."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def rows3(table: Mapping[str, Sequence[object]] | None) -> dict[str, list[Number]]:
    """Table 三 as stored → ``{row: [cells]}`` (rows that are not lists dropped)."""
    return {
        key: [v if type(v) is int else cell(v) for v in row]
        for key, row in (table or {}).items()
        if isinstance(row, list | tuple)
    }


def nested(table: Mapping[str, Mapping[str, object]] | None) -> dict[str, dict[str, Number]]:
    """Table 二 or 四 as stored → ``{row: {field: cell}}`` (rows that are not objects dropped)."""
    return {key: {k: cell(v) for k, v in row.items()} for key, row in (table or {}).items() if isinstance(row, dict)}


def key_figures(t3: Mapping[str, Sequence[Number]], t4: Mapping[str, Mapping[str, Number]]) -> list[Number]:
    """One agency's :data:`KEY_FIGURE_LABELS` from its decoded tables 三 and 四 (a missing row is blank)."""
    values: list[Number] = []
    for key in _KEY_ROWS3:
        row = t3.get(key) or ()
        values.append(row[TOTAL_COLUMN] if len(row) > TOTAL_COLUMN else None)
    values.append((t4.get(ReviewKind.RECONSIDERATION.value) or {}).get(TABLE4_TOTAL_KEY))
    litigation = [(t4.get(k) or {}).get(TABLE4_TOTAL_KEY) for k in _LITIGATION]
    values.append(sum(int(v or 0) for v in litigation) if any(v is not None for v in litigation) else None)
    return values


def sum_figures(rows: Iterable[Sequence[Number]]) -> list[Number]:
    """The 合计 of many agencies' key figures (blank only where blank for every agency)."""
    totals: list[Number] = [None] * len(KEY_FIGURE_LABELS)
    for values in rows:
        totals = [add(a, b) for a, b in zip(totals, values, strict=True)]
    return totals


def python_sums(tables: Iterable[tuple[Any, Any, Any]]) -> Sums:
    """The straightforward sum of decoded ``(table2, table3, table4)`` triples as stored."""
    decoded = [(nested(t2), rows3(t3), nested(t4)) for t2, t3, t4 in tables]
    return Sums(
        table2=sum_nested((t[0] for t in decoded), TABLE2_LAYOUT),
        table3=sum_table3((t[1] for t in decoded), TABLE3_KEYS, COLUMN_COUNT),
        table4=sum_nested((t[2] for t in decoded), TABLE4_LAYOUT),
    )


def merge(parts: Iterable[Sums]) -> Sums:
    """Several partial sums added (the same rule: blank + blank stays blank)."""
    parts = list(parts)
    return Sums(
        table2=sum_nested((p.table2 for p in parts), TABLE2_LAYOUT),
        table3=sum_table3((p.table3 for p in parts), TABLE3_KEYS, COLUMN_COUNT),
        table4=sum_nested((p.table4 for p in parts), TABLE4_LAYOUT),
    )


def use_database() -> bool:
    return connection.vendor == "postgresql"


_SOURCES = """
WITH src AS MATERIALIZED (
    SELECT {rec_id} AS agency_id, {snap} -> 'table2' AS t2, {snap} -> 'table3' AS t3, {snap} -> 'table4' AS t4
    FROM {rec} WHERE id = ANY(%(records)s)
    UNION ALL
    SELECT {read_id}, {report} -> 'table2', {report} -> 'table3', {report} -> 'table4'
    FROM {read} WHERE id = ANY(%(reads)s)
)
"""

_OBJ = "CASE WHEN jsonb_typeof({0}) = 'object' THEN {0} ELSE '{{}}'::jsonb END"
#: A cell read as a number: a JSON number, or a text PostgreSQL's numeric reads (the grammar of
#: ``Decimal``: sign, digits, point, exponent, spaces around, NaN, Infinity); '' is blank. Any
#: other cell (a word, a boolean, a list) fails the whole query and Python sums instead.
_NUM = "(NULLIF({0}, ''))::numeric"

#: Table 三 per row key: its seven cells summed as columns (one row per report row, not one per
#: cell), then one row per cell (25 keys × 7).
_TABLE3_SQL = (
    ", sums3 AS (SELECT r.key, "  # noqa: S608 - built from constants only
    + ", ".join(f"sum({_NUM.format(f'r.arr ->> {i}')}) AS s{i}" for i in range(COLUMN_COUNT))
    + " FROM src, jsonb_each("
    + _OBJ.format("t3")
    + ") AS r(key, arr) WHERE jsonb_typeof(r.arr) = 'array' GROUP BY r.key) "
    + "SELECT 3, key, v.col, v.total FROM sums3, LATERAL (VALUES "
    + ", ".join(f"('{i}', s{i})" for i in range(COLUMN_COUNT))
    + ") AS v(col, total)"
)


def _nested_sql(tn: int, column: str, layout: Sequence[tuple[str, Sequence[str]]]) -> str:
    """Table 二 or 四 per row key: each field the layout names summed as a column (fields not in
    the layout are not read, as Python ignores them), then one row per cell."""
    fields = sorted({f for _, names in layout for f in names})
    sums_sql = ", ".join(
        f"sum({_NUM.format(f'r.val ->> {chr(39)}{f}{chr(39)}')}) AS f{i}" for i, f in enumerate(fields)
    )
    values = ", ".join(f"('{f}', f{i})" for i, f in enumerate(fields))
    return (
        f" UNION ALL SELECT {tn}, key, v.col, v.total FROM (SELECT r.key, {sums_sql} FROM src, "  # noqa: S608 - constants
        f"jsonb_each({_OBJ.format(column)}) AS r(key, val) WHERE jsonb_typeof(r.val) = 'object' GROUP BY r.key) AS g, "
        f"LATERAL (VALUES {values}) AS v(col, total)"
    )


_NESTED_SQL = _nested_sql(2, "t2", TABLE2_LAYOUT) + _nested_sql(4, "t4", TABLE4_LAYOUT)


def _sources() -> str:
    rec, read = AnnualReportRecord._meta, ReadReport._meta
    return _SOURCES.format(
        rec=connection.ops.quote_name(rec.db_table),
        rec_id=rec.get_field("agency").column,
        snap=rec.get_field("snapshot").column,
        read=connection.ops.quote_name(read.db_table),
        read_id=read.get_field("matched_agency").column,
        report=read.get_field("report").column,
    )


def _value(total: Decimal | None) -> Number:
    """A summed cell: an int when no part had a fraction (PostgreSQL keeps the largest scale,
    as ``Decimal`` addition keeps the smallest exponent), else the decimal."""
    if total is None:
        return None
    exponent = total.as_tuple().exponent
    return int(total) if isinstance(exponent, int) and exponent >= 0 else total


def db_sums(record_pks: Sequence[int], read_pks: Sequence[int]) -> tuple[Sums, dict[int, list[Number]]] | None:
    """Tables 二/三/四 of the given records' snapshots and uploaded reads' reports summed inside
    PostgreSQL, and each agency's key figures (only those cells travel, decoded as Python decodes
    the whole report): one query. None off PostgreSQL or when a cell needs Python's reading."""
    if not use_database():
        return None
    figure_cells = [f"t3 -> '{key}' -> {TOTAL_COLUMN}" for key in _KEY_ROWS3]
    figure_cells += [f"t4 -> '{kind.value}' -> '{TABLE4_TOTAL_KEY}'" for kind in ReviewKind]
    figures_sql = (
        " UNION ALL SELECT 0, agency_id::text, jsonb_build_array("  # noqa: S608 - built from constants only
        + ", ".join(figure_cells)
        + ")::text, NULL FROM src"
    )
    params = {"records": list(record_pks), "reads": list(read_pks)}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # the planner guesses 100 rows a jsonb function: compiling the query (JIT) costs seconds
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(_sources() + _TABLE3_SQL + _NESTED_SQL + figures_sql, params)
            found = cursor.fetchall()
    except DataError:  # a cell that is not a number: Python reads it as blank
        return None
    table2: dict[str, dict[str, Number]] = {row: dict.fromkeys(fields) for row, fields in TABLE2_LAYOUT}
    table3: dict[str, list[Number]] = {key: [None] * COLUMN_COUNT for key in TABLE3_KEYS}
    table4: dict[str, dict[str, Number]] = {row: dict.fromkeys(fields) for row, fields in TABLE4_LAYOUT}
    figures: dict[int, list[Number]] = {}
    for tn, row_key, col, total in found:
        if tn == 0:
            figures[int(row_key)] = _figures(json.loads(col))
        elif tn == 3:
            if row_key in table3 and int(col) < COLUMN_COUNT:
                table3[row_key][int(col)] = _value(total)
        else:
            target = (table2 if tn == 2 else table4).get(row_key)
            if target is not None and col in target:
                target[col] = _value(total)
    return Sums(table2=table2, table3=table3, table4=table4), figures


def _figures(values: list[object]) -> list[Number]:
    """Key figures from the cells :func:`db_sums` fetched (table 三's four, table 四's three)."""
    n = len(_KEY_ROWS3)
    t3 = {
        key: [*[None] * TOTAL_COLUMN, v if type(v) is int else cell(v)]
        for key, v in zip(_KEY_ROWS3, values[:n], strict=True)
    }
    t4 = {kind.value: {TABLE4_TOTAL_KEY: cell(v)} for kind, v in zip(ReviewKind, values[n:], strict=True)}
    return key_figures(t3, t4)
