"""The audit trail is append-only: model, queryset, admin and database all refuse changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from gongkai.audit.models import AuditEvent, AuditImmutableError
from gongkai.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(tree):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return record(actor=tree.officer_a, action="test.something", target=tree.street_a, changes={"x": [1, 2]})


def test_record_fills_who_what_where(event, tree) -> None:  # type: ignore[no-untyped-def]
    assert event.actor_name == tree.officer_a.display_name
    assert event.agency == tree.street_a
    assert event.object_type == "agencies.agency"
    assert event.object_id == str(tree.street_a.pk)
    assert event.changes == {"x": [1, 2]}


def test_model_save_and_delete_refused(event) -> None:  # type: ignore[no-untyped-def]
    event.note = "changed"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()


def test_queryset_update_and_delete_refused(event) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, note="").exists()


def test_database_trigger_refuses_raw_update(event) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_admin_cannot_change_or_delete(event, tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.admin)
    url = f"/admin/audit/auditevent/{event.pk}/"
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.post(url + "change/", {"note": "x"}).status_code in (302, 403)
    assert client.post(url + "delete/", {"post": "yes"}).status_code in (302, 403)
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).note == ""
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        record(actor=None, action="test.outside")
    assert not AuditEvent.objects.filter(action="test.outside").exists()
