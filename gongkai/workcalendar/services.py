"""Loading a year's holiday arrangement (legal spec §5.4): store it, then recompute open cases.

Parsing and validation are the core's (``gongkai.core.calendar.parse_calendar_file``); this
module stores the result and recomputes every open case's due date in the same transaction
(``gongkai.cases.services.recompute_due_dates``: audit per moved case, e-mail after commit).
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
    from gongkai.cases.services import DueDateChange


class CalendarAudit(StrEnum):
    YEAR_LOADED = "calendar.year_loaded"


@dataclass(frozen=True)
class LoadResult:
    year: int
    replaced: bool
    off_days: int
    work_days: int
    changes: tuple[DueDateChange, ...]

    @property
    def moved(self) -> tuple[DueDateChange, ...]:
        return tuple(c for c in self.changes if not c.problem)

    @property
    def problems(self) -> tuple[DueDateChange, ...]:
        return tuple(c for c in self.changes if c.problem)

    def summary(self) -> str:
        verb = "已替换" if self.replaced else "已加载"
        return (
            f"{verb}{self.year}年节假日安排：放假{self.off_days}天，调休上班{self.work_days}天；"
            f"重新计算答复期限，{len(self.moved)}件案件的期限有变化"
            + (f"，{len(self.problems)}件未能计算" if self.problems else "")
        )

    def moved_lines(self) -> list[str]:
        return [c.line() for c in self.changes]


def parse_upload(text: str, name: str) -> CalendarYear:
    """An uploaded data file as the core's type; :class:`CalendarDataError` names the line."""
    return parse_calendar_file(text, name)


@transaction.atomic
def load_calendar_year(
    *, actor: User | None, data: CalendarYear, text: str, file_name: str, today: dt.date
) -> LoadResult:
    """Store (or replace) ``data``'s year and recompute every open case's due date.

    Only a system administrator (or the command line, ``actor=None``) may load a year. Example
    files are refused (docs/calendar-format.md).
    """
    from gongkai.cases.services import recompute_due_dates

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
    changes = recompute_due_dates(actor=actor, today=today, reason=f"加载{data.year}年节假日安排（{src.title}）")
    return LoadResult(data.year, replaced, off, len(data.entries) - off, tuple(changes))
