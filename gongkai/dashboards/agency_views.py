"""The agency's dashboard (/office/dashboards/agency/): its year at a glance, and as .xlsx.

Thin: parse the agency and year, ask ``agency_selectors``, build the charts, render. Who sees
which figures is the selectors' ``visible_to``; a 本机关管理员 manages people and gets a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.agencies.models import Agency
from gongkai.dashboards.agency_charts import case_charts, publication_charts
from gongkai.dashboards.agency_selectors import (
    available_years,
    case_figures,
    dashboard_agencies,
    dashboard_agency,
    publication_figures,
)
from gongkai.dashboards.agency_xlsx import charts_workbook
from gongkai.publications.timeliness import working_calendar
from gongkai.web.access import roles

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Who may open the dashboard: the agency's staff, its supervisors, the administrator.
DASHBOARD_ROLES = (Role.OFFICER, Role.CLERK, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
#: Agencies listed in the selector at most (a supervisor of thousands types the code in the URL).
MAX_CHOICES = 500


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _subject(request: HttpRequest) -> tuple[Agency, int, list[int], dt.date]:
    """The agency and year asked for (404 outside the user's reach; an unknown year → this year)."""
    agency = dashboard_agency(request.user, _int_param(request, "agency"))
    if agency is None:
        raise Http404("没有可查看的机构")
    today = clock.today()
    years = available_years(request.user, agency, today)
    year = _int_param(request, "year")
    return agency, year if year in years else today.year, years, today


def _charts(request: HttpRequest, agency: Agency, year: int, today: dt.date) -> dict[str, Any]:
    cases = case_figures(request.user, agency, year, today)
    items = publication_figures(request.user, agency, year, today, working_calendar())
    return {
        "cases": cases,
        "items": items,
        "case_charts": case_charts(cases),
        "item_charts": publication_charts(items),
    }


@roles(*DASHBOARD_ROLES)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """The dashboard: applications by month, on time, overdue, outcomes; 主动公开 by month and catalogue."""
    agency, year, years, today = _subject(request)
    user: Any = request.user
    choices = None
    if user.role == Role.SUPERVISOR or user.is_system_admin:
        choices = list(dashboard_agencies(user).values("pk", "name")[:MAX_CHOICES])
    context = {
        "agency": agency,
        "year": year,
        "years": years,
        "today": today,
        "choices": choices,
        "clerk": user.role == Role.CLERK,
        **_charts(request, agency, year, today),
    }
    return render(request, "dashboards/agency.html", context)


@roles(*DASHBOARD_ROLES)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The same figures as an .xlsx workbook (one sheet per chart)."""
    agency, year, _years, today = _subject(request)
    data = _charts(request, agency, year, today)
    heading = f"{agency.name} {year}年 政府信息公开工作统计（截至{min(today, dt.date(year, 12, 31)).isoformat()}）"
    book = charts_workbook(heading, [*data["case_charts"], *data["item_charts"]])
    response = HttpResponse(book, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{agency.pk}-{year}.xlsx"'
    return response
