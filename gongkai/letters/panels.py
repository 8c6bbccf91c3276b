"""The desk section of the letters app: letters issued but not served after N working days.

N is ``settings.LETTER_UNSERVED_ALERT_DAYS`` (default
``core.letters.service.DEFAULT_UNSERVED_ALERT_DAYS``), counted on the working calendar.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gongkai import clock
from gongkai.core.calendar import with_assumed_years
from gongkai.core.letters.service import DEFAULT_UNSERVED_ALERT_DAYS, unserved_alert_cutoff
from gongkai.letters.deliveries import letters_with_service, unserved
from gongkai.letters.models import Letter
from gongkai.web.panels import Panel
from gongkai.workcalendar.provider import working_calendar

DESK_LIMIT = 50


def alert_days() -> int:
    return int(getattr(settings, "LETTER_UNSERVED_ALERT_DAYS", DEFAULT_UNSERVED_ALERT_DAYS))


def alert_cutoff(today: dt.date, days: int) -> dt.date:
    """The last 成文日期 shown (years without published holidays are assumed, as for due dates)."""
    return with_assumed_years(working_calendar(), lambda c: unserved_alert_cutoff(today, days, c))[0]


def unserved_for(user: Any, today: dt.date) -> tuple[int, list[Letter], dt.date]:
    """The visible letters issued more than N working days ago and not served: count, first rows."""
    days = alert_days()
    cutoff = alert_cutoff(today, days)
    qs = unserved(Letter.objects.visible_to(user), issued_on_or_before=cutoff)
    qs = letters_with_service(qs).select_related("case").order_by("issued_on", "pk")
    rows = list(qs[:DESK_LIMIT])
    return (len(rows) if len(rows) < DESK_LIMIT else qs.count()), rows, cutoff


def desk_panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated:
        return []
    count, rows, cutoff = unserved_for(user, clock.today())
    context = {"count": count, "letters": rows, "days": alert_days(), "cutoff": cutoff}
    return [Panel("未送达的文书", "letters/desk_unserved.html", context, order=20)]
