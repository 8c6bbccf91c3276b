"""Keeping the summary rows of tables 三/四 (``gongkai.cases.models.tally``) equal to the records.

The triggers move the counts in the transaction that changes a case or review, whatever issued
the change; :func:`install_triggers` (re)creates them after every ``migrate`` (idempotent: on
SQLite a table rebuilt by a migration loses its triggers, the next ``post_migrate`` puts them
back). PostgreSQL: one statement-level trigger per operation with transition tables, so a bulk
``INSERT … SELECT`` of 500,000 cases moves the counts with one grouped upsert, not 500,000;
SQLite: row triggers. :func:`rebuild` recomputes every row from the records in one grouped
``INSERT … SELECT`` (after bulk loads that bypassed the triggers, e.g. a restored dump);
:func:`differences` compares the rows with the live aggregate.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction

#: (trigger source table, tally table, count column, the key's columns as SQL over a row alias
#:  ``r`` — with ``{year}`` for the vendor's year-of-a-date — and the row's "counts at all" test)
_CASE = (
    "cases_case",
    "cases_casetally",
    "cases",
    ("agency_id", "applicant_type", "outcome", "received_year", "closed_year"),
    (
        "r.agency_id",
        "r.applicant_type",
        "COALESCE(r.outcome, '')",
        "{year}(r.received_on)",
        "COALESCE({year}(r.closed_on), 0)",
    ),
    "r.received_on IS NOT NULL",
)
_REVIEW = (
    "cases_review",
    "cases_reviewtally",
    "reviews",
    ("agency_id", "kind", "result", "filed_year", "concluded_year"),
    ("r.agency_id", "r.kind", "r.result", "{year}(r.filed_on)", "COALESCE({year}(r.concluded_on), 0)"),
    "r.filed_on IS NOT NULL",
)
_TALLIES = (_CASE, _REVIEW)


def _key_sql(spec: tuple[Any, ...], vendor: str, alias: str = "r") -> list[str]:
    year = "EXTRACT(YEAR FROM {})::int" if vendor == "postgresql" else "CAST(strftime('%Y', {}) AS INTEGER)"
    out = []
    for expr in spec[4]:
        expr = expr.replace("r.", f"{alias}.")
        while "{year}(" in expr:
            start = expr.index("{year}(")
            end = expr.index(")", start)
            inner = expr[start + len("{year}(") : end]
            expr = expr[:start] + year.format(inner) + expr[end + 1 :]
        out.append(expr)
    return out


def _upsert(spec: tuple[Any, ...]) -> str:
    _, tally, count, columns, _, _ = spec
    conflict = f"({', '.join(columns)})"
    return f"ON CONFLICT {conflict} DO UPDATE SET {count} = {tally}.{count} + excluded.{count}"


def _pg_statements(spec: tuple[Any, ...]) -> list[str]:
    source, tally, count, columns, _, counts = spec
    key = _key_sql(spec, "postgresql")
    cols = ", ".join(columns)
    numbered = ", ".join(str(i + 1) for i in range(len(columns)))

    def side(rows: str, sign: int) -> str:
        return f"SELECT {', '.join(key)}, {sign} FROM {rows} AS r WHERE {counts}"  # noqa: S608 - constant names

    sides = {
        "insert": side("new_rows", 1),
        "update": side("new_rows", 1) + " UNION ALL " + side("old_rows", -1),
        "delete": side("old_rows", -1),
    }
    referencing = {
        "insert": "REFERENCING NEW TABLE AS new_rows",
        "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "REFERENCING OLD TABLE AS old_rows",
    }
    out = []
    for op, body in sides.items():
        name = f"gk_{tally}_{op}"
        out.append(
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$  -- noqa: S608
BEGIN
  INSERT INTO {tally} ({cols}, {count})
  SELECT {cols}, sum(d) FROM ({body}) AS k({cols}, d)
  GROUP BY {numbered} HAVING sum(d) <> 0 ORDER BY {numbered}
  {_upsert(spec)};
  RETURN NULL;
END $$"""  # noqa: S608 - constant names
        )
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {source}")
        out.append(
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {source} {referencing[op]}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    return out


def _sqlite_statements(spec: tuple[Any, ...]) -> list[str]:
    source, tally, count, columns, _, counts = spec
    cols = ", ".join(columns)

    def side(alias: str, sign: int) -> str:
        key = _key_sql(spec, "sqlite", alias)
        test = counts.replace("r.", f"{alias}.")
        return f"INSERT INTO {tally} ({cols}, {count}) SELECT {', '.join(key)}, {sign} WHERE {test} {_upsert(spec)};"

    bodies = {"insert": side("NEW", 1), "update": side("OLD", -1) + "\n" + side("NEW", 1), "delete": side("OLD", -1)}
    out = []
    for op, body in bodies.items():
        name = f"gk_{tally}_{op}"
        out.append(f"DROP TRIGGER IF EXISTS {name}")
        out.append(f"CREATE TRIGGER {name} AFTER {op.upper()} ON {source} FOR EACH ROW BEGIN\n{body}\nEND")
    return out


def install_triggers(using: str = "default") -> None:
    """(Re)create the triggers that keep the tallies (idempotent; none before the tables exist,
    e.g. migrated back before ``cases.0009``)."""
    connection = connections[using]
    if not {spec[1] for spec in _TALLIES} <= set(connection.introspection.table_names()):
        return
    make = _pg_statements if connection.vendor == "postgresql" else _sqlite_statements
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for spec in _TALLIES:
            for sql in make(spec):
                cursor.execute(sql)


def drop_triggers(using: str = "default") -> None:
    """Remove the triggers (migrating back before ``cases.0009``)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for source, tally, *_ in _TALLIES:
            for op in ("insert", "update", "delete"):
                on = f" ON {source}" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TRIGGER IF EXISTS gk_{tally}_{op}{on}")


def on_post_migrate(using: str = "default", **kwargs: Any) -> None:
    install_triggers(using)


def _grouped(spec: tuple[Any, ...], vendor: str) -> str:
    source, _, _, columns, _, counts = spec
    key = _key_sql(spec, vendor)
    numbered = ", ".join(str(i + 1) for i in range(len(columns)))
    return f"SELECT {', '.join(key)}, COUNT(*) FROM {source} AS r WHERE {counts} GROUP BY {numbered}"  # noqa: S608 - constant names


def rebuild(using: str = "default") -> dict[str, int]:
    """Every tally row recomputed from the records (one grouped INSERT per table); the row counts.

    Locks the records against writes meanwhile on PostgreSQL (a change between the DELETE and
    the INSERT would otherwise be counted twice or not at all)."""
    connection = connections[using]
    out = {}
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for spec in _TALLIES:
            source, tally, count, columns, _, _ = spec
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {source} IN SHARE MODE")
            cursor.execute(f"DELETE FROM {tally}")  # noqa: S608 - table names are constants
            cursor.execute(f"INSERT INTO {tally} ({', '.join(columns)}, {count}) {_grouped(spec, connection.vendor)}")
            out[tally] = cursor.rowcount
    return out


def differences(using: str = "default") -> dict[str, dict[tuple[Any, ...], tuple[int, int]]]:
    """Per tally table, the keys whose stored count differs from the records: key → (stored, live)."""
    connection = connections[using]
    out: dict[str, dict[tuple[Any, ...], tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        for spec in _TALLIES:
            _, tally, count, columns, _, _ = spec
            cursor.execute(f"SELECT {', '.join(columns)}, {count} FROM {tally} WHERE {count} <> 0")  # noqa: S608
            stored = {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
            cursor.execute(_grouped(spec, connection.vendor))
            live = {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}
            out[tally] = {
                k: (stored.get(k, 0), live.get(k, 0))
                for k in stored.keys() | live.keys()
                if stored.get(k, 0) != live.get(k, 0)
            }
    return out
