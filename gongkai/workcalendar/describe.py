"""A year's holiday arrangement as text lines, for the year page and ``gongkai calendar show``.

Framework-free: the command line imports it without setting Django up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from gongkai.core.calendar import WEEKDAY_LABELS, EntryKind, WorkingCalendar


def _span(first: date, last: date) -> str:
    if first == last:
        return f"{first.isoformat()}（{WEEKDAY_LABELS[first.weekday()]}）"
    return f"{first.isoformat()} 至 {last.isoformat()}（{(last - first).days + 1}天）"


def describe_year(cal: WorkingCalendar, year: int) -> list[str]:
    """The year's arrangement, one line per holiday: 放假 blocks and 调休上班 days."""
    data = cal.year_data(year)
    src = data.source
    lines = [f"{year}年节假日安排"]
    source = "；".join(x for x in (src.title, src.number, src.url) if x)
    if src.published is not None:
        source += f"；发布于 {src.published.isoformat()}"
    lines.append(f"来源：{source}（{data.origin}）")
    if data.example:
        lines.append("注意：示例数据，不是已发布的节假日安排")
    groups: dict[str, dict[EntryKind, list[date]]] = {}
    for entry in data.sorted_entries():
        groups.setdefault(entry.name, {}).setdefault(entry.kind, []).append(entry.day)
    width = max((len(n) for n in groups), default=2)
    for name, kinds in groups.items():
        parts = []
        if EntryKind.OFF in kinds:
            parts.append("放假 " + "、".join(_span(a, b) for a, b in _runs(kinds[EntryKind.OFF])))
        if EntryKind.WORK in kinds:
            parts.append("调休上班 " + "、".join(_span(d, d) for d in kinds[EntryKind.WORK]))
        lines.append(f"  {name.ljust(width, '　')}  {'；'.join(parts)}")
    total = cal.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))
    lines.append(f"全年工作日：{total}天")
    return lines


def _runs(days: Sequence[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for d in sorted(days):
        if runs and (d - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs
