"""The database side of the calendar: years an administrator loaded, as core ``CalendarYear``s.

The web side reads them through ``gongkai.workcalendar.provider.working_calendar``; the command
line (``gongkai deadline``, ``gongkai calendar show``) through :func:`extra_years`.
"""

from __future__ import annotations

from django.db import connection

from gongkai.core.calendar import CalendarEntry, CalendarSource, CalendarYear, EntryKind
from gongkai.workcalendar.models import LoadedYear


def calendar_year_of(row: LoadedYear) -> CalendarYear:
    """A loaded year as the core's type (validated again by its constructor)."""
    entries = tuple(CalendarEntry(d.day, EntryKind(d.kind), d.name, d.line) for d in row.days.all())
    source = CalendarSource(row.source_title, row.source_number, row.source_url, row.source_published)
    return CalendarYear(row.year, source, entries, origin=f"数据库：{row.file_name or row.year}")


def database_years() -> list[CalendarYear]:
    """Every loaded year (two queries)."""
    return [calendar_year_of(row) for row in LoadedYear.objects.prefetch_related("days").order_by("year")]


def extra_years() -> list[CalendarYear]:
    """The loaded years for the command line; none on a database not migrated yet."""
    if LoadedYear._meta.db_table not in connection.introspection.table_names():
        return []
    return database_years()
