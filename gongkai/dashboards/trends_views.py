"""The supervisor's trend pages: an indicator over years with jumps marked, outcome mix, channels,
纠错率 against peers, 雷同 between siblings (with the pair side by side), each exportable to .xlsx."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.agencies.models import AgencyLevel
from gongkai.core.report.jumps import INDICATORS
from gongkai.dashboards import trends_charts as charts
from gongkai.dashboards import trends_selectors as selectors
from gongkai.dashboards.trends_xlsx import charts_workbook
from gongkai.reports.similarity import thresholds as similarity_thresholds
from gongkai.supervision.jumps import jump_thresholds
from gongkai.web.access import roles
from gongkai.web.charts import Chart

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pair_link(year: int, first: int, second: int) -> str:
    return reverse("dashboards:trends_pair", kwargs={"year": year, "a": first, "b": second})


def _charts(request: HttpRequest) -> tuple[selectors.TrendScope, list[Chart]]:
    scope = selectors.trend_scope(request.user, request.GET, default_year=clock.today().year - 1)
    reports = selectors.scope_reports(request.user, scope)
    lines = selectors.indicator_trends(scope, reports, jump_thresholds())
    categories, mix = selectors.outcome_mix(scope, reports)
    built = [
        charts.trend_chart(scope, lines),
        charts.mix_chart(scope, categories, mix),
        charts.channel_chart(scope, selectors.channel_volume(request.user, scope, reports)),
        charts.correction_chart(scope, selectors.correction_rates(request.user, scope)),
        charts.similarity_chart(scope.year, selectors.similarity_matrix(request.user, scope), _pair_link),
    ]
    return scope, built


@roles(Role.SUPERVISOR, Role.ADMIN)
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    scope, built = _charts(request)
    context = {
        "scope": scope,
        "charts": built,
        "indicators": INDICATORS,
        "levels": AgencyLevel.choices,
        "year_choices": list(range(clock.today().year, clock.today().year - 10, -1)),
        "thresholds": jump_thresholds(),
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboards/trends.html", context)


@roles(Role.SUPERVISOR, Role.ADMIN)
@require_GET
def trends_export(request: HttpRequest) -> HttpResponse:
    scope, built = _charts(request)
    response = HttpResponse(charts_workbook(built), content_type=XLSX_TYPE)
    who = scope.parent.code if scope.parent is not None else "none"
    response["Content-Disposition"] = f'attachment; filename="trends-{who}-{scope.year}.xlsx"'
    return response


@roles(Role.SUPERVISOR, Role.ADMIN)
@require_GET
def trends_pair(request: HttpRequest, year: int, a: int, b: int) -> HttpResponse:
    pair = selectors.similarity_pair(request.user, year, a, b)
    if pair is None:
        raise Http404("两个机关须为本人可查看的同一上级机构下的不同机关")
    return render(request, "dashboards/trends_pair.html", {"pair": pair, "thresholds": similarity_thresholds()})
