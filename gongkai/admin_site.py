"""The Django admin, in Chinese, for system administrators only.

Model admins that audit their saves derive from ``gongkai.audit.admin.AuditedModelAdmin``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class GongkaiAdminSite(admin.AdminSite):
    site_header = "gongkai 政府信息公开系统 · 系统管理"
    site_title = "gongkai 系统管理"
    index_title = "系统管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "is_system_admin", False))
