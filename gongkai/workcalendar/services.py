"""Storing a year's holiday arrangement (legal spec §5.4): validate, replace the rows, audit.

Parsing and validation are the core's (``gongkai.core.calendar.parse_calendar_file``); this
module stores the result. Open cases' due dates are recomputed by the caller, in the same
transaction: the use case "load a year" is ``gongkai.cases.due_dates.load_calendar_year``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.core.calendar import CalendarYear, EntryKind, parse_calendar_file
from gongkai.core.errors import CalendarDataError
from gongkai.workcalendar.models import LoadedDay, LoadedYear

if TYPE_CHECKING:
    from gongkai.accounts.models import User


class CalendarAudit(StrEnum):
    YEAR_LOADED = "calendar.year_loaded"


@dataclass(frozen=True)
class StoredYear:
    """What storing a year did: which year, whether it replaced a loaded one, its declared days."""

    year: int
    replaced: bool
    off_days: int
    work_days: int


def parse_upload(text: str, name: str) -> CalendarYear:
    """An uploaded data file as the core's type; :class:`CalendarDataError` names the line."""
    return parse_calendar_file(text, name)


@transaction.atomic
def store_calendar_year(
    *, actor: User | None, data: CalendarYear, text: str, file_name: str, today: dt.date
) -> StoredYear:
    """Store (or replace) ``data``'s year with its file text, and audit it.

    Only a system administrator (or the command line, ``actor=None``) may load a year. Example
    files are refused (docs/calendar-format.md).
    """
    if actor is not None and not actor.is_system_admin:
        raise PermissionDenied("只有系统管理员可以加载节假日安排")
    if data.example:
        raise CalendarDataError(f"{file_name}：这是示例文件（example = true），不是已发布的节假日安排，不能加载")
    src = data.source
    row = LoadedYear.objects.select_for_update().filter(year=data.year).first()
    replaced = row is not None
    if row is None:
        row = LoadedYear(year=data.year)
    row.source_title, row.source_number, row.source_url = src.title, src.number, src.url
    row.source_published = src.published or today
    row.file_name, row.text = file_name[:200], text
    row.loaded_at, row.loaded_by = timezone.now(), actor
    row.save()
    row.days.all().delete()
    LoadedDay.objects.bulk_create(
        LoadedDay(year=row, day=e.day, kind=e.kind.value, name=e.name, line=e.line) for e in data.sorted_entries()
    )
    off = sum(1 for e in data.entries if e.kind is EntryKind.OFF)
    record(
        actor=actor,
        action=CalendarAudit.YEAR_LOADED,
        target=row,
        changes={
            "year": data.year,
            "source": f"{src.title} {src.number}",
            "url": src.url,
            "off_days": off,
            "work_days": len(data.entries) - off,
            "replaced": replaced,
        },
        note=file_name,
    )
    return StoredYear(data.year, replaced, off, len(data.entries) - off)
