"""``gongkai report --agency NAME_OR_CODE --year YEAR``: an agency's annual report from the database.

The tables are computed from the records (cases, reviews, the publications register) at the
moment of the call; the narrative is that of the report's newest version, if one was started.
``--signed`` gives instead the newest signed-off version exactly as signed. JSON
(``gongkai.annual-report/1``) goes to standard output by default; Word, PDF and Excel need ``-o``
or standard output redirected to a file or pipe.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongkai.commands._args import write_output, year
from gongkai.core.errors import GongkaiError

FORMATS = ("json", "docx", "pdf", "html", "xlsx")
BINARY_FORMATS = frozenset({"docx", "pdf", "xlsx"})


class AgencyNotFound(GongkaiError):
    """No agency has the name or code given."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="根据数据库中的办件记录生成机构的政府信息公开工作年度报告",
        description=(
            "按机构和年度生成年度报告：表二、表三、表四由办件、复议诉讼和主动公开记录即时统计，"
            "正文取该年度报告最新版本。默认向标准输出写 JSON（gongkai.annual-report/1）。"
        ),
    )
    parser.add_argument("--agency", required=True, metavar="NAME_OR_CODE", help="机构全称、简称或机构代码")
    parser.add_argument("--year", required=True, type=year, help="报告年度，如 2023")
    parser.add_argument("-f", "--format", choices=FORMATS, help="输出格式；省略时按 -o 的扩展名判断，默认 json")
    parser.add_argument("-o", "--output", metavar="FILE", help="输出文件；省略时写到标准输出")
    parser.add_argument("--signed", action="store_true", help="输出最新签发版本（签发时冻结的内容），而非即时统计")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    fmt = _choose_format(args.format, args.output)
    if fmt in BINARY_FORMATS and not args.output and sys.stdout.isatty():
        raise GongkaiError(f"{fmt} 是二进制格式，请用 -o 指定输出文件，或把标准输出重定向到文件")

    from gongkai.djangosetup import setup_django

    setup_django()
    from gongkai.reports.documents import render

    report = _report(args.agency, args.year, signed=args.signed)
    data = render(report, fmt)
    if args.output:
        target = Path(args.output)
        write_output(target, data)
        print(f"已生成 {target}（{fmt}，{len(data)} 字节）", file=sys.stderr)
        return 0
    sys.stdout.buffer.write(data if fmt in BINARY_FORMATS or data.endswith(b"\n") else data + b"\n")
    sys.stdout.flush()
    return 0


def _choose_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    if suffix == "htm":
        suffix = "html"
    return suffix if suffix in FORMATS else "json"


def _report(name_or_code: str, year: int, *, signed: bool) -> Any:
    from gongkai.reports.selectors import find_agency, latest_locked, versions
    from gongkai.reports.services import build_report

    agency = find_agency(name_or_code)
    if agency is None:
        raise AgencyNotFound(f"没有名称或代码为“{name_or_code}”的机构（可用机构全称、简称或机构代码）")
    if signed:
        record = latest_locked(agency, year)
        if record is None:
            raise GongkaiError(f"{agency.name}{year}年度报告尚未签发")
        return record.snapshot_report()
    current = versions(agency, year).first()
    if current is None:
        from gongkai.reports.compute import compute_report

        return compute_report(agency, year)
    report = build_report(current) if current.is_draft else _with_narrative(agency, year, current)
    return report


def _with_narrative(agency: Any, year: int, record: Any) -> Any:
    from gongkai.reports.compute import compute_report

    report = compute_report(agency, year)
    report.sections = dict(record.snapshot_report().sections)
    return report
