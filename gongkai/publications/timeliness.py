"""The working calendar that 条例 art 26 is judged on here: the official one with the years an
administrator loaded (``gongkai.workcalendar``). The rule itself is the core's
(``gongkai.core.publication_timeliness``).
"""

from __future__ import annotations

from gongkai.core.calendar import WorkingCalendar


def working_calendar() -> WorkingCalendar:
    """The official calendar with the years loaded in the database (``gongkai.workcalendar``)."""
    from gongkai.workcalendar.provider import working_calendar as with_loaded_years

    return with_loaded_years()
