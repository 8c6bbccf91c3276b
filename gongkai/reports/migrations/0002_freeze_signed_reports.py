"""A database trigger refuses changes to signed-off and published reports (SQLite and PostgreSQL).

The one change allowed is publication: signed_off → published, setting published_at and nothing
else. DELETE is refused by the application (model, queryset, admin) but not by a trigger: the test
databases are emptied between tests with DELETE (SQLite) and TRUNCATE (PostgreSQL).
"""

from django.db import migrations

#: Columns a publication must leave as they are.
FROZEN = (
    "agency_id", "year", "version", "narrative", "snapshot", "findings", "file_docx", "file_pdf",
    "file_html", "file_xlsx", "file_digests", "signed_by_id", "signed_at", "supersedes_id", "created_by_id",
)
_SAME_SQLITE = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in FROZEN)
_SAME_PG = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in FROZEN)

SQLITE_UP = f"""
CREATE TRIGGER reports_record_frozen BEFORE UPDATE ON reports_annualreportrecord
WHEN OLD.status IN ('signed_off', 'published')
 AND NOT (OLD.status = 'signed_off' AND NEW.status = 'published' AND {_SAME_SQLITE})
BEGIN SELECT RAISE(ABORT, 'signed-off annual reports cannot be changed'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS reports_record_frozen;"

PG_UP = f"""
CREATE OR REPLACE FUNCTION reports_record_refuse_change() RETURNS trigger AS $$
BEGIN
  IF OLD.status IN ('signed_off', 'published')
     AND NOT (OLD.status = 'signed_off' AND NEW.status = 'published' AND {_SAME_PG}) THEN
    RAISE EXCEPTION 'signed-off annual reports cannot be changed';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER reports_record_frozen BEFORE UPDATE ON reports_annualreportrecord
FOR EACH ROW EXECUTE FUNCTION reports_record_refuse_change();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS reports_record_frozen ON reports_annualreportrecord;
DROP FUNCTION IF EXISTS reports_record_refuse_change();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_UP)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
