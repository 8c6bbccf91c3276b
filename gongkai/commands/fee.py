"""``gongkai fee``: 信息处理费 of one application (国办函〔2020〕109号, legal spec §2).

The first line is the total in yuan ("3000 元"); the tier breakdown for the 收费通知 follows.
"""

from __future__ import annotations

import argparse
from typing import Any


def handle(args: argparse.Namespace) -> int:
    from gongkai.core.fees import compute_fee  # the core's fee tables: only when computing

    breakdown = compute_fee(pieces=args.pieces, earlier=args.earlier, pages=args.pages)
    print(f"{breakdown.total} 元")
    print("\n".join(breakdown.describe()))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "fee",
        help="计算信息处理费（按件或按量，超额累进）",
        description="信息处理费：按件计收（--pieces，可加 --earlier）或按量计收（--pages），只能选一种（国办函〔2020〕109号第三条）。",
    )
    p.add_argument("--pieces", type=int, metavar="N", help="本次申请的件数（按“一事一申请”拆分后）")
    p.add_argument("--earlier", type=int, default=0, metavar="K", help="同一申请人本自然月在本机关此前已计的件数")
    p.add_argument("--pages", type=int, metavar="P", help="按量计收的页数")
    p.set_defaults(func=handle)
