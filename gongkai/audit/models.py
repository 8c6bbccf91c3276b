"""The append-only audit trail: who did what to which object, when, and what changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

#: The agency model, named by label: audit sits below the agencies app and does not import it.
AGENCY_MODEL = "agencies.Agency"

#: What a redacted value of ``AuditEvent.changes`` reads (``manage.py redact_audit``). The database
#: trigger of ``migrations/0003_redaction`` accepts exactly this text and nothing else.
REDACTED = "［已抹除］"


class AuditImmutableError(Exception):
    """Raised on any attempt to change or delete an audit record."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("审计记录不可修改")

    def delete(self) -> NoReturn:
        raise AuditImmutableError("审计记录不可删除")

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def for_agencies(self, agency_ids: Iterable[int] | models.QuerySet[Any]) -> AuditEventQuerySet:
        """Events of these agencies (ids, or a queryset of ids); who may see which agencies is
        ``accounts.scoping.visible_agencies``, applied by the caller."""
        return self.filter(agency_id__in=agency_ids)


class AuditEvent(models.Model):
    """One state change. Written by ``audit.services.record`` inside the change's transaction.

    Rows are never updated or deleted by the application (model, queryset and admin refuse; on
    both databases a trigger refuses UPDATE too). The one exception is the operator's
    ``manage.py redact_audit``: while an :class:`AuditRedactionGrant` names the row and a key of
    ``changes``, the trigger lets that key's value become :data:`REDACTED`, and nothing else.
    """

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    agency = models.ForeignKey(
        AGENCY_MODEL, verbose_name="机构", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.TextField("说明", blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditImmutableError("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditImmutableError("审计记录不可删除")


class AuditRedactionGrant(models.Model):
    """Leave to redact one key of one audit row's ``changes``, inserted and deleted by
    ``manage.py redact_audit`` inside the same transaction as the UPDATE it allows.

    The database triggers read this table (``migrations/0003_redaction``); the table is empty
    outside that transaction.
    """

    event = models.OneToOneField(AuditEvent, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=200)

    class Meta:
        verbose_name = "审计记录抹除许可"
        verbose_name_plural = "审计记录抹除许可"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.event_id}:{self.field}"
