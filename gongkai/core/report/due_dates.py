"""When an agency's annual report is due, and whether it was published on time (条例 art 49).

县级以上人民政府部门 publish by 31 January; 县级以上地方人民政府 (province, city, county) by
31 March (legal spec §3.9). 乡镇人民政府 and 街道办事处 are not named in art 49: their date is
whatever the supervising government sets (many, e.g. 北京, set 31 January, the default here [D]);
an agency's own setting (``MonthDay``, kept on the agency) replaces the default.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class ReportingBody(StrEnum):
    """The kinds of body art 49 gives a date to (plus 乡镇/街道, by local practice)."""

    LOCAL_GOVERNMENT = "local_government"  # 县级以上地方人民政府: art 49 ¶2
    DEPARTMENT = "department"  # 县级以上人民政府部门: art 49 ¶1
    TOWNSHIP = "township"  # 乡镇人民政府、街道办事处: not named in art 49 [D]


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A day of the year after the report's year by which it is due (e.g. 2-28)."""

    month: int
    day: int

    def __post_init__(self) -> None:
        # 2000 is a leap year: 2-29 is accepted and falls back to 2-28 in other years.
        dt.date(2000, self.month, self.day)  # ValueError on 2-30, 13-1 …

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        """ "2-28", "02-28", "2月28日" → MonthDay(2, 28); ValueError otherwise."""
        cleaned = text.strip().replace("月", "-").replace("日", "").replace("/", "-")
        month, sep, day = cleaned.partition("-")
        if not sep or not (month.isdigit() and day.isdigit()):
            raise ValueError(f"日期格式应为“月-日”，如 2-28：{text}")
        return cls(int(month), int(day))

    def in_year(self, year: int) -> dt.date:
        if self.month == 2 and self.day == 29:
            try:
                return dt.date(year, 2, 29)
            except ValueError:
                return dt.date(year, 2, 28)
        return dt.date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month}月{self.day}日"


#: 条例 art 49: 县级以上人民政府部门 by 31 January, 县级以上地方人民政府 by 31 March.
STATUTORY_DUE: dict[ReportingBody, MonthDay] = {
    ReportingBody.DEPARTMENT: MonthDay(1, 31),
    ReportingBody.LOCAL_GOVERNMENT: MonthDay(3, 31),
    ReportingBody.TOWNSHIP: MonthDay(1, 31),  # not in art 49: local practice [D]
}

#: Bodies whose date art 49 fixes: an agency setting cannot move it.
STATUTORY_BODIES: frozenset[ReportingBody] = frozenset({ReportingBody.DEPARTMENT, ReportingBody.LOCAL_GOVERNMENT})


def due_date(body: ReportingBody, year: int, setting: MonthDay | None = None) -> dt.date:
    """Publication deadline of the report for ``year``: 条例 art 49 (31 January / 31 March of year + 1).

    ``setting`` is the date the supervising government set for a 乡镇/街道 (not named in art 49);
    it is ignored for the bodies whose date art 49 fixes.
    """
    if setting is not None and body not in STATUTORY_BODIES:
        return setting.in_year(year + 1)
    return STATUTORY_DUE[body].in_year(year + 1)


class ReportTimeliness(StrEnum):
    """Where a report stands against its art 49 deadline."""

    NOT_DUE = "not_due"  # not published, deadline not passed
    ON_TIME = "on_time"
    LATE = "late"  # published after the deadline
    OVERDUE = "overdue"  # not published and the deadline has passed

    @property
    def label(self) -> str:
        return REPORT_TIMELINESS_LABELS[self]

    @property
    def is_late(self) -> bool:
        return self in (ReportTimeliness.LATE, ReportTimeliness.OVERDUE)


REPORT_TIMELINESS_LABELS: dict[ReportTimeliness, str] = {
    ReportTimeliness.NOT_DUE: "未到期限",
    ReportTimeliness.ON_TIME: "按时发布",
    ReportTimeliness.LATE: "逾期发布",
    ReportTimeliness.OVERDUE: "逾期未发布",
}


@dataclass(frozen=True, slots=True)
class ReportLateness:
    """A report's deadline (条例 art 49), where it stands, and by how many days."""

    due: dt.date
    timeliness: ReportTimeliness
    days_late: int  # days after the deadline (published, or today when still unpublished)
    days_left: int  # days until the deadline when not yet due

    @property
    def badge(self) -> str:
        """CSS class of the badge: bad when late, ok when published on time."""
        if self.timeliness.is_late:
            return "bad"
        return "ok" if self.timeliness is ReportTimeliness.ON_TIME else ""

    @property
    def label(self) -> str:
        if self.timeliness is ReportTimeliness.NOT_DUE:
            return f"{self.timeliness.label}（还有{self.days_left}天）"
        if self.timeliness.is_late:
            return f"{self.timeliness.label}（逾期{self.days_late}天）"
        return self.timeliness.label


def lateness(
    body: ReportingBody,
    year: int,
    *,
    published_on: dt.date | None,
    today: dt.date,
    setting: MonthDay | None = None,
) -> ReportLateness:
    """Whether the report for ``year`` was (or is being) published late: 条例 art 49 (``setting``:
    a 乡镇/街道's date set by its supervising government, see :func:`due_date`)."""
    due = due_date(body, year, setting)
    if published_on is not None:
        late = (published_on - due).days
        return ReportLateness(due, ReportTimeliness.LATE if late > 0 else ReportTimeliness.ON_TIME, max(late, 0), 0)
    if today > due:
        return ReportLateness(due, ReportTimeliness.OVERDUE, (today - due).days, 0)
    return ReportLateness(due, ReportTimeliness.NOT_DUE, 0, (due - today).days)
