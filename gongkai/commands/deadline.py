"""``gongkai deadline``: the answer due date of an application, without a database (条例 arts 30–33).

The first line of output is the due date (YYYY-MM-DD); ``--explain`` adds the intermediate dates
and the day-by-day trace. Errors (a calendar year not loaded, an extension over 20 working
days) exit with status 2.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from gongkai.commands._args import iso_date
from gongkai.commands.calendar import add_calendar_option, cli_calendar

if TYPE_CHECKING:
    from gongkai.core.deadlines import ClockEvent


def _range(text: str) -> tuple[date, date]:
    start, sep, end = text.partition("..")
    if not sep:
        raise argparse.ArgumentTypeError(f"无效期间 “{text}”（应为 START..END，如 2026-03-02..2026-03-06）")
    return iso_date(start), iso_date(end)


def handle(args: argparse.Namespace) -> int:
    from gongkai.core.deadlines import Consultation, CorrectionReceived, Extension, compute_deadline

    calendar = cli_calendar(args.calendar)
    events: list[ClockEvent] = []
    if args.corrected is not None:
        events.append(CorrectionReceived(args.corrected))
    events.extend(Consultation(start, end) for start, end in args.pause)
    if args.extend is not None:
        # The command assumes the extension was approved in time (on the day of receipt).
        events.append(Extension(args.extend, args.received))
    result = compute_deadline(args.received, events, calendar=calendar, explain=args.explain)
    assert result.due_on is not None  # no pending correction request can be given here
    print(result.due_on.isoformat())
    if args.explain:
        print(result.explain())
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "deadline",
        help="计算依申请公开的答复期限（条例第三十条至第三十五条）",
        description="计算答复期限：收到申请之日不计入，自次日起第20个工作日（条例第三十三条）。",
    )
    p.add_argument("--received", type=iso_date, required=True, metavar="DATE", help="收到申请之日（条例第三十一条）")
    p.add_argument(
        "--corrected", type=iso_date, metavar="DATE", help="收到补正之日：答复期限自此重新计算（条例第三十条）"
    )
    p.add_argument(
        "--pause",
        type=_range,
        action="append",
        default=[],
        metavar="START..END",
        help="不计算的期间（征求意见，条例第三十三条第三款），首尾两日均不计；可重复",
    )
    p.add_argument("--extend", type=int, metavar="N", help="延长N个工作日（N≤20，条例第三十三条第二款）")
    p.add_argument("--explain", action="store_true", help="列出各期限和逐日计算过程")
    add_calendar_option(p)
    p.set_defaults(func=handle)
