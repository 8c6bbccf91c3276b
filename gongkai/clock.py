"""The one seam for "now" outside the rules: views, panels, commands and the API ask here.

Rules and services take ``today`` / ``now`` as arguments (time is passed in); only the edges ask
the clock, and tests set the day by patching ``gongkai.clock.today`` (or ``now``). Callers write
``clock.today()`` (module attribute), never ``from gongkai.clock import today``, so a patch reaches them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The local date in ``settings.TIME_ZONE`` (Asia/Shanghai)."""
    return timezone.localdate()


def now() -> dt.datetime:
    """The current aware datetime."""
    return timezone.now()
