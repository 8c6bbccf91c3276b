"""Was an item published in time? 条例 art 26: within 20 working days of being formed or changed.

The working calendar is the official one (``gongkai.core.calendar``) with the years an
administrator loaded (``gongkai.workcalendar``). A date in a year that is not loaded cannot be
judged: the answer is "无法判断（日历未载入）", never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.core.calendar import WorkingCalendar
from gongkai.core.errors import CalendarYearMissing

#: 条例 art 26: "应当自该政府信息形成或者变更之日起20个工作日内及时公开".
PUBLICATION_WORKING_DAYS = 20
UNKNOWN_MESSAGE = "无法判断（日历未载入）"


def working_calendar() -> WorkingCalendar:
    """The official calendar with the years loaded in the database (``gongkai.workcalendar``)."""
    from gongkai.workcalendar.provider import working_calendar as with_loaded_years

    return with_loaded_years()


@dataclass(frozen=True, slots=True)
class Timeliness:
    """Working days from 成文日期 to 发布日期, and whether that is more than art 26 allows.

    ``working_days`` and ``late`` are None when the calendar lacks a year in between.
    """

    working_days: int | None
    late: bool | None
    deadline: date | None
    missing_year: int | None = None

    @property
    def message(self) -> str:
        if self.late is None:
            return UNKNOWN_MESSAGE
        if self.late:
            return (
                f"成文后第{self.working_days}个工作日发布，超过条例第二十六条规定的"
                f"{PUBLICATION_WORKING_DAYS}个工作日"
                + (
                    f"（应于{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日前公开）"
                    if self.deadline
                    else ""
                )
            )
        return f"成文后第{self.working_days}个工作日发布，符合条例第二十六条"

    @property
    def css(self) -> str:
        return "warn" if self.late is None else "bad" if self.late else "ok"


def timeliness(formed_on: date, published_on: date, calendar: WorkingCalendar | None = None) -> Timeliness:
    """Publication within 20 working days of formation: 条例 art 26.

    The formation day is not counted (spec §5.2): published on the 20th working day after it is
    in time, on the 21st is late.
    """
    cal = calendar if calendar is not None else working_calendar()
    try:
        days = cal.working_days_between(formed_on, published_on)
    except CalendarYearMissing as exc:
        return Timeliness(None, None, None, exc.year)
    try:
        deadline: date | None = cal.nth_working_day_after(formed_on, PUBLICATION_WORKING_DAYS)
    except CalendarYearMissing:
        deadline = None  # in time anyway: the deadline lies beyond the known (and counted) days
    return Timeliness(days, days > PUBLICATION_WORKING_DAYS, deadline)
