"""条例 art 26: published within 20 working days of formation, counted on the official calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.calendar import WorkingCalendar
from gongkai.core.publication_timeliness import UNKNOWN_MESSAGE, timeliness

CAL = WorkingCalendar()  # package data: 2004–2026


@pytest.mark.parametrize(
    ("formed", "published", "days", "late"),
    [
        # 2026-03-02 (Mon) + 20 working days = 2026-03-30 (spec §5.2 vector)
        (dt.date(2026, 3, 2), dt.date(2026, 3, 30), 20, False),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 31), 21, True),
        # Across the 2026 春节 holiday (02-15…02-23 off, 02-14 and 02-28 worked): 20th day is 03-19
        (dt.date(2026, 2, 13), dt.date(2026, 3, 19), 20, False),
        (dt.date(2026, 2, 13), dt.date(2026, 3, 20), 21, True),
        # Across the year end
        (dt.date(2025, 12, 31), dt.date(2026, 1, 29), 20, False),
        (dt.date(2023, 5, 10), dt.date(2023, 5, 10), 0, False),
    ],
)
def test_twenty_working_days(formed, published, days, late) -> None:  # type: ignore[no-untyped-def]
    check = timeliness(formed, published, CAL)
    assert (check.working_days, check.late) == (days, late)
    assert ("超过" in check.message) is late


def test_year_not_loaded_is_reported_not_raised() -> None:
    check = timeliness(dt.date(2026, 12, 20), dt.date(2027, 1, 15), CAL)
    assert check.late is None and check.working_days is None and check.missing_year == 2027
    assert check.message == UNKNOWN_MESSAGE == "无法判断（日历未载入）"


def test_in_time_even_when_the_deadline_falls_in_an_unloaded_year() -> None:
    check = timeliness(dt.date(2026, 12, 21), dt.date(2026, 12, 28), CAL)
    assert check.late is False and check.working_days == 5 and check.deadline is None
