"""索引号: the number every 主动公开 item carries, one counter per agency and year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F

from gongkai.publications.models import IndexSequence

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency


def next_index_number(agency: Agency, year: int) -> str:
    """The next 索引号 of ``agency`` for ``year``: "<机构代码>/<year>-<5 digits>".

    Call inside the write's transaction. The counter row is created if missing (INSERT … ON
    CONFLICT DO NOTHING) and incremented with one UPDATE, which takes the row lock on PostgreSQL
    and the write lock on SQLite, so two transactions never get the same number; a rolled-back
    transaction gives its number back.
    """
    IndexSequence.objects.bulk_create([IndexSequence(agency=agency, year=year, last=0)], ignore_conflicts=True)
    IndexSequence.objects.filter(agency=agency, year=year).update(last=F("last") + 1)
    last = IndexSequence.objects.filter(agency=agency, year=year).values_list("last", flat=True).get()
    return f"{agency.code}/{year}-{last:05d}"
