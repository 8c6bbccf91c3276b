"""The bigram search index of items (gongkai.publications.text explains why bigrams).

PostgreSQL: an IMMUTABLE SQL function ``gongkai_bigrams(text)`` (every distinct character and
pair of characters of the text) and a GIN index on ``gongkai_bigrams(search_text)``; the query
asks ``gongkai_bigrams(search_text) @> ARRAY[...]`` with the query's pairs (its character, for a
one-character query).
The function is declared expensive (COST 10000, as it is: it splits the whole text) so that the
planner answers from the index rather than computing it row by row while walking another index,
and PARALLEL RESTRICTED so that the resulting (small, fast) plans are not handed to parallel
workers, whose start-up costs more than the search itself (measured: 27 ms against 5 ms).

SQLite: a contentless FTS5 table ``publications_item_fts`` (columns ``grams``: ordered bigrams;
``ends``: run-final characters) whose rows are kept by triggers on ``publications_item``. The
triggers call ``gongkai_index_bigrams(text)`` and ``gongkai_index_ends(text)``, Python functions
that ``PublicationsConfig`` registers on every SQLite connection Django opens (a connection
without them, e.g. the sqlite3 shell, cannot write items). If a later migration
makes SQLite rebuild ``publications_item`` (Django's table remake), the triggers are dropped with
the old table: re-run ``create_sqlite`` in that migration (tests/publications/test_search.py
fails if the index falls out of step).

Other databases (and SQLite builds without FTS5): nothing; search falls back to LIKE alone.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION gongkai_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL RESTRICTED COST 10000 AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
  FROM generate_series(1, char_length(t)) AS i, LATERAL (VALUES (substr(t, i, 1)), (substr(t, i, 2))) AS v(g)
$$
"""
PG_INDEX = "CREATE INDEX pub_item_search_bigrams ON publications_item USING gin (gongkai_bigrams(search_text))"
PG_DROP = ["DROP INDEX IF EXISTS pub_item_search_bigrams", "DROP FUNCTION IF EXISTS gongkai_bigrams(text)"]

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE publications_item_fts USING fts5("
    "grams, ends, content='', tokenize='unicode61 remove_diacritics 0')",
    """CREATE TRIGGER publications_item_fts_ai AFTER INSERT ON publications_item BEGIN
         INSERT INTO publications_item_fts(rowid, grams, ends)
           VALUES (new.id, gongkai_index_bigrams(new.search_text), gongkai_index_ends(new.search_text));
       END""",
    """CREATE TRIGGER publications_item_fts_ad AFTER DELETE ON publications_item BEGIN
         INSERT INTO publications_item_fts(publications_item_fts, rowid, grams, ends)
           VALUES ('delete', old.id, gongkai_index_bigrams(old.search_text), gongkai_index_ends(old.search_text));
       END""",
    """CREATE TRIGGER publications_item_fts_au AFTER UPDATE OF search_text ON publications_item BEGIN
         INSERT INTO publications_item_fts(publications_item_fts, rowid, grams, ends)
           VALUES ('delete', old.id, gongkai_index_bigrams(old.search_text), gongkai_index_ends(old.search_text));
         INSERT INTO publications_item_fts(rowid, grams, ends)
           VALUES (new.id, gongkai_index_bigrams(new.search_text), gongkai_index_ends(new.search_text));
       END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS publications_item_fts_ai",
    "DROP TRIGGER IF EXISTS publications_item_fts_ad",
    "DROP TRIGGER IF EXISTS publications_item_fts_au",
    "DROP TABLE IF EXISTS publications_item_fts",
]


def _sqlite_has_fts5(cursor) -> bool:  # type: ignore[no-untyped-def]
    cursor.execute("PRAGMA compile_options")
    return any(row[0] == "ENABLE_FTS5" for row in cursor.fetchall())


def create_sqlite(schema_editor) -> None:  # type: ignore[no-untyped-def]
    """(Re)create the FTS5 table and its triggers, and index the rows already there."""
    from gongkai.publications.apps import register_sqlite_functions

    connection = schema_editor.connection
    register_sqlite_functions(connection)
    with connection.cursor() as cursor:
        if not _sqlite_has_fts5(cursor):
            return
        for sql in SQLITE_DROP:
            cursor.execute(sql)
        for sql in SQLITE_CREATE:
            cursor.execute(sql)
        cursor.execute(
            "INSERT INTO publications_item_fts(rowid, grams, ends) "
            "SELECT id, gongkai_index_bigrams(search_text), gongkai_index_ends(search_text) FROM publications_item"
        )


def forwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_INDEX)
    elif vendor == "sqlite":
        create_sqlite(schema_editor)


def backwards(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    statements = PG_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
