from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gongkai.accounts.models import User
from gongkai.audit.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "agency", "department", "role", "is_active")
    list_filter = ("role", "is_active", "agency")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("机构与角色", {"fields": ("full_name", "agency", "department", "role", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("机构与角色", {"fields": ("full_name", "agency", "department", "role")}),
    )
