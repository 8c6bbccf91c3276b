"""``gongkai calendar``: show a year's holiday arrangement, check a data file (legal spec §5).

Sub-commands: ``show YEAR``, ``check FILE…`` and ``load FILE…``. ``load`` writes into the
database through the use case ``gongkai.cases.due_dates.load_calendar_year`` (store the year,
recompute open cases' due dates). Another sub-command is one more ``_register_*`` function in
``SUBCOMMANDS``.

This module also builds the calendar the core commands use (:func:`cli_calendar`): package data,
shipped files, years an administrator loaded into the database
(``gongkai.workcalendar.loader.extra_years``, none without a database), then ``--calendar`` files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.commands._args import year as year_arg
from gongkai.core.errors import CalendarDataError
from gongkai.djangosetup import setup_django

if TYPE_CHECKING:
    from gongkai.core.calendar import CalendarYear, WorkingCalendar

# Django and the calendar data are imported by the handlers: `gongkai --help` and the commands
# that never touch a calendar do not pay for them (gongkai/cli.py).


def _note(exc: BaseException) -> None:
    print(f"提示：未能读取数据库中加载的节假日安排（{type(exc).__name__}: {exc}），只使用内置数据", file=sys.stderr)


def database_years() -> list[CalendarYear]:
    """Years an administrator loaded into the database, or none when the database cannot be read.

    The core commands (``deadline``, ``calendar show``) need no database: when it is not
    configured or not reachable they work on the built-in data, with a note on stderr. Any
    other error is a fault and is raised.
    """
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        setup_django()
        from gongkai.workcalendar.loader import extra_years  # imports models: only after set-up

        return extra_years()
    except (DatabaseError, ImproperlyConfigured) as exc:
        _note(exc)
        return []


def cli_calendar(files: Iterable[str] = ()) -> WorkingCalendar:
    """The calendar of a command: built-in data, database years, then ``--calendar`` files."""
    from gongkai.core.calendar import default_calendar, load_calendar_file

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


def show(args: argparse.Namespace) -> int:
    from gongkai.workcalendar.describe import describe_year

    cal = cli_calendar(args.calendar)
    print("\n".join(describe_year(cal, args.year)))
    return 0


# ---------------------------------------------------------------------------------------------
# check
# ---------------------------------------------------------------------------------------------


def check(args: argparse.Namespace) -> int:
    """Validate data files; every file is checked, errors go to stderr, exit 2 if any failed."""
    from gongkai.core.calendar import EntryKind, load_calendar_file, package_years

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
# load
# ---------------------------------------------------------------------------------------------


def load(args: argparse.Namespace) -> int:
    """Load each file into the database; open cases' due dates are recomputed (legal spec §5.4).

    Runs inline (the web upload runs the same use case as a background job), its progress on
    stderr. Every file is tried; errors (naming file and line) go to stderr; exit 2 if any failed.
    """
    setup_django()
    from django.utils import timezone

    from gongkai.cases.due_dates import load_calendar_year  # imports models: only after set-up
    from gongkai.core.calendar import load_calendar_file

    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            data = load_calendar_file(path)
            text = path.read_text(encoding="utf-8")
        except (CalendarDataError, OSError, UnicodeDecodeError) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            failed += 1
            continue
        result = load_calendar_year(
            actor=None, data=data, text=text, file_name=path.name, today=timezone.localdate(), progress=_progress()
        )
        print(result.summary())
        for line in result.moved_lines():
            print(f"  {line}")
    return 2 if failed else 0


def _progress(interval: float = 1.0) -> Callable[[int, int, str], None]:
    """The recompute's progress on stderr, at most once a ``interval`` seconds (and at the end)."""
    import time

    last = [0.0]

    def report(done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= interval:
            last[0] = now
            print(f"  …{message}", file=sys.stderr, flush=True)

    return report


# ---------------------------------------------------------------------------------------------
# registration
# ---------------------------------------------------------------------------------------------


def _register_show(sub: Any) -> None:
    p = sub.add_parser("show", help="显示一年的放假和调休上班安排")
    p.add_argument("year", type=year_arg, metavar="YEAR")
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
