"""The Django admin, in Chinese, for system administrators only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from gongkai.audit.services import AuditAction, record


class GongkaiAdminSite(admin.AdminSite):
    site_header = "gongkai 政府信息公开系统 · 系统管理"
    site_title = "gongkai 系统管理"
    index_title = "系统管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "is_system_admin", False))


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose saves and deletes leave audit records in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = {name: form.cleaned_data.get(name) for name in (form.changed_data if change else form.fields)}
            record(
                actor=request.user,
                action=AuditAction.ADMIN_CHANGE,
                target=obj,  # type: ignore[arg-type]
                changes=changed,
                note="修改" if change else "新增",
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record(actor=request.user, action=AuditAction.ADMIN_CHANGE, target=obj, note="删除")  # type: ignore[arg-type]
            super().delete_model(request, obj)
