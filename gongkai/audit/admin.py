from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import AuditAction, record


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose saves and deletes leave audit records in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = {name: form.cleaned_data.get(name) for name in (form.changed_data if change else form.fields)}
            record(
                actor=request.user if request.user.is_authenticated else None,
                action=AuditAction.ADMIN_CHANGE,
                target=obj,
                changes=changed,
                note="修改" if change else "新增",
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            actor = request.user if request.user.is_authenticated else None
            record(actor=actor, action=AuditAction.ADMIN_CHANGE, target=obj, note="删除")
            super().delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the audit trail cannot be added to, changed or deleted here."""

    list_display = ("at", "actor_name", "agency", "action", "object_type", "object_repr")
    list_filter = ("action", "agency")
    search_fields = ("actor_name", "object_repr", "action", "note")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
