"""Reads of the supervisor's console: the publication board and the roll-up of tables 二/三/四.

Every read takes the user and goes through ``visible_agencies`` / ``visible_to``: a supervisor sees
the agencies under it (not its own), an administrator every agency. A fixed number of queries
whatever the number of agencies (the board: agencies, report versions, uploads, reminders).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.cases.figures import table3_by_agency, table4_by_agency
from gongkai.cases.models import Case
from gongkai.core.report.due_dates import ReportLateness, lateness
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.stats_console import (
    BOARD_STATES,
    BoardState,
    Number,
    board_state,
    needs_reminder,
)
from gongkai.dashboards import console_sums as sums
from gongkai.dashboards.models import Reminder
from gongkai.dashboards.sources import ReportSource
from gongkai.publications.selectors import table2_figures_by_agency
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.selectors import REPORTING_BODIES
from gongkai.supervision.models import ReadReport


def console_agencies(user: Any, *, parent: int | None = None, level: str | None = None) -> QuerySet[Agency]:
    """The agencies a supervisor oversees (its subtree without itself; an administrator: all),
    optionally those directly under ``parent`` or of one ``level``."""
    agencies = visible_agencies(user).filter(is_active=True)
    if getattr(user, "role", None) == Role.SUPERVISOR and user.agency_id is not None:
        agencies = agencies.exclude(pk=user.agency_id)
    if parent is not None:
        agencies = agencies.filter(parent_id=parent)
    if level:
        agencies = agencies.filter(level=level)
    return agencies.order_by("path")


def parent_choices(user: Any) -> list[tuple[int, str]]:
    """The agencies in reach that have agencies under them (the 上级机构 filter)."""
    reach = visible_agencies(user)
    parents = reach.filter(children__isnull=False).distinct().order_by("path").values_list("pk", "name")
    return list(parents)


@dataclass(frozen=True, slots=True)
class BoardRow:
    agency_id: int
    name: str
    short_name: str
    level: str
    parent_id: int | None
    state: BoardState
    lateness: ReportLateness
    published_on: dt.date | None
    reminder: Reminder | None  # the newest 催报 for the year

    @property
    def remindable(self) -> bool:
        return needs_reminder(self.state, self.lateness.timeliness)

    @property
    def days_late(self) -> int | None:
        """Days past the deadline to show: none for a report uploaded and checked (it was
        published outside the system on a date the upload does not record, so the days to
        today would say it is still missing), else how late it was published or still is."""
        if self.state is BoardState.UPLOADED:
            return None
        return self.lateness.days_late or None

    @property
    def level_label(self) -> str:
        return str(AgencyLevel(self.level).label)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class Board:
    year: int
    rows: list[BoardRow]
    counts: dict[BoardState, int] = field(default_factory=dict)

    @property
    def remindable(self) -> int:
        return sum(1 for r in self.rows if r.remindable)


def board(user: Any, year: int, *, today: dt.date, parent: int | None = None, level: str | None = None) -> Board:
    """Each agency in reach and where its report for ``year`` stands against its art 49 deadline."""
    agencies = list(
        console_agencies(user, parent=parent, level=level).values(
            "pk", "name", "short_name", "level", "parent_id", "report_due"
        )
    )
    published_at: dict[int, dt.datetime] = {}
    signed: set[int] = set()
    versions = (
        AnnualReportRecord.objects.filter(agency__in=console_agencies(user, parent=parent, level=level), year=year)
        .filter(status__in=[ReportStatus.SIGNED_OFF, ReportStatus.PUBLISHED])
        .order_by()
        .values_list("agency_id", "status", "published_at")
    )
    for agency_id, status, at in versions:
        if status == ReportStatus.PUBLISHED and at is not None:
            if agency_id not in published_at or at < published_at[agency_id]:
                published_at[agency_id] = at
        else:
            signed.add(agency_id)
    uploaded = set(
        ReadReport.objects.readable()
        .visible_to(user)
        .filter(matched_agency__in=console_agencies(user, parent=parent, level=level), year=year)
        .order_by()
        .values_list("matched_agency_id", flat=True)
    )
    reminders: dict[int, Reminder] = {}
    for reminder in Reminder.objects.filter(
        agency__in=console_agencies(user, parent=parent, level=level), year=year
    ).order_by("agency_id", "-sent_at", "-id"):
        reminders.setdefault(reminder.agency_id, reminder)
    rows: list[BoardRow] = []
    settings: dict[str, Any] = {}  # report_due text → its MonthDay (a handful of distinct values)
    local = timezone.get_current_timezone()
    for a in agencies:
        first = published_at.get(a["pk"])
        published_on = first.astimezone(local).date() if first else None
        due_text = a["report_due"] or ""
        if due_text not in settings:
            settings[due_text] = Agency(report_due=due_text).report_due_setting
        late = lateness(
            REPORTING_BODIES[AgencyLevel(a["level"])],
            year,
            published_on=published_on,
            today=today,
            setting=settings[due_text],
        )
        state = board_state(
            published=published_on is not None,
            signed=a["pk"] in signed,
            uploaded=a["pk"] in uploaded,
            timeliness=late.timeliness,
        )
        rows.append(
            BoardRow(
                agency_id=a["pk"],
                name=a["name"],
                short_name=a["short_name"],
                level=a["level"],
                parent_id=a["parent_id"],
                state=state,
                lateness=late,
                published_on=published_on,
                reminder=reminders.get(a["pk"]),
            )
        )
    counts = dict.fromkeys(BOARD_STATES, 0)
    for row in rows:
        counts[row.state] += 1
    return Board(year=year, rows=rows, counts=counts)


# ---------------------------------------------------------------------------------------------
# Roll-up of tables 二/三/四
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RollupRow:
    """One agency of the roll-up, where its figures came from (None: no figures) and its key
    figures (``console_sums.KEY_FIGURE_LABELS``; None when it has no figures)."""

    agency_id: int
    name: str
    source: ReportSource | None
    figures: list[Number] | None

    @property
    def source_label(self) -> str:
        return self.source.label if self.source is not None else "无数据"


@dataclass(frozen=True, slots=True)
class Rollup:
    year: int
    live: bool  # the current year to date
    rows: list[RollupRow]
    table2: dict[str, dict[str, Number]]
    table3: dict[str, list[Number]]
    table4: dict[str, dict[str, Number]]
    totals: list[Number]  # the key figures summed over every agency of ``rows``

    @property
    def counted(self) -> int:
        return sum(1 for r in self.rows if r.source is not None)


_RANK = {ReportSource.PUBLISHED: 0, ReportSource.SIGNED: 1, ReportSource.UPLOADED: 2}


def best_sources(user: Any, ids: Sequence[int] | QuerySet[Any], year: int) -> dict[int, tuple[ReportSource, int]]:
    """Per agency: its best source for ``year`` (published > signed > newest upload, as
    ``sources.sourced_reports``) and the pk of that record (or, for an upload, that read).
    Two queries of ids only, whatever the number of agencies (``ids`` may be a subquery: 3,000
    bound ids cost more to compile than the query takes)."""
    best: dict[int, tuple[ReportSource, int]] = {}
    records = (
        AnnualReportRecord.objects.visible_to(user)
        .filter(agency_id__in=ids, year=year, snapshot__isnull=False)
        .filter(status__in=[ReportStatus.SIGNED_OFF, ReportStatus.PUBLISHED])
        .order_by("-version")
        .values_list("pk", "agency_id", "status")
    )
    for pk, agency_id, status in records:
        source = ReportSource.PUBLISHED if status == ReportStatus.PUBLISHED else ReportSource.SIGNED
        if agency_id not in best or _RANK[source] < _RANK[best[agency_id][0]]:
            best[agency_id] = (source, pk)
    reads = (
        ReadReport.objects.readable()
        .visible_to(user)
        .filter(matched_agency_id__in=ids, year=year)
        .order_by("-batch__created_at", "-id")
        .values_list("pk", "matched_agency_id")
    )
    for pk, agency_id in reads:
        if agency_id is not None and agency_id not in best:
            best[agency_id] = (ReportSource.UPLOADED, pk)
    return best


def _split(best: Mapping[int, tuple[ReportSource, int]]) -> tuple[list[int], list[int]]:
    records = [pk for source, pk in best.values() if source is not ReportSource.UPLOADED]
    reads = [pk for source, pk in best.values() if source is ReportSource.UPLOADED]
    return records, reads


def stored_tables(best: Mapping[int, tuple[ReportSource, int]]) -> dict[int, tuple[Any, Any, Any]]:
    """Per agency: tables 二/三/四 of its winning record or read, as stored (two queries)."""
    record_pks, read_pks = _split(best)
    tables: dict[int, tuple[Any, Any, Any]] = {}
    for agency_id, t2, t3, t4 in AnnualReportRecord.objects.filter(pk__in=record_pks).values_list(
        "agency_id", "snapshot__table2", "snapshot__table3", "snapshot__table4"
    ):
        tables[agency_id] = (t2, t3, t4)
    for agency_id, t2, t3, t4 in ReadReport.objects.filter(pk__in=read_pks).values_list(
        "matched_agency_id", "report__table2", "report__table3", "report__table4"
    ):
        tables[agency_id] = (t2, t3, t4)
    return tables


def stored_sums(best: Mapping[int, tuple[ReportSource, int]]) -> tuple[sums.Sums, dict[int, list[Number]]]:
    """Tables 二/三/四 of the winning reports summed, and each agency's key figures: inside
    PostgreSQL where it reads the cells as Python does, else decoded and added in Python."""
    record_pks, read_pks = _split(best)
    if record_pks or read_pks:
        found = sums.db_sums(record_pks, read_pks)
        if found is not None:
            return found
    tables = stored_tables(best)
    decoded = {pk: (sums.rows3(t3), sums.nested(t4)) for pk, (_, t3, t4) in tables.items()}
    return sums.python_sums(tables.values()), {pk: sums.key_figures(t3, t4) for pk, (t3, t4) in decoded.items()}


def _on_system(agency_ids: Sequence[int] | QuerySet[Any]) -> set[int]:
    """Agencies whose requests are handled on the system (they have case records)."""
    return set(Case.objects.filter(agency_id__in=agency_ids).order_by().values_list("agency_id", flat=True).distinct())


def _live_tables(live_ids: set[int], year: int) -> dict[int, tuple[Any, Any, Any]]:
    """The current year to date of agencies on the system: tables 二/三/四 from the records."""
    if not live_ids:
        return {}
    ordered = sorted(live_ids)
    live3 = table3_by_agency(ordered, year)
    live4 = table4_by_agency(ordered, year)
    live2 = table2_by_agency(ordered, year)
    return {pk: (live2[pk], live3[pk], live4[pk]) for pk in ordered}


def table2_by_agency(agency_ids: Sequence[int], year: int) -> dict[int, dict[str, dict[str, Number]]]:
    """``publications.selectors.table2_figures`` for many agencies in two queries (not two per
    agency)."""
    return table2_figures_by_agency(agency_ids, year)


def rollup(user: Any, year: int, agency_ids: Iterable[int] | None, *, today: dt.date) -> Rollup:
    """Tables 二/三/四 of the chosen agencies (all in reach when ``agency_ids`` is None) summed.

    A past year: each agency's report from its best source (published > signed > uploaded). The
    current year to date: live from the records for agencies that handle their cases on the system
    (``cases.figures``; table 二 from ``publications``), from an uploaded report for the others.
    """
    agencies = console_agencies(user)
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    chosen = list(agencies.values_list("pk", "name"))
    scope = agencies.order_by().values("pk")
    live = year >= today.year
    live_ids = _on_system(scope) if live else set()
    best = {pk: found for pk, found in best_sources(user, scope, year).items() if pk not in live_ids}
    stored, figures = stored_sums(best)
    live_tables = _live_tables(live_ids, year)
    for pk, (_, t3, t4) in live_tables.items():
        figures[pk] = sums.key_figures(sums.rows3(t3), sums.nested(t4))
    rows: list[RollupRow] = []
    for pk, name in chosen:
        if pk in live_ids:
            rows.append(RollupRow(pk, name, ReportSource.LIVE, figures[pk]))
        elif pk in best:
            rows.append(RollupRow(pk, name, best[pk][0], figures.get(pk)))
        else:
            rows.append(RollupRow(pk, name, None, None))
    total = sums.merge([stored, sums.python_sums(live_tables.values())]) if live_tables else stored
    return Rollup(
        year=year,
        live=live,
        rows=rows,
        table2=total.table2,
        table3=total.table3,
        table4=total.table4,
        totals=sums.sum_figures(r.figures for r in rows if r.figures is not None),
    )


def reminders_for_agency(user: Any, *, since: dt.datetime) -> list[Reminder]:
    """The 催报 an agency's staff see on their 工作台: their own agency's, since ``since``."""
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None or getattr(user, "role", None) not in (Role.OFFICER, Role.LEADER):
        return []
    return list(
        Reminder.objects.filter(agency_id=agency_id, sent_at__gte=since)
        .select_related("sent_by")
        .order_by("-sent_at")[:5]
    )
