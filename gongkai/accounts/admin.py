"""Users and groups in the admin: every write audited, passwords never recorded."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from gongkai.accounts.models import User
from gongkai.audit.admin import AuditedModelAdmin
from gongkai.audit.services import NOT_RECORDED, AuditAction, record


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
    #: Recorded with their values; the password (and ``password1``/``password2`` of the add
    #: form) never, the telephone only as "changed".
    audit_fields = (
        "username",
        "full_name",
        "first_name",
        "last_name",
        "email",
        "agency",
        "department",
        "role",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "user_permissions",
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """The admin's password change (or "disable password login") of a user, audited
        without the password."""
        with transaction.atomic():
            target = self.get_object(request, unquote(id))
            before = target.password if target is not None else None
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=target.pk).first() if target is not None else None
            if request.method == "POST" and user is not None and user.password != before:
                record(
                    actor=request.user if request.user.is_authenticated else None,
                    action=AuditAction.ADMIN_PASSWORD_CHANGED,
                    target=user,
                    changes={"password": NOT_RECORDED},
                    note="系统管理员修改密码" if user.has_usable_password() else "系统管理员停用密码登录",
                )
        return response


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin, BaseGroupAdmin):
    """Django's groups, audited like every other admin write."""
