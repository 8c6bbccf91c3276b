"""The one way to change an audit row: redact one key of ``changes`` under a grant.

The triggers of 0002 refused every UPDATE. These refuse every UPDATE too, except one that changes
nothing but ``changes``, and there only sets the value of the key named by a row of
``audit_auditredactiongrant`` for that event to the marker ``［已抹除］`` (``models.REDACTED``).
``manage.py redact_audit`` inserts the grant, updates and deletes the grant in one transaction.
"""

import django.db.models.deletion
from django.db import migrations, models

#: ``models.REDACTED``, frozen here: a migration states what the database enforces at that step.
MARKER = "［已抹除］"
_SAME = ("at", "actor_id", "actor_name", "agency_id", "action", "object_type", "object_id", "object_repr", "note")

SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"
SQLITE_UP = f"""
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
WHEN NOT (
    NEW.id = OLD.id
    AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in _SAME)}
    AND EXISTS (
        SELECT 1 FROM audit_auditredactiongrant g
        WHERE g.event_id = OLD.id
          AND json_type(OLD.changes, '$."' || g.field || '"') IS NOT NULL
          AND json(NEW.changes) = json_set(OLD.changes, '$."' || g.field || '"', '{MARKER}')
    )
)
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
"""
SQLITE_DOWN = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
"""

PG_UP = f"""
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_update() RETURNS trigger AS $$
BEGIN
    IF NEW.id = OLD.id
       AND {" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _SAME)}
       AND EXISTS (
           SELECT 1 FROM audit_auditredactiongrant g
           WHERE g.event_id = OLD.id
             AND (OLD.changes -> g.field) IS NOT NULL
             AND NEW.changes = jsonb_set(OLD.changes, ARRAY[g.field], to_jsonb('{MARKER}'::text))
       )
    THEN RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit records are append-only';
END; $$ LANGUAGE plpgsql;
"""
PG_DOWN = """
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":  # one statement per call on SQLite
        schema_editor.execute(SQLITE_DROP)
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_UP)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_refuse_updates'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditRedactionGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=200)),
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='audit.auditevent')),
            ],
            options={
                'verbose_name': '审计记录抹除许可',
                'verbose_name_plural': '审计记录抹除许可',
                'default_permissions': (),
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
