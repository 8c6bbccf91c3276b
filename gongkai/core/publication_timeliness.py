"""Was an item published in time? 条例 art 26: within 20 working days of being formed or changed.

Counted on a :class:`~gongkai.core.calendar.WorkingCalendar` passed in. A date in a year the
calendar does not know cannot be judged: the answer is "无法判断（日历未载入）", never an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.core.calendar import WorkingCalendar
from gongkai.core.errors import CalendarYearMissing

#: 条例 art 26: "应当自该政府信息形成或者变更之日起20个工作日内及时公开".
PUBLICATION_WORKING_DAYS = 20
UNKNOWN_MESSAGE = "无法判断（日历未载入）"


@dataclass(frozen=True, slots=True)
class PublicationTimeliness:
    """Working days from 成文日期 to 发布日期, and whether that is more than art 26 allows.

    ``working_days`` and ``late`` are None when the calendar lacks a year in between.
    """

    working_days: int | None
    late: bool | None
    deadline: date | None
    missing_year: int | None = None

    @property
    def message(self) -> str:
        """The finding in Chinese, citing 条例 art 26."""
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


def timeliness(formed_on: date, published_on: date, calendar: WorkingCalendar) -> PublicationTimeliness:
    """Publication within 20 working days of formation: 条例 art 26.

    The formation day is not counted (spec §5.2): published on the 20th working day after it is
    in time, on the 21st is late.
    """
    try:
        days = calendar.working_days_between(formed_on, published_on)
    except CalendarYearMissing as exc:
        return PublicationTimeliness(None, None, None, exc.year)
    try:
        deadline: date | None = calendar.nth_working_day_after(formed_on, PUBLICATION_WORKING_DAYS)
    except CalendarYearMissing:
        deadline = None  # in time anyway: the deadline lies beyond the known (and counted) days
    return PublicationTimeliness(days, days > PUBLICATION_WORKING_DAYS, deadline)
