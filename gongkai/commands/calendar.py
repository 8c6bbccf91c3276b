"""``gongkai calendar``: show a year's holiday arrangement, check a data file (legal spec §5).

Sub-commands: ``show YEAR``, ``check FILE…`` and ``load FILE…``. ``load`` writes into the
database, which the Django side provides: it is reserved here and delegates to
``gongkai.workcalendar.loader.load_command(args) -> int`` when that exists. Another sub-command
is one more ``_register_*`` function in ``SUBCOMMANDS``.

This module also builds the calendar the core commands use (:func:`cli_calendar`): package data,
shipped files, years an administrator loaded into the database (optional hook
``gongkai.workcalendar.loader.extra_years()``), then ``--calendar`` files.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from gongkai.core.calendar import (
    WEEKDAY_LABELS,
    CalendarYear,
    EntryKind,
    WorkingCalendar,
    default_calendar,
    load_calendar_file,
    package_years,
)
from gongkai.core.errors import CalendarDataError, GongkaiError

HOOK_MODULE = "gongkai.workcalendar.loader"


def _hook() -> Any | None:
    """The Django side's loader module, or None when it does not exist or cannot be imported."""
    try:
        return importlib.import_module(HOOK_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name in ("gongkai.workcalendar", HOOK_MODULE):
            return None  # not written yet: the normal case for a core-only install
        _note(exc)
    except Exception as exc:  # e.g. Django not configured: the core commands still work
        _note(exc)
    return None


def _note(exc: BaseException) -> None:
    print(f"提示：未能读取数据库中加载的节假日安排（{type(exc).__name__}: {exc}），只使用内置数据", file=sys.stderr)


def database_years() -> list[CalendarYear]:
    """Years an administrator loaded into the database, or none when there is no database.

    Any failure (Django not configured, no table yet, database down) leaves the command working
    on the built-in data, with a note on stderr.
    """
    module = _hook()
    extra = getattr(module, "extra_years", None) if module is not None else None
    if extra is None:
        return []
    try:
        return list(extra())
    except Exception as exc:  # any database error must not stop a core command
        _note(exc)
        return []


def cli_calendar(files: Iterable[str] = ()) -> WorkingCalendar:
    """The calendar of a command: built-in data, database years, then ``--calendar`` files."""
    loaded = [load_calendar_file(f) for f in files]
    return default_calendar([*database_years(), *loaded])


def add_calendar_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--calendar",
        action="append",
        default=[],
        metavar="FILE",
        help="再加载一年的节假日安排数据文件（可重复；格式见 docs/calendar-format.md）",
    )


# ---------------------------------------------------------------------------------------------
# show
# ---------------------------------------------------------------------------------------------


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


def show(args: argparse.Namespace) -> int:
    cal = cli_calendar(args.calendar)
    print("\n".join(describe_year(cal, args.year)))
    return 0


# ---------------------------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------------------------


def check(args: argparse.Namespace) -> int:
    """Validate data files; every file is checked, errors go to stderr, exit 2 if any failed."""
    built_in = {y.year for y in package_years()}
    failed = 0
    for path in args.files:
        try:
            data = load_calendar_file(path, allow_example=True)
        except CalendarDataError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            failed += 1
            continue
        off = sum(1 for e in data.entries if e.kind is EntryKind.OFF)
        work = len(data.entries) - off
        note = ""
        if data.example:
            note = "；示例文件（example = true），不能加载"
        elif data.year in built_in:
            note = f"；加载后将替换内置的{data.year}年数据"
        src = data.source
        print(f"{path}：格式正确，{data.year}年，放假{off}天，调休上班{work}天；来源：{src.title} {src.number}{note}")
    return 2 if failed else 0


# ---------------------------------------------------------------------------------------------
# load (reserved for the database side)
# ---------------------------------------------------------------------------------------------


def load(args: argparse.Namespace) -> int:
    module = _hook()
    command = getattr(module, "load_command", None) if module is not None else None
    if command is None:
        raise GongkaiError("calendar load 将节假日安排写入数据库，由 gongkai.workcalendar 提供，当前尚不可用")
    return int(command(args) or 0)


# ---------------------------------------------------------------------------------------------
# registration
# ---------------------------------------------------------------------------------------------


def _register_show(sub: Any) -> None:
    p = sub.add_parser("show", help="显示一年的放假和调休上班安排")
    p.add_argument("year", type=int, metavar="YEAR")
    add_calendar_option(p)
    p.set_defaults(func=show)


def _register_check(sub: Any) -> None:
    p = sub.add_parser("check", help="检查节假日安排数据文件（不加载）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=check)


def _register_load(sub: Any) -> None:
    p = sub.add_parser("load", help="把节假日安排数据文件加载到数据库（需要数据库）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=load)


SUBCOMMANDS: tuple[Callable[[Any], None], ...] = (_register_show, _register_check, _register_load)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "calendar",
        help="工作日历：查看、检查节假日安排数据",
        description="工作日历（国务院办公厅部分节假日安排通知）：show 查看一年，check 检查数据文件，load 加载到数据库",
    )
    sub = parser.add_subparsers(dest="calendar_command", metavar="SUBCOMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
