"""Home-page panel: where this year's annual report stands (staff), or the agencies in reach (supervisors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.selectors import overview_for
from gongkai.web.panels import Panel

#: Agencies listed on the home page before "查看全部".
PANEL_ROWS = 8


def _awaiting_sign_off(user: Any) -> list[Panel]:
    """A 负责人's desk: the reports of the agency submitted for sign-off, each a link."""
    if user.role != Role.LEADER or user.agency_id is None:
        return []
    waiting = list(
        AnnualReportRecord.objects.filter(agency_id=user.agency_id, status=ReportStatus.SUBMITTED)
        .select_related("agency", "submitted_by")
        .order_by("-year", "-version")
    )
    if not waiting:
        return []
    return [
        Panel(
            title=f"待签发的年度报告（{len(waiting)}）",
            template="reports/panel_submitted.html",
            context={"records": waiting},
            order=5,
        )
    ]


def panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated or (user.agency_id is None and not user.is_system_admin):
        return []
    waiting = _awaiting_sign_off(user)
    today = clock.today()
    year = today.year - 1
    rows = overview_for(user, year, today=today)
    if not rows:
        return waiting
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
    return [
        *waiting,
        Panel(title=f"{year}年政府信息公开工作年度报告", template="reports/panel.html", context=context, order=40),
    ]
