"""An agency's own figures for its dashboard: when an answer was on time, when a case was overdue.

The rules here are the law's; ``gongkai.dashboards.agency_selectors`` counts them in the database
with filters that mirror these functions one for one (its tests hold the two together).

- On time (条例 art 33 ¶2): an application is answered on time when it is closed on or before
  its answer due date. The due date is the one the case's clock stored
  (``gongkai.core.deadlines``): the 20th working day after receipt, moved by 补正 (art 30) and by
  the days a consultation did not count (art 33 ¶3), and moved on by an extension the
  工作机构负责人 approved (art 33 ¶2, at most 20 working days) or by a 延迟答复 date (art 35).
  So a case closed after its original due date but within an approved extension is on time
  (counted apart, as 延长期限内办结), and a case closed after its extended due date is late.
  A case closed before its clock started (never confirmed, art 31; never corrected, art 30)
  had no period to keep and is counted in neither.
- Overdue at a day (art 33): received by that day, its due date before it, not closed by it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Timeliness(StrEnum):
    """How a closed case kept its statutory period."""

    IN_PERIOD = "in_period"  # closed by its due date, no extension (art 33 ¶2)
    IN_EXTENSION = "in_extension"  # closed by a due date an approved extension or 延迟答复 moved (arts 33 ¶2, 35)
    LATE = "late"  # closed after its (extended) due date
    NO_PERIOD = "no_period"  # closed before its clock started (arts 30, 31): not counted

    @property
    def label(self) -> str:
        return TIMELINESS_LABELS[self]

    @property
    def on_time(self) -> bool:
        return self in ON_TIME


TIMELINESS_LABELS: dict[Timeliness, str] = {
    Timeliness.IN_PERIOD: "法定期限内办结",
    Timeliness.IN_EXTENSION: "延长期限内办结",
    Timeliness.LATE: "逾期办结",
    Timeliness.NO_PERIOD: "未起算期限",
}

#: The classes that count as on time.
ON_TIME = frozenset({Timeliness.IN_PERIOD, Timeliness.IN_EXTENSION})
#: The classes the on-time rate is taken over (its denominator).
COUNTED = frozenset({Timeliness.IN_PERIOD, Timeliness.IN_EXTENSION, Timeliness.LATE})

#: Said under the on-time chart: how the figure is computed.
ON_TIME_EXPLANATION = (
    "按时办结率＝在答复期限内办结的件数÷有答复期限的办结件数。答复期限为自收到申请之日起20个工作日"
    "（条例第三十三条第二款），补正、征求意见不计入期限（第三十条、第三十三条第三款）；"
    "经负责人批准延长（不超过20个工作日）或依第三十五条确定延迟答复期限的，以延长后的期限为准："
    "超过原期限、但在延长后的期限内办结的计为按时（单列“延长期限内办结”），超过延长后期限的计为逾期。"
    "未起算期限即办结的（未确认收到、未补正）不计入。"
)


def closing_timeliness(closed_on: date, due_on: date | None, *, extended: bool) -> Timeliness:
    """How a case closed on ``closed_on`` kept its period: 条例 art 33 ¶2 (extension), art 35.

    ``due_on`` is the case's final due date (extensions included); ``extended`` is true when an
    approved extension or a 延迟答复 date set it. The due day itself is still on time.
    """
    if due_on is None:
        return Timeliness.NO_PERIOD
    if closed_on > due_on:
        return Timeliness.LATE
    return Timeliness.IN_EXTENSION if extended else Timeliness.IN_PERIOD


def overdue_at(day: date, *, received_on: date | None, due_on: date | None, closed_on: date | None) -> bool:
    """Was the case overdue at the end of ``day``? 条例 art 33: past its due date and not answered.

    Received by ``day``, due before ``day`` (the due day itself is not overdue), still open at
    the end of ``day``. A case without a running clock (no receipt, waiting for 补正) is not.
    """
    if received_on is None or due_on is None or received_on > day:
        return False
    if closed_on is not None and closed_on <= day:
        return False
    return due_on < day


def on_time_rate(on_time: int, late: int) -> float | None:
    """The on-time share in per cent (one decimal), None when nothing was counted."""
    counted = on_time + late
    if counted <= 0:
        return None
    return round(100.0 * on_time / counted, 1)


@dataclass(frozen=True, slots=True)
class MonthPoint:
    """A month of the year and the day its figures are taken at (its last day, or today)."""

    month: int
    day: date

    @property
    def label(self) -> str:
        return f"{self.month}月"


def month_points(year: int, today: date) -> list[MonthPoint]:
    """The months of ``year`` that have begun by ``today``, each with its month-end day.

    A past year has twelve; the current year stops at today's month, whose point is ``today``
    itself (its end has not come yet); a future year has none.
    """
    points: list[MonthPoint] = []
    for month in range(1, 13):
        first = date(year, month, 1)
        if first > today:
            break
        last = date(year, month, calendar.monthrange(year, month)[1])
        points.append(MonthPoint(month, min(last, today)))
    return points
