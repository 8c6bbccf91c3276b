"""The one helper every write path uses to leave an audit record."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from gongkai.audit.models import AGENCY_MODEL, REDACTED, AuditEvent, AuditRedactionGrant

#: What an audit row says for a field that changed but whose value is not recorded.
NOT_RECORDED = "（已更改，内容不记录）"

#: Names of secrets: passwords, tokens, keys, hashes. Never recorded in the trail.
_SECRET_NAME = re.compile(r"pass|pwd|token|secret|key|hash|salt|otp|credential|密码|口令|密钥", re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    """True for a field that holds (or may hold) a secret: ``password1``, ``api_token``,
    ``applicant_key`` … Such a field's value never goes into an audit row."""
    return bool(_SECRET_NAME.search(name))


class AuditRedactionError(Exception):
    """A redaction the operator asked for cannot be done (the message says why, in Chinese)."""


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
    ADMIN_PASSWORD_CHANGED = "admin.password_changed"  # noqa: S105  (an action code, not a password)
    REDACTED = "audit.redacted"


_PLAIN = frozenset({str, bool, int, float})


def _jsonable(value: Any) -> Any:
    """Make ``value`` storable in a JSONField (dates, decimals, enums, models → text)."""
    if value is None or type(value) in _PLAIN:  # most values (a StrEnum member's type is its enum)
        return value
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
    actor_name: str = "",
) -> AuditEvent:
    """Append one audit record. Call it inside the write's ``transaction.atomic`` block.

    ``agency`` defaults to the target itself when it is an agency, else ``target.agency``.
    ``actor_name`` names an actor that is not a user (an API client: "接口：12345热线").
    """
    if agency is None and target is not None:
        agency = target if target._meta.label == AGENCY_MODEL else getattr(target, "agency", None)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the write's transaction.atomic block")
    event = AuditEvent(
        actor_id=actor.pk if actor is not None and actor.pk else None,
        actor_name=(actor.display_name if actor is not None and actor.pk else (actor_name or "系统"))[:150],
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


@transaction.atomic
def redact(*, actor: Actor | None, event_id: int, field: str, reason: str) -> AuditEvent:
    """Replace the value of ``changes[field]`` of one audit row with :data:`REDACTED`, and
    record who did it, to which row and field, and why (never the value).

    The database trigger allows this one UPDATE only while the grant row exists; the grant is
    inserted and deleted inside this transaction.
    """
    reason = reason.strip()
    if not reason:
        raise AuditRedactionError("请写明抹除理由（--reason）")
    event = AuditEvent.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise AuditRedactionError(f"审计记录 {event_id} 不存在")
    changes = event.changes if isinstance(event.changes, dict) else {}
    if field not in changes:
        known = "、".join(changes) or "无"
        raise AuditRedactionError(f"审计记录 {event_id} 的变更内容中没有字段“{field}”（现有字段：{known}）")
    if changes[field] == REDACTED:
        raise AuditRedactionError(f"审计记录 {event_id} 的字段“{field}”已抹除")
    if '"' in field:
        raise AuditRedactionError(f"字段名“{field}”含有双引号，无法抹除；请联系开发人员")
    grant = AuditRedactionGrant.objects.create(event=event, field=field)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE audit_auditevent SET changes = jsonb_set(changes, ARRAY[%s]::text[], to_jsonb(%s::text))"
                " WHERE id = %s",
                [field, REDACTED, event.pk],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE audit_auditevent SET changes = json_set(changes, %s, %s) WHERE id = %s",
                [f'$."{field}"', REDACTED, event.pk],
            )
        else:
            raise AuditRedactionError(f"不支持的数据库：{connection.vendor}")
    grant.delete()
    return record(
        actor=actor,
        action=AuditAction.REDACTED,
        target=event,
        agency=event.agency,
        changes={"event": event.pk, "field": field},
        note=reason,
    )


@dataclass(frozen=True)
class AuditEntry:
    """One record of a bulk use case: what changed on which object (``record_many``)."""

    action: str
    target: models.Model
    agency_id: int | None
    changes: dict[str, Any]
    note: str = ""


def record_many(*, actor: Actor | None, entries: Iterable[AuditEntry], at: dt.datetime | None = None) -> int:
    """Append one audit record per entry in bulk; the same rules as :func:`record`.

    For use cases that change many rows at once (a calendar year's recompute of every open case):
    each changed object still gets its own record, written in the write's transaction.
    """
    return record_rows(
        actor=actor,
        rows=(
            AuditRow(
                action=str(entry.action),
                object_type=entry.target._meta.label_lower,
                object_id=str(entry.target.pk),
                object_repr=str(entry.target),
                agency_id=entry.agency_id,
                changes=entry.changes,
                note=entry.note,
            )
            for entry in entries
        ),
        at=at,
    )


@dataclass(frozen=True)
class AuditRow:
    """One record of a bulk use case, named by its object's type and id (no model instance needed)."""

    action: str
    object_type: str
    object_id: str
    object_repr: str
    agency_id: int | None
    changes: dict[str, Any]
    note: str = ""


def record_rows(*, actor: Actor | None, rows: Iterable[AuditRow], at: dt.datetime | None = None) -> int:
    """Append one audit record per row with one prepared INSERT (executemany), in the write's transaction.

    The fast path of :func:`record_many` (a calendar reload writes tens of thousands): the values
    are adapted as the model's fields would adapt them, without building model instances.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the write's transaction.atomic block")
    actor_id = actor.pk if actor is not None and actor.pk else None
    actor_name = actor.display_name if actor is not None and actor.pk else "系统"
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(at or timezone.now())
    params = [
        (
            stamp,
            actor_id,
            actor_name,
            row.agency_id,
            str(row.action),
            row.object_type,
            row.object_id,
            row.object_repr[:200],
            ops.adapt_json_value(_jsonable(row.changes), None),
            row.note,
        )
        for row in rows
    ]
    if not params:
        return 0
    table = ops.quote_name(AuditEvent._meta.db_table)
    # Only the table's quoted name is formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (at, actor_id, actor_name, agency_id, action, object_type, object_id, "  # noqa: S608
        "object_repr, changes, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(params)
