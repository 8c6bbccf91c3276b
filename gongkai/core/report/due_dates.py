"""When an agency's annual report is due, and whether it was published on time (条例 art 49).

县级以上人民政府部门 publish by 31 January; 县级以上地方人民政府 (province, city, county) by
31 March (legal spec §3.9). 乡镇人民政府 and 街道办事处 are not named in art 49; the localities that
require their reports (e.g. 北京) set 31 January, which is used here [D].
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


def due_date(body: ReportingBody, year: int) -> dt.date:
    """Publication deadline of the report for ``year``: 条例 art 49 (31 January / 31 March of year + 1)."""
    if body is ReportingBody.LOCAL_GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


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


def lateness(body: ReportingBody, year: int, *, published_on: dt.date | None, today: dt.date) -> ReportLateness:
    """Whether the report for ``year`` was (or is being) published late: 条例 art 49."""
    due = due_date(body, year)
    if published_on is not None:
        late = (published_on - due).days
        return ReportLateness(due, ReportTimeliness.LATE if late > 0 else ReportTimeliness.ON_TIME, max(late, 0), 0)
    if today > due:
        return ReportLateness(due, ReportTimeliness.OVERDUE, (today - due).days, 0)
    return ReportLateness(due, ReportTimeliness.NOT_DUE, 0, (due - today).days)
