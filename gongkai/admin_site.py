"""The Django admin, in Chinese, for system administrators only.

Model admins that audit their saves derive from ``gongkai.audit.admin.AuditedModelAdmin``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

#: Figures for the admin home (e.g. the background-task queue's length), filled by apps above this
#: one in their ``AppConfig.ready`` (a registry, not an upward import): each returns (label, value).
INDEX_FACTS: list[Callable[[], list[tuple[str, str]]]] = []


class GongkaiAdminSite(admin.AdminSite):
    site_header = "gongkai 政府信息公开系统 · 系统管理"
    site_title = "gongkai 系统管理"
    index_title = "系统管理"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        facts = [fact for provider in INDEX_FACTS for fact in provider()]
        return super().index(request, {**(extra_context or {}), "gongkai_facts": facts})

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "is_system_admin", False))
