"""The working calendar: years known (package data and loaded) and one year.

The administrator's upload, which also recomputes open cases' due dates, is
``gongkai.cases.calendar_views.upload``; ``gongkai.cases.calendar_urls`` serves all three.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.core.calendar import EntryKind, package_years
from gongkai.core.errors import CalendarYearMissing
from gongkai.web.access import ALL_ROLES, roles
from gongkai.workcalendar.describe import describe_year
from gongkai.workcalendar.models import LoadedYear
from gongkai.workcalendar.provider import working_calendar


@roles(ALL_ROLES)
def year_list(request: HttpRequest) -> HttpResponse:
    calendar = working_calendar()
    loaded = {row.year: row for row in LoadedYear.objects.select_related("loaded_by")}
    package = {y.year for y in package_years()}
    years = []
    for year in sorted(calendar.known_years, reverse=True):
        data = calendar.year_data(year)
        off = sum(1 for e in data.entries if e.kind is EntryKind.OFF)
        years.append(
            {
                "year": year,
                "data": data,
                "off": off,
                "work": len(data.entries) - off,
                "loaded": loaded.get(year),
                "package": year in package,
            }
        )
    user: Any = request.user
    today = timezone.localdate()
    return render(
        request,
        "workcalendar/year_list.html",
        {
            "years": years,
            "is_admin": user.is_system_admin,
            "next_missing": None if today.year + 1 in calendar.known_years else today.year + 1,
        },
    )


@roles(ALL_ROLES)
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    calendar = working_calendar()
    try:
        data = calendar.year_data(year)
        lines = describe_year(calendar, year)
    except CalendarYearMissing as exc:
        raise Http404(str(exc)) from None
    return render(
        request,
        "workcalendar/year_detail.html",
        {
            "year": year,
            "data": data,
            "lines": lines,
            "entries": data.sorted_entries(),
            "loaded": LoadedYear.objects.filter(year=year).select_related("loaded_by").first(),
        },
    )
