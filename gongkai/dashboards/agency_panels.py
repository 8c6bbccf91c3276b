"""The home-page panel that leads an agency's staff to its dashboard (registered with gongkai.web.panels)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.accounts.models import AGENCY_STAFF_ROLES, Role
from gongkai.web.panels import Panel


def panels(request: HttpRequest) -> list[Panel]:
    """For the agency's officer, clerk and 负责人 (a supervisor reaches it from the nav)."""
    user: Any = request.user
    if not user.is_authenticated or user.agency_id is None or user.role not in AGENCY_STAFF_ROLES:
        return []
    return [Panel("工作统计", "dashboards/agency_panel.html", {"clerk": user.role == Role.CLERK}, order=15)]
