"""Reads of the year lock, and the guard every write to a case's records passes (``cases.guards``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from gongkai.archives.models import YearLockChange
from gongkai.cases.models import OPEN_STATUS_VALUES, Case
from gongkai.core.archive import LockAction, YearLocked, locked_message
from gongkai.letters.models import Letter

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency


def is_locked(agency_id: int, year: int) -> bool:
    """True when the latest lock record of the agency's year is a lock."""
    latest = (
        YearLockChange.objects.filter(agency_id=agency_id, year=year).order_by("-id").values_list("action", flat=True)
    ).first()
    return latest == LockAction.LOCKED


def refuse_locked_year(case: Case, what: str) -> None:
    """The write guard: a case (its letters, 送达, fees) of a locked year is not changed."""
    if case.year and is_locked(case.agency_id, case.year):
        raise YearLocked(locked_message(year=case.year, case_number=case.number, what=what))


def open_case_numbers(agency: Agency, year: int) -> list[str]:
    return list(
        Case.objects.filter(agency=agency, year=year, status__in=OPEN_STATUS_VALUES)
        .order_by("sequence")
        .values_list("number", flat=True)
    )


@dataclass(frozen=True, slots=True)
class YearRow:
    """A year on the archive page: its cases, the open ones, the lock and its history."""

    year: int
    cases: int
    open: int
    letters: int
    locked: bool
    history: list[YearLockChange]


def years_of(agency: Agency) -> list[YearRow]:
    """Every year with cases (or lock records) of ``agency``, newest first."""
    counts = {
        row["year"]: row
        for row in Case.objects.filter(agency=agency)
        .values("year")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATUS_VALUES)))
    }
    letters = dict(
        Letter.objects.filter(case__agency=agency)
        .values("case__year")
        .annotate(n=Count("pk"))
        .values_list("case__year", "n")
    )
    history: dict[int, list[YearLockChange]] = {}
    for change in YearLockChange.objects.filter(agency=agency).order_by("year", "id"):
        history.setdefault(change.year, []).append(change)
    rows = []
    for year in sorted({*counts, *history}, reverse=True):
        changes = history.get(year, [])
        rows.append(
            YearRow(
                year=year,
                cases=counts.get(year, {}).get("total", 0),
                open=counts.get(year, {}).get("open", 0),
                letters=letters.get(year, 0),
                locked=bool(changes) and changes[-1].action == LockAction.LOCKED,
                history=changes,
            )
        )
    return rows
