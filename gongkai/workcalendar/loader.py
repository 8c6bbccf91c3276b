"""The database side of the calendar: years an administrator loaded, as core ``CalendarYear``s.

Hooks called by the core command line (``gongkai/commands/calendar.py``, docs/calendar-format.md):

- :func:`extra_years` — the loaded years, for ``gongkai deadline`` / ``calendar show``;
- :func:`load_command` — ``gongkai calendar load FILE…``.

This module imports no model at import time: the core CLI imports it without Django set up, and
each hook sets Django up itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.core.calendar import CalendarEntry, CalendarSource, CalendarYear, EntryKind
from gongkai.core.errors import CalendarDataError

if TYPE_CHECKING:
    from gongkai.workcalendar.models import LoadedYear


def _ensure_django() -> None:
    from django.apps import apps

    if not apps.ready:
        from gongkai.cli import setup_django

        setup_django()


def calendar_year_of(row: LoadedYear) -> CalendarYear:
    """A loaded year as the core's type (validated again by its constructor)."""
    entries = tuple(CalendarEntry(d.day, EntryKind(d.kind), d.name, d.line) for d in row.days.all())
    source = CalendarSource(row.source_title, row.source_number, row.source_url, row.source_published)
    return CalendarYear(row.year, source, entries, origin=f"数据库：{row.file_name or row.year}")


def database_years() -> list[CalendarYear]:
    """Every loaded year (two queries)."""
    from gongkai.workcalendar.models import LoadedYear

    return [calendar_year_of(row) for row in LoadedYear.objects.prefetch_related("days").order_by("year")]


def extra_years() -> list[CalendarYear]:
    """Hook of the core CLI: the loaded years; none on a database not migrated yet."""
    _ensure_django()
    from django.db import connection

    from gongkai.workcalendar.models import LoadedYear

    if LoadedYear._meta.db_table not in connection.introspection.table_names():
        return []
    return database_years()


def load_command(args: argparse.Namespace) -> int:
    """``gongkai calendar load FILE…``: load each file; open cases' due dates are recomputed.

    Every file is tried; errors (naming file and line) go to stderr; exit 2 if any failed.
    """
    _ensure_django()
    from django.utils import timezone

    from gongkai.core.calendar import load_calendar_file
    from gongkai.workcalendar.services import load_calendar_year

    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            data = load_calendar_file(path)
            text = path.read_text(encoding="utf-8")
        except (CalendarDataError, OSError, UnicodeDecodeError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            failed += 1
            continue
        result = load_calendar_year(actor=None, data=data, text=text, file_name=path.name, today=timezone.localdate())
        print(result.summary())
        for line in result.moved_lines():
            print(f"  {line}")
    return 2 if failed else 0
