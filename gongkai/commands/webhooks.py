"""``gongkai webhooks deliver``: send the webhook deliveries that are due, with backoff (cron:
every minute; the after-commit thread sends most at once, this retries the rest)."""

from __future__ import annotations

import argparse
from typing import Any

from gongkai.djangosetup import setup_django


def _deliver(args: argparse.Namespace) -> int:
    setup_django()
    from gongkai.apiclients.webhooks import deliver_due_webhooks

    counts = deliver_due_webhooks(limit=args.limit)
    print(f"已送达 {counts['delivered']} 条，待重试 {counts['retry']} 条，已放弃 {counts['failed']} 条")
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("webhooks", help="投递接口客户端的回调事件")
    sub = p.add_subparsers(dest="action", required=True, metavar="{deliver}")
    deliver = sub.add_parser("deliver", help="发送到期的回调（失败的按指数退避重试），供定时运行")
    deliver.add_argument("--limit", type=int, default=500, metavar="N", help="本次最多发送条数（默认 500）")
    deliver.set_defaults(func=_deliver)
