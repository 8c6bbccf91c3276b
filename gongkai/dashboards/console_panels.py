"""工作台 notice of 催报: an agency's officers and 负责人 see the reminders their supervisor sent."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from gongkai import clock
from gongkai.dashboards.console_selectors import reminders_for_agency
from gongkai.web.panels import Panel

#: How long a 催报 stays on the 工作台.
NOTICE_DAYS = 60


def panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    reminders = reminders_for_agency(user, since=clock.now() - dt.timedelta(days=NOTICE_DAYS))
    if not reminders:
        return []
    return [
        Panel(title="年报催报", template="dashboards/console_panel.html", context={"reminders": reminders}, order=5)
    ]
