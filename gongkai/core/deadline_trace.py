"""The day-by-day explanation of an answer due date, in Chinese: 条例 arts 30, 31, 33, 35.

``gongkai.core.deadlines`` counts; this module walks the same days again and says for each one
whether it counted and why (holiday, 调休 working day, paused for a consultation, waiting for a
correction), so an officer or a reviewer can check the count by hand. It applies the counting rule
of :func:`gongkai.core.deadlines.count_working_days` and is only called from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from gongkai.core.calendar import WEEKDAY_LABELS, DayKind, WorkingCalendar


def cn_date(d: date) -> str:
    """A date as Chinese documents write it: 2026年3月19日 (GB/T 9704-2012 7.3.5.3 style, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True, slots=True)
class TraceDay:
    """One calendar day of the explanation: its kind, the running count (None if not counted), why."""

    day: date
    kind: DayKind
    counted: int | None
    note: str

    def line(self) -> str:
        return f"{cn_date(self.day)} {WEEKDAY_LABELS[self.day.weekday()]}  {self.note}"


class PausedSpan(Protocol):
    """Days not counted (``gongkai.core.deadlines.Pause``): the range, what it is, its provision."""

    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...

    @property
    def label(self) -> str: ...

    @property
    def basis(self) -> str: ...


def trace_days(
    calendar: WorkingCalendar,
    *,
    received_on: date,
    clock_start: date | None,
    last: date,
    paused: Sequence[tuple[date, date]],
    pauses: Sequence[PausedSpan],
    marks: Mapping[date, Sequence[str]],
    total: int,
    answer_days: int,
    delayed: bool,
    correction_requested_on: date | None = None,
) -> tuple[TraceDay, ...]:
    """Each day from receipt to ``last``, counted or skipped and why: 条例 arts 30, 31, 33 ¶3, 35.

    ``paused`` are the merged inclusive ranges the count skipped, ``pauses`` the named pauses
    behind them; ``total`` is the number of working days counted (20, plus an extension), of which
    the first ``answer_days`` are the art 33 ¶2 period. After ``total`` comes the art 35 delay when
    ``delayed``. ``marks`` are the notes to append to a day (milestones).

    With a 补正 (art 30), the days before the notice went out are the agency's review of the
    application, and the days from the notice to the corrected application are the applicant's:
    neither counts, since the answer period starts again from the corrected application.
    """
    pause_labels = {(p.start, p.end): (p.label, p.basis) for p in pauses}
    out: list[TraceDay] = []
    count = 0
    for info in calendar.days(received_on, last):
        d = info.day
        inside = [lb for (s, e), lb in pause_labels.items() if s <= d <= e]
        pause = list(dict.fromkeys(label for label, _ in inside))
        bases = "；".join(dict.fromkeys(basis for _, basis in inside))
        counted: int | None = None
        if d == received_on:
            note = "收到申请之日，不计入（条例第三十一条、民法典第二百零一条）"
        elif correction_requested_on is not None and d < correction_requested_on:
            note = "补正告知发出前的审查期间；答复期限自收到补正之日起重新计算，不计（条例第三十条）"
        elif clock_start is None or d < clock_start:
            note = "等待申请人补正，不计"
        elif d == clock_start:
            note = "收到补正之日，不计入；答复期限自此重新计算（条例第三十条）"
        elif any(s <= d <= e for s, e in paused) and (count < total or not delayed):
            note = "、".join([*([info.label] if not info.is_working else []), *pause]) + f"，不计（{bases}）"
        elif count >= total:
            note = f"{info.label}（条例第三十五条延迟答复期间）"
        elif info.is_working:
            count += 1
            counted = count
            prefix = f"{info.label}，" if info.kind is DayKind.SHIFTED_WORKDAY else ""
            extra = f"（延长期限第{count - answer_days}个）" if count > answer_days else ""
            note = f"{prefix}第{count}个工作日{extra}"
        else:
            note = f"{info.label}，不计"
        if d in marks:
            note += " —— " + "；".join(marks[d])
        out.append(TraceDay(d, info.kind, counted, note))
    return tuple(out)
