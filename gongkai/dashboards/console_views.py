"""The supervisor's console: publication board, 催报, roll-up (thin views over the selectors)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.agencies.models import AgencyLevel
from gongkai.core.stats_console import BOARD_STATES, BoardState
from gongkai.dashboards import console_selectors as selectors
from gongkai.dashboards.console_charts import (
    AGENCY_COLUMNS,
    agency_options_html,
    agency_rows,
    agency_rows_html,
    board_chart,
    rollup_chart,
    rollup_tables,
    tiles_html,
)
from gongkai.dashboards.console_services import OutOfReach, ReminderError, send_reminders
from gongkai.dashboards.console_xlsx import board_workbook, rollup_workbook
from gongkai.dashboards.models import ReminderChannel
from gongkai.web.access import roles

CONSOLE_ROLES = (Role.SUPERVISOR, Role.ADMIN)
RECENT_YEARS = 6
LIST_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _year(request: HttpRequest, *, default: int) -> int:
    year = _int(request.GET.get("year") or request.POST.get("year"))
    return year if year is not None and 2008 <= year <= clock.today().year else default


def _filters(request: HttpRequest) -> tuple[int, int | None, str | None]:
    today = clock.today()
    year = _year(request, default=today.year - 1)
    parent = _int(request.GET.get("parent"))
    if parent is not None and parent not in {pk for pk, _ in selectors.parent_choices(request.user)}:
        parent = None
    level = request.GET.get("level") or None
    if level not in AgencyLevel.values:
        level = None
    return year, parent, level


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@roles(*CONSOLE_ROLES)
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Each subordinate's report for a year: tiles, counts, a chart and a list to 催报 from."""
    today = clock.today()
    year, parent, level = _filters(request)
    data = selectors.board(request.user, year, today=today, parent=parent, level=level)
    state = request.GET.get("state") or ""
    listed = [r for r in data.rows if r.state == state] if state in {s.value for s in BoardState} else data.rows
    page = max(_int(request.GET.get("page")) or 1, 1)
    shown = listed[(page - 1) * LIST_PAGE : page * LIST_PAGE]
    query = {k: v for k, v in (("year", year), ("parent", parent), ("level", level)) if v}
    return render(
        request,
        "dashboards/console.html",
        {
            "board": data,
            "year": year,
            "parent": parent,
            "level": level,
            "state": state,
            "states": BOARD_STATES,
            "counts": [(s, data.counts[s]) for s in BOARD_STATES],
            "chart": board_chart(data),
            "tiles": tiles_html(data.rows),
            "shown": shown,
            "listed": len(listed),
            "page": page,
            "has_next": page * LIST_PAGE < len(listed),
            "years": range(today.year, today.year - RECENT_YEARS, -1),
            "levels": AgencyLevel.choices,
            "parents": selectors.parent_choices(request.user),
            "channels": ReminderChannel.choices,
            "query": urlencode(query),
        },
    )


@roles(*CONSOLE_ROLES)
@require_GET
def board_xlsx(request: HttpRequest) -> HttpResponse:
    year, parent, level = _filters(request)
    data = selectors.board(request.user, year, today=clock.today(), parent=parent, level=level)
    return _xlsx(board_workbook(data), f"{year}-report-status.xlsx")


@roles(*CONSOLE_ROLES)
@require_POST
def remind(request: HttpRequest) -> HttpResponse:
    """催报 the agencies ticked on the board; back to the board with what was sent."""
    year = _year(request, default=clock.today().year - 1)
    ids = [pk for pk in (_int(v) for v in request.POST.getlist("agency")) if pk is not None]
    try:
        sent = send_reminders(
            actor=request.user,
            agency_ids=ids,
            year=year,
            channels=request.POST.getlist("channel"),
            message=request.POST.get("message", ""),
            now=clock.now(),
        )
    except OutOfReach as exc:
        raise Http404(str(exc)) from exc
    except ReminderError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已向{len(sent)}个机构催报。")
    back = request.POST.get("back", "")
    target = reverse("dashboards:console_board")
    return redirect(f"{target}?{back}" if back and "//" not in back else f"{target}?{urlencode({'year': year})}")


def _rollup_ids(request: HttpRequest) -> list[int] | None:
    raw = request.GET.getlist("agency")
    if not raw:
        return None
    ids = [pk for pk in (_int(v) for v in raw) if pk is not None]
    allowed = set(selectors.console_agencies(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    if not ids or allowed != set(ids):
        raise Http404("所选机构不在您的监督范围内")
    return ids


@roles(*CONSOLE_ROLES)
@require_GET
def rollup(request: HttpRequest) -> HttpResponse:
    """Tables 二/三/四 summed over the chosen subordinates, with each one's source."""
    today = clock.today()
    year = _year(request, default=today.year - 1)
    ids = _rollup_ids(request)
    data = selectors.rollup(request.user, year, ids, today=today)
    page = max(_int(request.GET.get("page")) or 1, 1)
    query = urlencode([("year", year), *(("agency", pk) for pk in ids or ())])
    return render(
        request,
        "dashboards/console_rollup.html",
        {
            "rollup": data,
            "year": year,
            "chosen": set(ids or ()),
            "agency_options": agency_options_html(
                list(selectors.console_agencies(request.user).values_list("pk", "name")), set(ids or ())
            ),
            "years": range(today.year, today.year - RECENT_YEARS, -1),
            "chart": rollup_chart(data),
            "tables": rollup_tables(data),
            "agency_columns": AGENCY_COLUMNS,
            # one page of agencies; the 合计 row below covers every chosen agency
            "agency_rows": agency_rows_html(agency_rows(data.rows[(page - 1) * LIST_PAGE : page * LIST_PAGE])),
            "agency_totals": data.totals,
            "page": page,
            "has_next": page * LIST_PAGE < len(data.rows),
            "page_size": LIST_PAGE,
            "query": query,
        },
    )


@roles(*CONSOLE_ROLES)
@require_GET
def rollup_xlsx(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    year = _year(request, default=today.year - 1)
    data = selectors.rollup(request.user, year, _rollup_ids(request), today=today)
    return _xlsx(rollup_workbook(data), f"{year}-rollup.xlsx")
