"""The working calendar of the web side: package data, shipped files, then loaded years.

Built once per process and rebuilt when the loaded years change: each call costs one small
aggregate query (the "stamp"), so a year loaded in another process is seen at once.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from gongkai.core.calendar import WorkingCalendar, default_calendar
from gongkai.workcalendar.loader import database_years
from gongkai.workcalendar.models import LoadedYear

_lock = threading.Lock()
_cached: tuple[Any, WorkingCalendar] | None = None


def _stamp() -> tuple[Any, ...]:
    agg = LoadedYear.objects.aggregate(n=Count("id"), top=Max("id"), last=Max("loaded_at"))
    return (agg["n"], agg["top"], agg["last"])


def working_calendar() -> WorkingCalendar:
    """The calendar to count working days with. Do not change it: use ``.copy()`` first."""
    global _cached
    stamp = _stamp()
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
    calendar = default_calendar(database_years())
    with _lock:
        _cached = (stamp, calendar)
    return calendar
