"""Working days on the official Chinese calendar: data per year, loadable (legal spec §5).

A working day (工作日) is Monday–Friday not declared 放假, plus a Saturday or Sunday declared 上班
(调休) by the 国务院办公厅《关于YYYY年部分节假日安排的通知》 (spec §5.1 [D]). The calendar holds
one :class:`CalendarYear` per year: the chinesecalendar package's data (2004–2026, read once per
process) and years parsed from data files (``docs/calendar-format.md``) or database rows. A
question about a year that is not loaded raises :class:`CalendarYearMissing`; there is no
silent guess. A caller that cannot wait for a notice opts in to
:func:`with_assumed_years`, which names the years it assumed so that the result is shown as
provisional (暂定).

Counting follows spec §5.2: "自收到…之日起N个工作日" is the N-th working day strictly after the
start day (``nth_working_day_after``), whatever kind of day the start day is.
"""

from __future__ import annotations

import bisect
import re
import threading
import tomllib
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TypeVar

from gongkai.core.errors import CalendarDataError, CalendarYearMissing
from gongkai.core.statutory_holidays import FIRST_YEAR as STATUTORY_FIRST_YEAR
from gongkai.core.statutory_holidays import statutory_holidays

WEEKDAY_LABELS: tuple[str, ...] = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

#: Where data files shipped with gongkai live; only ``YYYY.toml`` is loaded (never ``*.example.toml``).
DATA_DIR = Path(__file__).parent / "data" / "calendar"
FORMAT_ID = "gongkai-calendar/1"


class EntryKind(StrEnum):
    """What a notice says about a date."""

    OFF = "放假"
    WORK = "上班"


class DayKind(StrEnum):
    """What a date is for counting working days."""

    WORKDAY = "workday"  # Monday–Friday, nothing declared
    WEEKEND = "weekend"  # Saturday/Sunday, nothing declared
    HOLIDAY = "holiday"  # declared 放假 (may fall on a weekend inside a holiday block)
    SHIFTED_WORKDAY = "shifted_workday"  # Saturday/Sunday declared 上班 (调休)

    @property
    def label(self) -> str:
        return DAY_KIND_LABELS[self]

    @property
    def is_working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.SHIFTED_WORKDAY)


DAY_KIND_LABELS: dict[DayKind, str] = {
    DayKind.WORKDAY: "工作日",
    DayKind.WEEKEND: "周末",
    DayKind.HOLIDAY: "放假",
    DayKind.SHIFTED_WORKDAY: "调休上班",
}


@dataclass(frozen=True, slots=True)
class DayInfo:
    """A date's kind; ``name`` is the holiday (春节, 国庆节…) for 放假 and 调休上班 days."""

    day: date
    kind: DayKind
    name: str = ""

    @property
    def is_working(self) -> bool:
        return self.kind.is_working

    @property
    def label(self) -> str:
        """Short Chinese description: 工作日, 周末, 春节, 调休上班（春节）."""
        if self.kind is DayKind.HOLIDAY:
            return self.name or DayKind.HOLIDAY.label
        if self.kind is DayKind.SHIFTED_WORKDAY:
            return f"调休上班（{self.name}）" if self.name else DayKind.SHIFTED_WORKDAY.label
        return self.kind.label


@dataclass(frozen=True, slots=True)
class CalendarSource:
    """The notice a year's data comes from."""

    title: str
    number: str = ""  # 文号 (国办发明电〔YYYY〕N号)
    url: str = ""
    published: date | None = None


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One declared date: 放假 or 上班, with the holiday it belongs to."""

    day: date
    kind: EntryKind
    name: str
    line: int | None = None  # line in the data file, for messages


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """The arrangement of one year: the declared dates and where they come from.

    Dates lie in ``year``; the December before is allowed too, because a notice may settle a
    元旦 block that starts in the old year (the 2019 notice declares 2018-12-29 上班 and
    2018-12-30/31 放假). A 放假 date on a weekend is allowed: notices declare whole blocks
    ("2月15日至23日放假调休，共9天") and the block's weekends then carry the holiday's name.
    A 上班 date must be a Saturday or Sunday. Construction validates; errors name ``origin``
    (a file name, "数据库"…) and the entry's line.
    """

    year: int
    source: CalendarSource
    entries: tuple[CalendarEntry, ...]
    origin: str = ""
    example: bool = False
    _by_day: dict[date, CalendarEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_day: dict[date, CalendarEntry] = {}
        for entry in self.entries:
            where = _where(self.origin, entry.line, entry.day)
            if entry.day.year != self.year and not (entry.day.year == self.year - 1 and entry.day.month == 12):
                raise CalendarDataError(
                    f"{where}：日期 {entry.day.isoformat()} 不属于 {self.year} 年（只允许本年及上年12月的日期）"
                )
            if entry.day in by_day:
                first = by_day[entry.day]
                also = f"（第{first.line}行已列出）" if first.line is not None else ""
                raise CalendarDataError(f"{where}：日期 {entry.day.isoformat()} 重复{also}")
            if entry.kind is EntryKind.WORK and entry.day.weekday() < 5:
                raise CalendarDataError(
                    f"{where}：{entry.day.isoformat()} 是{WEEKDAY_LABELS[entry.day.weekday()]}，"
                    "本来就是工作日，不能列为调休上班"
                )
            if not entry.name.strip():
                raise CalendarDataError(f"{where}：缺少节日名称")
            by_day[entry.day] = entry
        object.__setattr__(self, "_by_day", by_day)

    def entry(self, day: date) -> CalendarEntry | None:
        return self._by_day.get(day)

    def sorted_entries(self) -> tuple[CalendarEntry, ...]:
        return tuple(sorted(self.entries, key=lambda e: e.day))


def _where(origin: str, line: int | None, day: date | None = None) -> str:
    name = origin or "节假日数据"
    if line is not None:
        return f"{name} 第{line}行"
    if day is not None:
        return f"{name}（{day.isoformat()}）"
    return name


# ---------------------------------------------------------------------------------------------
# The calendar
# ---------------------------------------------------------------------------------------------


class WorkingCalendar:
    """Working days over the loaded years; raises :class:`CalendarYearMissing` outside them.

    ``years`` are added after the package data (when ``package_data`` is true); a year given
    twice keeps the later one, so a data file or database row replaces the package's year.
    Where two years' data declare the same date (a December spill-over), the later year wins.

    Lookups use a per-day table and prefix sums built when years change, so counting N working
    days is a binary search, not a walk.
    """

    def __init__(self, years: Iterable[CalendarYear] = (), *, package_data: bool = True) -> None:
        self._years: dict[int, CalendarYear] = {}
        if package_data:
            for y in package_years():
                self._years[y.year] = y
        for y in years:
            self._years[y.year] = y
        self._rebuild()

    # -- data ------------------------------------------------------------------------------------

    @property
    def known_years(self) -> frozenset[int]:
        return frozenset(self._years)

    def year_data(self, year: int) -> CalendarYear:
        """The loaded data of ``year``; raises :class:`CalendarYearMissing` if none."""
        try:
            return self._years[year]
        except KeyError:
            raise CalendarYearMissing(year) from None

    def add_year(self, data: CalendarYear) -> None:
        """Load (or replace) one year and rebuild the lookup tables."""
        self._years[data.year] = data
        self._rebuild()

    def copy(self) -> WorkingCalendar:
        return WorkingCalendar(self._years.values(), package_data=False)

    def _rebuild(self) -> None:
        declared: dict[date, CalendarEntry] = {}
        for y in sorted(self._years):
            declared.update(self._years[y]._by_day)
        self._declared = declared
        if not self._years:
            self._base = 0
            self._kinds = bytearray()
            self._cum = [0]
            self._unknown_cum = [0]
            return
        first, last = min(self._years), max(self._years)
        base = date(first, 1, 1).toordinal()
        end = date(last, 12, 31).toordinal()
        kinds = bytearray(end - base + 1)
        cum = [0] * (end - base + 2)
        unknown_cum = [0] * (end - base + 2)
        work_count = unknown = 0
        for i in range(end - base + 1):
            d = date.fromordinal(base + i)
            if d.year in self._years:
                code = _CODE[self._classify(d)]
                work_count += code in (_WORK, _SHIFTED)
            else:
                code = _UNKNOWN
                unknown += 1
            kinds[i] = code
            cum[i + 1] = work_count
            unknown_cum[i + 1] = unknown
        self._base, self._kinds, self._cum, self._unknown_cum = base, kinds, cum, unknown_cum

    def _classify(self, d: date) -> DayKind:
        entry = self._declared.get(d)
        if entry is not None:
            return DayKind.HOLIDAY if entry.kind is EntryKind.OFF else DayKind.SHIFTED_WORKDAY
        return DayKind.WEEKEND if d.weekday() >= 5 else DayKind.WORKDAY

    # -- questions -------------------------------------------------------------------------------

    def _index(self, d: date) -> int:
        """Index of a known day in the tables; raises for a day of an unknown year."""
        if d.year not in self._years:
            raise CalendarYearMissing(d.year)
        return d.toordinal() - self._base

    def _first_unknown_year(self, start: date) -> int:
        y = start.year
        while y in self._years:
            y += 1
        return y

    def require(self, d: date) -> None:
        """Raise :class:`CalendarYearMissing` unless ``d``'s year is loaded."""
        self._index(d)

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (spec §5.1 [D])."""
        return self._kinds[self._index(d)] in (_WORK, _SHIFTED)

    def day_kind(self, d: date) -> DayInfo:
        """What ``d`` is: working day, weekend, holiday (with name) or 调休上班 (with name)."""
        kind = _KIND_OF_CODE[self._kinds[self._index(d)]]
        entry = self._declared.get(d)
        return DayInfo(d, kind, entry.name if entry is not None else "")

    def nth_working_day_after(self, d: date, n: int) -> date:
        """The ``n``-th working day strictly after ``d``: 条例 arts 30, 33 (spec §5.2 [D]).

        The start day is never counted, whatever its kind (民法典 art 201 ¶1 by analogy);
        ``n == 0`` gives ``d``.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return d
        start = d + timedelta(days=1)
        i = start.toordinal() - self._base  # index of the first day examined
        if start.year not in self._years or i < 0:
            raise CalendarYearMissing(start.year)
        target = self._cum[i] + n
        k = bisect.bisect_left(self._cum, target, lo=i + 1)
        if k >= len(self._cum) or self._unknown_cum[k] != self._unknown_cum[i]:
            raise CalendarYearMissing(self._first_unknown_year(start))
        return date.fromordinal(self._base + k - 1)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in the half-open range (a, b]; negative when ``b`` is before ``a`` (spec §5.2 [D]).

        The inverse of :meth:`nth_working_day_after`:
        ``working_days_between(d, nth_working_day_after(d, n)) == n``.
        """
        if b < a:
            return -self.working_days_between(b, a)
        if a == b:
            return 0
        start = a + timedelta(days=1)
        i = start.toordinal() - self._base
        if start.year not in self._years or i < 0:
            raise CalendarYearMissing(start.year)
        j = b.toordinal() - self._base + 1
        if b.year not in self._years or j >= len(self._cum) or self._unknown_cum[j] != self._unknown_cum[i]:
            raise CalendarYearMissing(self._first_unknown_year(start))
        return self._cum[j] - self._cum[i]

    def days(self, first: date, last: date) -> Iterator[DayInfo]:
        """Each day from ``first`` to ``last`` inclusive, with its kind."""
        d = first
        while d <= last:
            yield self.day_kind(d)
            d += timedelta(days=1)


_WORK, _WEEKEND, _HOLIDAY, _SHIFTED, _UNKNOWN = 1, 2, 3, 4, 0
_CODE: dict[DayKind, int] = {
    DayKind.WORKDAY: _WORK,
    DayKind.WEEKEND: _WEEKEND,
    DayKind.HOLIDAY: _HOLIDAY,
    DayKind.SHIFTED_WORKDAY: _SHIFTED,
}
_KIND_OF_CODE: dict[int, DayKind] = {v: k for k, v in _CODE.items()}


# ---------------------------------------------------------------------------------------------
# Package data (chinesecalendar 1.11.0, spec S15)
# ---------------------------------------------------------------------------------------------

#: chinesecalendar names holidays in English; the notices use these names.
_PACKAGE_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}
PACKAGE_SOURCE = CalendarSource(
    title="chinesecalendar 1.11.0 数据（国务院办公厅历年《关于部分节假日安排的通知》）",
    url="https://github.com/LKI/chinese-calendar",
)


@cache
def package_years() -> tuple[CalendarYear, ...]:
    """The chinesecalendar package's years (2004–2026), read once per process."""
    import chinese_calendar

    chinese_of = {h.value: h.chinese for h in chinese_calendar.Holiday}

    def name(value: str) -> str:
        return _PACKAGE_NAMES.get(value) or chinese_of.get(value, value)

    by_year: dict[int, list[CalendarEntry]] = {}
    for d, value in chinese_calendar.holidays.items():
        by_year.setdefault(d.year, []).append(CalendarEntry(d, EntryKind.OFF, name(value)))
    for d, value in chinese_calendar.workdays.items():
        by_year.setdefault(d.year, []).append(CalendarEntry(d, EntryKind.WORK, name(value)))
    first, last = min(by_year), max(by_year)
    return tuple(
        CalendarYear(
            y,
            PACKAGE_SOURCE,
            tuple(sorted(by_year.get(y, []), key=lambda e: e.day)),
            origin=f"chinesecalendar {chinese_calendar.__version__}",
        )
        for y in range(first, last + 1)
    )


# ---------------------------------------------------------------------------------------------
# Data files (docs/calendar-format.md)
# ---------------------------------------------------------------------------------------------

#: A year's file is a few KB; uploads and files larger than this are refused before parsing.
MAX_CALENDAR_CHARS = 256 * 1024
_DAYS_KEY = re.compile(r"^\s*days\s*=\s*(\"\"\"|''')(.*)$")
_KINDS: dict[str, EntryKind] = {k.value: k for k in EntryKind}


def parse_calendar_file(text: str, name: str, *, allow_example: bool = False) -> CalendarYear:
    """Parse one year's data file; :class:`CalendarDataError` names ``name`` and the line.

    The format (TOML with a ``days`` block of ``date, 放假|上班, name`` lines) is described in
    docs/calendar-format.md. A file marked ``example = true`` is refused unless
    ``allow_example`` (it is not a published arrangement).
    """
    if len(text) > MAX_CALENDAR_CHARS:
        raise CalendarDataError(f"{name}：文件超过 {MAX_CALENDAR_CHARS // 1024} KB，不像是一年的节假日安排")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CalendarDataError(f"{name}：不是有效的 TOML（{exc}）") from None
    except RecursionError:
        raise CalendarDataError(f"{name}：不是有效的 TOML（嵌套过深）") from None
    fmt = doc.get("format", FORMAT_ID)
    if fmt != FORMAT_ID:
        raise CalendarDataError(f"{name}：format 应为 “{FORMAT_ID}”，实为 “{fmt}”")
    year = doc.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1949 <= year <= 2200:
        raise CalendarDataError(f"{name}：缺少或无效的 year（应为四位年份整数，如 year = 2027）")
    example = doc.get("example", False)
    if not isinstance(example, bool):
        raise CalendarDataError(f"{name}：example 应为 true 或 false")
    if example and not allow_example:
        raise CalendarDataError(f"{name}：这是示例文件（example = true），不是已发布的节假日安排，不能加载")
    source = _parse_source(doc.get("source"), name)
    days = doc.get("days")
    if not isinstance(days, str):
        raise CalendarDataError(f"{name}：缺少 days（多行字符串，每行“日期, 放假|上班, 节日名称”）")
    unknown = set(doc) - {"format", "year", "example", "source", "days"}
    if unknown:
        raise CalendarDataError(f"{name}：未知的键 {', '.join(sorted(unknown))}")
    first_line = _days_first_line(text)
    entries = []
    for offset, raw in enumerate(days.splitlines()):
        line_no = first_line + offset if first_line is not None else None
        entry = _parse_day_line(raw, name, line_no, offset + 1)
        if entry is not None:
            entries.append(entry)
    if not entries:
        raise CalendarDataError(f"{name}：days 中没有任何日期")
    return CalendarYear(year, source, tuple(entries), origin=name, example=example)


def _parse_source(value: object, name: str) -> CalendarSource:
    if not isinstance(value, dict):
        raise CalendarDataError(f"{name}：缺少 [source]（通知标题 title、文号 number、网址 url、发布日期 published）")
    missing = [k for k in ("title", "number", "url", "published") if k not in value]
    if missing:
        raise CalendarDataError(f"{name}：[source] 缺少 {', '.join(missing)}")
    for key in ("title", "number", "url"):
        if not isinstance(value[key], str) or not value[key].strip():
            raise CalendarDataError(f"{name}：[source] {key} 应为非空字符串")
    published = value["published"]
    if not isinstance(published, date) or hasattr(published, "hour"):
        raise CalendarDataError(f"{name}：[source] published 应为日期（如 published = 2026-11-04，不加引号）")
    unknown = set(value) - {"title", "number", "url", "published"}
    if unknown:
        raise CalendarDataError(f"{name}：[source] 未知的键 {', '.join(sorted(unknown))}")
    return CalendarSource(value["title"].strip(), value["number"].strip(), value["url"].strip(), published)


def _days_first_line(text: str) -> int | None:
    """File line number of the first line inside the ``days`` string (TOML drops a leading newline)."""
    for number, line in enumerate(text.splitlines(), start=1):
        m = _DAYS_KEY.match(line)
        if m:
            return number + 1 if m.group(2).strip() == "" else number
    return None


def _parse_day_line(raw: str, name: str, line_no: int | None, offset: int) -> CalendarEntry | None:
    text = raw.split("#", 1)[0].strip()
    if not text:
        return None
    where = f"{name} 第{line_no}行" if line_no is not None else f"{name} days 第{offset}行"
    parts = [p.strip() for p in re.split(r"[,，]", text)]
    if len(parts) != 3:
        raise CalendarDataError(f"{where}：应为“日期, 放假|上班, 节日名称”三项，实为 “{text}”")
    day_text, kind_text, holiday = parts
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise CalendarDataError(f"{where}：无效日期 “{day_text}”（应为 YYYY-MM-DD）") from None
    if len(day_text) != 10:
        raise CalendarDataError(f"{where}：无效日期 “{day_text}”（应为 YYYY-MM-DD）")
    kind = _KINDS.get(kind_text)
    if kind is None:
        raise CalendarDataError(f"{where}：第二项应为“放假”或“上班”，实为 “{kind_text}”")
    if not holiday:
        raise CalendarDataError(f"{where}：缺少节日名称")
    return CalendarEntry(day, kind, holiday, line_no)


def load_calendar_file(path: Path | str, *, allow_example: bool = False) -> CalendarYear:
    """Read and parse a data file; unreadable files raise :class:`CalendarDataError`."""
    p = Path(path)
    try:
        with p.open("rb") as handle:  # bounded: st_size is 0 for a pipe or /dev/zero
            raw = handle.read(MAX_CALENDAR_CHARS + 1)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarDataError(f"{p}：无法读取（{exc}）") from None
    return parse_calendar_file(text, str(p), allow_example=allow_example)


@cache
def shipped_years() -> tuple[CalendarYear, ...]:
    """Years shipped as ``gongkai/core/data/calendar/YYYY.toml`` (examples are never loaded)."""
    files = sorted(DATA_DIR.glob("[0-9][0-9][0-9][0-9].toml")) if DATA_DIR.is_dir() else []
    return tuple(load_calendar_file(f) for f in files)


def default_calendar(extra: Iterable[CalendarYear] = ()) -> WorkingCalendar:
    """Package data, then shipped data files, then ``extra`` (database rows, ``--calendar`` files)."""
    return WorkingCalendar([*shipped_years(), *extra])


# ---------------------------------------------------------------------------------------------
# Assumed years: counting into a year whose notice is not published yet (legal spec §5.4)
# ---------------------------------------------------------------------------------------------

_T = TypeVar("_T")

#: How far past the last published year a count may run on assumed years.
MAX_ASSUMED_YEARS = 2

ASSUMED_SOURCE = CalendarSource(
    title="暂定：该年节假日安排尚未发布，暂按《全国年节及纪念日放假办法》规定的法定假日及周六、周日休息计算，"
    "补假、调休未知"
)


def assumed_year(year: int) -> CalendarYear:
    """A provisional year for counts that cannot wait for the notice (legal spec §5.4).

    The statutory holidays that are certain (全国年节及纪念日放假办法 2024 第二条; see
    :mod:`gongkai.core.statutory_holidays`) are 放假; weekends are rest days; 补假 (第六条) and
    调休 (第七条) are unknown, so results counted over it stay 暂定.
    """
    entries = tuple(
        CalendarEntry(day, EntryKind.OFF, f"{name}（暂定）")
        for day, name in (statutory_holidays(year) if year >= STATUTORY_FIRST_YEAR else ())
    )
    return CalendarYear(year, ASSUMED_SOURCE, entries, origin=f"{year}年（暂定）")


_assumed_lock = threading.Lock()
_assumed_calendars: weakref.WeakKeyDictionary[WorkingCalendar, dict[tuple[int, ...], WorkingCalendar]] = (
    weakref.WeakKeyDictionary()
)


def _calendar_assuming(calendar: WorkingCalendar, years: tuple[int, ...]) -> WorkingCalendar:
    """``calendar`` plus assumed ``years``, built once per calendar (a rebuild costs ~15 ms)."""
    with _assumed_lock:
        built = _assumed_calendars.setdefault(calendar, {})
        found = built.get(years)
        if found is None:
            data = [calendar.year_data(y) for y in sorted(calendar.known_years)]
            found = WorkingCalendar([*data, *(assumed_year(y) for y in years)], package_data=False)
            built[years] = found
        return found


def with_assumed_years(
    calendar: WorkingCalendar, compute: Callable[[WorkingCalendar], _T]
) -> tuple[_T, tuple[int, ...]]:
    """``compute(calendar)``; on a missing year after the last known one, retry with it assumed.

    Legal spec §5.4: the 国务院办公厅 notice of a year comes out in the autumn before it, yet a
    20-working-day answer period received in December already runs into that year. Refusing to
    give a due date would leave the officer without one; guessing silently would present a
    guess as the law. So the count assumes the unpublished year has only the holidays the 放假办法
    fixes and weekends (:func:`assumed_year`), at most :data:`MAX_ASSUMED_YEARS` years past the last known one, and returns the
    years it assumed so that the caller marks the result 暂定 and recomputes it once the year
    is loaded. Returns the result and the assumed years (empty when the result is final). A
    missing year before the known ones (a date before 2004) is an error, raised as is.
    """
    current = calendar
    assumed: tuple[int, ...] = ()
    while True:
        try:
            return compute(current), assumed
        except CalendarYearMissing as exc:
            known = current.known_years
            if not known or exc.year <= max(known) or len(assumed) >= MAX_ASSUMED_YEARS:
                raise
            assumed = (*assumed, exc.year)
            current = _calendar_assuming(calendar, assumed)
