"""The home-page panel of the cases app (registered with gongkai.web.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai import clock
from gongkai.accounts.models import AGENCY_STAFF_ROLES, Role
from gongkai.cases.choices import ExtensionDecision
from gongkai.cases.models import Case, Extension
from gongkai.cases.selectors import DeskDays, open_counts
from gongkai.web.panels import Panel


def panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated or (user.agency_id is None and not user.is_system_admin):
        return []
    if user.role == Role.MANAGER:  # manages people, reads no cases (accounts.scoping)
        return []
    days = DeskDays.of(clock.today())
    visible = Case.objects.visible_to(user)
    context: dict[str, Any] = {"all": open_counts(visible, days), "days": days, "mine": None, "approvals": 0}
    if user.role in AGENCY_STAFF_ROLES:
        context["mine"] = open_counts(visible.filter(assigned_to=user), days)
    if user.role == Role.LEADER:
        context["approvals"] = Extension.objects.filter(
            case__agency_id=user.agency_id, decision=ExtensionDecision.PENDING
        ).count()
    return [Panel("依申请公开", "cases/panel.html", context, order=10)]
