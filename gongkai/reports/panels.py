"""Home-page panel: where this year's annual report stands (staff), or the agencies in reach (supervisors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.reports.selectors import overview_for
from gongkai.web.panels import Panel

#: Agencies listed on the home page before "查看全部".
PANEL_ROWS = 8


def panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated or (user.agency_id is None and not user.is_system_admin):
        return []
    today = clock.today()
    year = today.year - 1
    rows = overview_for(user, year, today=today)
    if not rows:
        return []
    if user.role in (Role.SUPERVISOR, Role.ADMIN):
        # Late ones first: those are what a supervisor acts on.
        rows.sort(key=lambda r: (not r.lateness.timeliness.is_late, r.agency.path))
    context = {
        "year": year,
        "rows": rows[:PANEL_ROWS],
        "more": len(rows) > PANEL_ROWS,
        "total": len(rows),
        "late": sum(1 for r in rows if r.lateness.timeliness.is_late),
    }
    return [Panel(title=f"{year}年政府信息公开工作年度报告", template="reports/panel.html", context=context, order=40)]
