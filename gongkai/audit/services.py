"""The one helper every write path uses to leave an audit record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from gongkai.audit.models import AGENCY_MODEL, AuditEvent


class Actor(Protocol):
    """Who acts: a back-office user (``accounts.User``); the audit app sits below accounts."""

    pk: Any

    @property
    def display_name(self) -> str: ...


class AuditAction(StrEnum):
    """Action codes of the foundation. Other apps define their own enums of dotted codes."""

    AGENCY_CREATED = "agency.created"
    AGENCY_CONTACT_CHANGED = "agency.contact_changed"
    DEPARTMENT_CREATED = "department.created"
    USER_CREATED = "user.created"
    USER_ROLE_CHANGED = "user.role_changed"
    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOGOUT = "auth.logout"
    ADMIN_CHANGE = "admin.change"


def _jsonable(value: Any) -> Any:
    """Make ``value`` storable in a JSONField (dates, decimals, enums, models → text)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return DjangoJSONEncoder().default(value) if not isinstance(value, str) else value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {k: [_jsonable(before.get(k)), _jsonable(after.get(k))] for k in after if before.get(k) != after.get(k)}


def record(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    agency: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one audit record. Call it inside the write's ``transaction.atomic`` block.

    ``agency`` defaults to the target itself when it is an agency, else ``target.agency``.
    """
    if agency is None and target is not None:
        agency = target if target._meta.label == AGENCY_MODEL else getattr(target, "agency", None)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the write's transaction.atomic block")
    event = AuditEvent(
        actor_id=actor.pk if actor is not None and actor.pk else None,
        actor_name=(actor.display_name if actor is not None and actor.pk else "系统"),
        agency_id=agency.pk if agency is not None else None,
        action=str(action),
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        changes=_jsonable(changes or {}),
        note=note,
    )
    if at is not None:
        event.at = at
    event.save()
    return event


@dataclass(frozen=True)
class AuditEntry:
    """One record of a bulk use case: what changed on which object (``record_many``)."""

    action: str
    target: models.Model
    agency_id: int | None
    changes: dict[str, Any]
    note: str = ""


def record_many(*, actor: Actor | None, entries: Iterable[AuditEntry], at: dt.datetime | None = None) -> int:
    """Append one audit record per entry in one INSERT; the same rules as :func:`record`.

    For use cases that change many rows at once (a calendar year's recompute of every open case):
    each changed object still gets its own record, written in the write's transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the write's transaction.atomic block")
    actor_id = actor.pk if actor is not None and actor.pk else None
    actor_name = actor.display_name if actor is not None and actor.pk else "系统"
    events = [
        AuditEvent(
            actor_id=actor_id,
            actor_name=actor_name,
            agency_id=entry.agency_id,
            action=str(entry.action),
            object_type=entry.target._meta.label_lower,
            object_id=str(entry.target.pk),
            object_repr=str(entry.target)[:200],
            changes=_jsonable(entry.changes),
            note=entry.note,
        )
        for entry in entries
    ]
    if at is not None:
        for event in events:
            event.at = at
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
