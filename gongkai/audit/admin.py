from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.models import AuditEvent


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
