"""``manage.py case_tally --rebuild | --check``: the summary rows of tables 三/四.

``--rebuild`` recomputes them from the cases and reviews (after a bulk load that bypassed the
triggers, e.g. a restored dump); ``--check`` compares them with the live aggregate and fails
(exit status 1) naming the keys that differ. See ``gongkai.cases.tally``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.cases.tally import differences, install_triggers, rebuild


class Command(BaseCommand):
    help = "表三／表四汇总行：--rebuild 由案件和复议诉讼记录重算；--check 与实时统计核对"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true", help="由记录重算全部汇总行")
        group.add_argument("--check", action="store_true", help="核对汇总行与实时统计，不一致时失败")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            install_triggers()
            for table, rows in rebuild().items():
                self.stdout.write(f"{table}: {rows} 行")
            return
        wrong = differences()
        for table, keys in wrong.items():
            for key, (stored, live) in sorted(keys.items(), key=str)[:20]:
                self.stdout.write(f"{table} {key}: 汇总 {stored}，实际 {live}")
        total = sum(len(keys) for keys in wrong.values())
        if total:
            raise CommandError(f"汇总行与实时统计不一致：{total} 处")
        self.stdout.write("汇总行与实时统计一致")
