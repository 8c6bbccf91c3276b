"""One agency's rows of a query compiled once: the ORM's SQL, sent with the agency's id.

For a small agency, building and compiling an aggregate query through the ORM (filters,
conditional counts, GROUP BY) costs several times what the database takes to answer it
(bench/report_compute.py: 3.3× the hand-written SQL at the median agency). A query whose only
varying part is the agency is compiled here once per key (say, the table and the year) and
database, with a stand-in id; each call sends the same SQL through the cursor with the agency's
id in the stand-in's place, and the ORM's own converters (found once) turn the rows into Python
values (a Decimal stays a Decimal on SQLite). The SQL is the ORM's, never a copy of it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

#: The stand-in agency id the query is compiled with (no agency has it: ids are positive).
ANY_AGENCY = -2_147_483_000

_Compiled = tuple[str, tuple[Any, ...], int, dict[int, Any]]
_compiled: dict[tuple[Hashable, str], _Compiled] = {}
_LIMIT = 256  # keys (a few tables × years): cleared past this


def _compile(key: Hashable, build: Callable[[int], QuerySet[Any, Any]], using: str) -> _Compiled:
    found = _compiled.get((key, using))
    if found is None:
        compiler = build(ANY_AGENCY).query.get_compiler(using)
        sql, params = compiler.as_sql()
        places = [i for i, value in enumerate(params) if type(value) is int and value == ANY_AGENCY]
        if len(places) != 1:
            raise ValueError(f"the query of {key!r} must use the agency id once, not {len(places)} times")
        if len(_compiled) >= _LIMIT:
            _compiled.clear()
        converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
        found = _compiled[key, using] = (sql, tuple(params), places[0], converters)
    return found


def agency_rows(
    key: Hashable, build: Callable[[int], QuerySet[Any, Any]], agency_id: int, *, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[Any, ...]]:
    """The rows of ``build(agency_id)`` (a ``values_list`` or ``values`` query, in its columns'
    order), compiled once for ``key``: ``build`` must give the same query for every agency but
    for the id, and ``key`` must say everything else it depends on."""
    sql, params, place, converters = _compile(key, build, using)
    bound = list(params)
    bound[place] = agency_id
    connection = connections[using]  # this thread's (the compiler may come from another thread)
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    if not converters:  # counts and text: the rows as the database gives them
        return rows
    converted = []
    for row in rows:  # as SQLCompiler.apply_converters does
        values = list(row)
        for position, (functions, expression) in converters.items():
            for function in functions:
                values[position] = function(values[position], expression, connection)
        converted.append(tuple(values))
    return converted
