"""``gongkai remind``: e-mail officers about answers due in 2 working days and overdue ones, and send
again the applicant's messages that failed (cron: daily, or more often for the retries).

Needs the database. ``--today DATE`` runs as of another day (testing); ``--dry-run`` sends nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from gongkai.commands._args import iso_date
from gongkai.djangosetup import setup_django


def handle(args: argparse.Namespace) -> int:
    setup_django()
    from gongkai import clock
    from gongkai.cases.notifications import retry_failed_notifications
    from gongkai.cases.reminders import send_reminders

    result = send_reminders(today=args.today or clock.today(), dry_run=args.dry_run)
    print("\n".join(result.lines()))
    if not args.dry_run:
        print("\n".join(retry_failed_notifications(now=clock.now()).lines()))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "remind", help="发送答复期限提醒邮件（2个工作日内到期、已逾期）并重发失败的申请人通知，供定时运行"
    )
    p.add_argument("--today", type=iso_date, metavar="DATE", help="按该日计算（默认今天）")
    p.add_argument("--dry-run", action="store_true", help="只列出，不发送")
    p.set_defaults(func=handle)
