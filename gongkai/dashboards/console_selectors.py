"""Reads of the supervisor's console: the publication board and the roll-up of tables 二/三/四.

Every read takes the user and goes through ``visible_agencies`` / ``visible_to``: a supervisor sees
the agencies under it (not its own), an administrator every agency. A fixed number of queries
whatever the number of agencies (the board: agencies, report versions, uploads, reminders).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
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
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    TABLE3_KEYS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    ReportFormat,
    table2_rows,
)
from gongkai.core.stats_console import (
    BOARD_STATES,
    BoardState,
    Number,
    board_state,
    needs_reminder,
    sum_nested,
    sum_table3,
)
from gongkai.dashboards.models import Reminder
from gongkai.dashboards.sources import ReportSource
from gongkai.publications.selectors import table2_figures
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.selectors import REPORTING_BODIES
from gongkai.supervision.models import ReadReport

#: Table 二 rows and fields (format 2021) and table 四 groups and fields, for the sums.
TABLE2_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (row.key, tuple(f.key for f in row.fields)) for row in table2_rows(ReportFormat.F2021)
)
TABLE4_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = tuple((g.value, TABLE4_FIELDS) for g in TABLE4_GROUPS)


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
    for a in agencies:
        first = published_at.get(a["pk"])
        published_on = timezone.localdate(first) if first else None
        late = lateness(
            REPORTING_BODIES[AgencyLevel(a["level"])],
            year,
            published_on=published_on,
            today=today,
            setting=Agency(report_due=a["report_due"]).report_due_setting,
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
    """One agency of the roll-up and where its figures came from (None: no figures)."""

    agency_id: int
    name: str
    source: ReportSource | None
    table3: dict[str, list[Number]] | None
    table4: dict[str, dict[str, Number]] | None
    table2: dict[str, dict[str, Number]] | None

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

    @property
    def counted(self) -> int:
        return sum(1 for r in self.rows if r.source is not None)


def _cell(value: object) -> Number:
    """A cell as stored in a report's JSON: a count, a decimal string (money), or blank."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def _rows(table: Mapping[str, Sequence[object]] | None) -> dict[str, list[Number]]:
    return {
        key: [v if type(v) is int else _cell(v) for v in row]
        for key, row in (table or {}).items()
        if isinstance(row, list | tuple)
    }


def _nested(table: Mapping[str, Mapping[str, object]] | None) -> dict[str, dict[str, Number]]:
    return {key: {k: _cell(v) for k, v in row.items()} for key, row in (table or {}).items() if isinstance(row, dict)}


_RANK = {ReportSource.PUBLISHED: 0, ReportSource.SIGNED: 1, ReportSource.UPLOADED: 2}


def _sourced_tables(user: Any, ids: Sequence[int], year: int) -> dict[int, tuple[ReportSource, Any, Any, Any]]:
    """Per agency: its best source for ``year`` (published > signed > newest upload, as
    ``sources.sourced_reports``) and only its tables 二/三/四 as stored (no full report parsed).
    Four queries: which record / upload wins, then the tables of the winners."""
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
    record_pks = [pk for source, pk in best.values() if source is not ReportSource.UPLOADED]
    read_pks = [pk for source, pk in best.values() if source is ReportSource.UPLOADED]
    tables: dict[int, tuple[ReportSource, Any, Any, Any]] = {}
    for agency_id, t2, t3, t4 in AnnualReportRecord.objects.filter(pk__in=record_pks).values_list(
        "agency_id", "snapshot__table2", "snapshot__table3", "snapshot__table4"
    ):
        tables[agency_id] = (best[agency_id][0], t2, t3, t4)
    for agency_id, t2, t3, t4 in ReadReport.objects.filter(pk__in=read_pks).values_list(
        "matched_agency_id", "report__table2", "report__table3", "report__table4"
    ):
        tables[agency_id] = (ReportSource.UPLOADED, t2, t3, t4)
    return tables


def _on_system(agency_ids: Sequence[int]) -> set[int]:
    """Agencies whose requests are handled on the system (they have case records)."""
    return set(Case.objects.filter(agency_id__in=agency_ids).order_by().values_list("agency_id", flat=True).distinct())


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
    ids = [pk for pk, _ in chosen]
    live = year >= today.year
    sourced = _sourced_tables(user, ids, year)
    live_ids = _on_system(ids) if live else set()
    live3 = table3_by_agency(sorted(live_ids), year) if live_ids else {}
    live4 = table4_by_agency(sorted(live_ids), year) if live_ids else {}
    live2 = {a.pk: table2_figures(a, year) for a in Agency.objects.filter(pk__in=live_ids)} if live_ids else {}
    rows: list[RollupRow] = []
    for pk, name in chosen:
        if pk in live_ids:
            rows.append(
                RollupRow(pk, name, ReportSource.LIVE, _rows(live3[pk]), _nested(live4[pk]), _nested(live2[pk]))
            )
            continue
        found = sourced.get(pk)
        if found is None:
            rows.append(RollupRow(pk, name, None, None, None, None))
            continue
        source, t2, t3, t4 = found
        rows.append(RollupRow(pk, name, source, _rows(t3), _nested(t4), _nested(t2)))
    counted = [r for r in rows if r.source is not None]
    return Rollup(
        year=year,
        live=live,
        rows=rows,
        table2=sum_nested((r.table2 or {} for r in counted), TABLE2_LAYOUT),
        table3=sum_table3((r.table3 or {} for r in counted), TABLE3_KEYS, COLUMN_COUNT),
        table4=sum_nested((r.table4 or {} for r in counted), TABLE4_LAYOUT),
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
