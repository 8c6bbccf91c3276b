"""The agency's dashboard: its figures for a year, counted in the database, scoped by ``visible_to``.

Every read starts from ``Case.objects.visible_to(user)`` or ``Item.objects.visible_to(user)``, so
a 科室信息员 sees the figures of the cases it may read (its department's and its own), an officer
or 负责人 its agency's, a supervisor those of any agency below it, a 本机关管理员 nothing. The rules
(on time, overdue at a day, art 26) are the core's (``gongkai.core.stats_agency``,
``gongkai.core.publication_timeliness``); the filters here mirror them.

Queries per dashboard, whatever the number of cases or items: received by month, closed by month
and timeliness, overdue at each month end, table 三, published items grouped by (catalogue,
formed, published) day (the art 26 check is then made once per distinct pair of days), the
catalogue's names.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency
from gongkai.cases.choices import ExtensionDecision
from gongkai.cases.figures import table3_from_rows, table3_rows
from gongkai.cases.models import Case, Extension
from gongkai.core.calendar import WorkingCalendar
from gongkai.core.outcomes import Outcome
from gongkai.core.publication_timeliness import timeliness
from gongkai.core.report.taxonomy import TOTAL_COLUMN
from gongkai.core.stats_agency import MonthPoint, Timeliness, month_points, on_time_rate
from gongkai.publications.models import Category, Item

#: How many years back the year selector offers at most.
MAX_YEARS = 10


def dashboard_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies whose dashboard ``user`` may open (none for a 本机关管理员: it reads no records)."""
    if getattr(user, "role", None) == Role.MANAGER:
        return Agency.objects.none()
    return visible_agencies(user).order_by("code", "pk")


def dashboard_agency(user: Any, agency_id: int | None) -> Agency | None:
    """The agency shown: ``agency_id`` if ``user`` may read it, else their own; None when neither."""
    agencies = dashboard_agencies(user)
    if agency_id is not None:
        return agencies.filter(pk=agency_id).first()
    if user.agency_id is not None:
        return agencies.filter(pk=user.agency_id).first()
    return agencies.first()


def _cases(user: Any, agency: Agency) -> QuerySet[Case]:
    # Only applications whose receipt was confirmed count (条例 art 31), as in table 三.
    return Case.objects.visible_to(user).filter(agency_id=agency.pk, received_on__isnull=False)


def available_years(user: Any, agency: Agency, today: dt.date) -> list[int]:
    """The years with records, newest first: from the first case or item to this year."""
    first_case = _cases(user, agency).aggregate(d=Min("received_on"))["d"]
    first_item = Item.objects.visible_to(user).filter(agency_id=agency.pk).aggregate(d=Min("published_on"))["d"]
    first = min((d.year for d in (first_case, first_item) if d is not None), default=today.year)
    first = max(first, today.year - MAX_YEARS + 1)
    return list(range(today.year, first - 1, -1))


@dataclass(frozen=True)
class CaseFigures:
    """One year of an agency's 依申请公开 figures, month by month (index 0 = January)."""

    months: list[MonthPoint]
    received: list[int]
    closed: list[int]
    by_timeliness: dict[Timeliness, list[int]]
    overdue: list[int]
    outcomes: list[tuple[Outcome, int]]

    @property
    def received_total(self) -> int:
        return sum(self.received)

    @property
    def closed_total(self) -> int:
        return sum(self.closed)

    @property
    def overdue_now(self) -> int:
        """Overdue at the last point: today in the current year, 31 December in a past one."""
        return self.overdue[-1] if self.overdue else 0

    def total(self, kind: Timeliness) -> int:
        return sum(self.by_timeliness[kind])

    @property
    def on_time(self) -> int:
        return self.total(Timeliness.IN_PERIOD) + self.total(Timeliness.IN_EXTENSION)

    @property
    def late(self) -> int:
        return self.total(Timeliness.LATE)

    @property
    def rate(self) -> float | None:
        """The year's on-time rate in per cent (``gongkai.core.stats_agency.on_time_rate``)."""
        return on_time_rate(self.on_time, self.late)

    def monthly_rate(self) -> list[float | None]:
        return [
            on_time_rate(
                self.by_timeliness[Timeliness.IN_PERIOD][i] + self.by_timeliness[Timeliness.IN_EXTENSION][i],
                self.by_timeliness[Timeliness.LATE][i],
            )
            for i in range(len(self.months))
        ]


def _extended() -> Q:
    """The case's due date was moved by an approved extension (art 33 ¶2) or a 延迟答复 (art 35)."""
    approved = Extension.objects.filter(
        case_id=OuterRef("pk"), decision=ExtensionDecision.APPROVED, decided_on__isnull=False
    )
    return Q(Exists(approved)) | Q(delay_decided_on__isnull=False, delayed_due_on__isnull=False)


def _timeliness_filters() -> dict[Timeliness, Q]:
    """``gongkai.core.stats_agency.closing_timeliness`` as filters on a closed case."""
    in_time = Q(due_on__isnull=False, closed_on__lte=F("due_on"))
    extended = _extended()
    return {
        Timeliness.IN_PERIOD: in_time & ~extended,
        Timeliness.IN_EXTENSION: in_time & extended,
        Timeliness.LATE: Q(due_on__isnull=False, closed_on__gt=F("due_on")),
        Timeliness.NO_PERIOD: Q(due_on__isnull=True),
    }


def _by_month(rows: Any, months: list[MonthPoint], column: str = "n") -> list[int]:
    found = {row["m"]: row[column] for row in rows}
    return [found.get(p.month, 0) for p in months]


def case_figures(user: Any, agency: Agency, year: int, today: dt.date) -> CaseFigures:
    """The year's applications received and closed by month, timeliness, month-end overdue, table 三."""
    months = month_points(year, today)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cases = _cases(user, agency)
    received_rows = (
        cases.filter(received_on__gte=first, received_on__lte=last)
        .order_by()
        .annotate(m=ExtractMonth("received_on"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    filters = _timeliness_filters()
    closed_rows = list(
        cases.filter(closed_on__gte=first, closed_on__lte=last)
        .order_by()
        .annotate(m=ExtractMonth("closed_on"))
        .values("m")
        .annotate(n=Count("pk"), **{kind.value: Count("pk", filter=q) for kind, q in filters.items()})
    )
    overdue: list[int] = []
    if months:
        # Overdue at each month end (core.stats_agency.overdue_at), one conditional count per month.
        counts = {
            f"m{p.month}": Count(
                "pk",
                filter=Q(received_on__lte=p.day, due_on__lt=p.day)
                & (Q(closed_on__isnull=True) | Q(closed_on__gt=p.day)),
            )
            for p in months
        }
        row = (
            cases.filter(received_on__lte=months[-1].day, due_on__lt=months[-1].day)
            .exclude(closed_on__lte=first)
            .aggregate(**counts)
        )
        overdue = [row[f"m{p.month}"] for p in months]
    table = table3_from_rows(table3_rows(year, cases))
    return CaseFigures(
        months=months,
        received=_by_month(received_rows, months),
        closed=_by_month(closed_rows, months),
        by_timeliness={kind: _by_month(closed_rows, months, kind.value) for kind in Timeliness},
        overdue=overdue,
        outcomes=[(o, table[o.value][TOTAL_COLUMN] or 0) for o in Outcome],
    )


@dataclass
class CatalogueCount:
    """One catalogue node's items published in the year, and those past the art 26 limit."""

    name: str
    published: int = 0
    late: int = 0


@dataclass(frozen=True)
class PublicationFigures:
    """One year of an agency's 主动公开: items per month (in time, late, not judged), per catalogue."""

    months: list[MonthPoint]
    in_time: list[int]
    late: list[int]
    unknown: list[int]  # the calendar lacks a year in between (core.publication_timeliness)
    catalogue: list[CatalogueCount] = field(default_factory=list)

    @property
    def published(self) -> int:
        return sum(self.in_time) + sum(self.late) + sum(self.unknown)

    @property
    def late_total(self) -> int:
        return sum(self.late)


def publication_figures(
    user: Any, agency: Agency, year: int, today: dt.date, calendar: WorkingCalendar
) -> PublicationFigures:
    """Items first published in ``year`` by month and catalogue, and those later than 条例 art 26 allows."""
    months = month_points(year, today)
    index = {p.month: i for i, p in enumerate(months)}
    in_time, late, unknown = [0] * len(months), [0] * len(months), [0] * len(months)
    rows = (
        Item.objects.published_in(year)
        .visible_to(user)
        .filter(agency_id=agency.pk)
        .order_by()
        .values("category_id", "formed_on", "published_on")
        .annotate(n=Count("pk"))
    )
    verdicts: dict[tuple[dt.date, dt.date], bool | None] = {}
    per_category: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        pair = (row["formed_on"], row["published_on"])
        if pair not in verdicts:
            verdicts[pair] = timeliness(pair[0], pair[1], calendar).late
        verdict, n = verdicts[pair], row["n"]
        i = index.get(row["published_on"].month)
        if i is not None:  # an item published after today (a wrong date) falls outside the months
            (late if verdict else unknown if verdict is None else in_time)[i] += n
        counts = per_category[row["category_id"]]
        counts[0] += n
        counts[1] += n if verdict else 0
    names = {
        c["pk"]: f"{c['parent__name']} · {c['name']}" if c["parent__name"] else c["name"]
        for c in Category.objects.visible_to(user)
        .filter(pk__in=list(per_category))
        .values("pk", "name", "parent__name")
    }
    catalogue = [CatalogueCount(names.get(pk, "（未知目录）"), n, k) for pk, (n, k) in per_category.items()]
    catalogue.sort(key=lambda c: (-c.published, c.name))
    return PublicationFigures(months=months, in_time=in_time, late=late, unknown=unknown, catalogue=catalogue)
