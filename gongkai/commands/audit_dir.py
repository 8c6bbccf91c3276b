"""``gongkai audit-dir DIR [--json] [--xlsx OUT]``: audit a folder of published annual reports.

Reads every file in DIR (and below), groups the reports by agency, orders each agency's by year
and checks each one alone, against the same agency's previous year (上年结转, 现行有效), and its
narrative numbers against its tables (``gongkai.core.report.crosscheck``). ``--regions`` also
compares a 政府's report with the sum of the reports of the agencies below it, found by name.
No database. Exit status: 0 all consistent (warnings allowed), 1 an error-severity finding,
2 a file that cannot be read.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.commands._args import write_output
from gongkai.commands.parse import try_read
from gongkai.core.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai.core.report.crosscheck import Entry, EntryResult
    from gongkai.core.report.findings import Verdict

# The cross-checks are imported by the functions that run them: `gongkai --help` stays light.

EXIT_CONSISTENT = 0
EXIT_INCONSISTENT = 1
EXIT_UNREADABLE = 2


class AuditDirError(GongkaiError):
    """DIR is not a folder, or holds no file."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit-dir",
        help="批量核对一个文件夹中的年度报告：勾稽关系、跨年衔接、正文与表格数字",
        description=(
            "读取文件夹（含子文件夹）中的每个年度报告，按机关分组、按年度排序，逐份核对勾稽关系、"
            "与同一机关上一年度报告的衔接（上年结转、现行有效件数），以及正文中的数字与表格是否一致。"
            "退出状态：0 全部一致（可有警告），1 有错误，2 有文件无法读取。"
        ),
    )
    parser.add_argument("directory", type=Path, metavar="DIR", help="存放年度报告的文件夹")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--xlsx", type=Path, metavar="OUT", help="另存全部问题为 Excel 文件（汇总、问题两张表）")
    parser.add_argument(
        "--glob", default="*", metavar="PATTERN", help="只读取文件名符合此模式的文件，如 '*.pdf'（默认全部）"
    )
    parser.add_argument(
        "--regions",
        action="store_true",
        help="同时核对政府报告与其下级机关报告之和（按机关名称推断上下级，仅作提示）",
    )
    parser.set_defaults(func=handle)


def list_files(directory: Path, pattern: str = "*") -> list[Path]:
    """Files under ``directory`` matching ``pattern``, hidden ones (".x", "__MACOSX") left out."""
    if not directory.is_dir():
        raise AuditDirError(f"{directory}: 不是文件夹")
    found = [
        p
        for p in directory.rglob(pattern)
        if p.is_file()
        and not any(part.startswith(".") or part == "__MACOSX" for part in p.relative_to(directory).parts)
    ]
    return sorted(found)


def handle(args: argparse.Namespace) -> int:
    if args.xlsx is not None and args.xlsx.is_dir():  # before the long read, not after it
        raise AuditDirError(f"{args.xlsx}: 无法写入：这是一个目录，请给出 .xlsx 文件名")
    from gongkai.core.report.crosscheck import Entry, audit_reports, children_by_name
    from gongkai.core.report.findings import Verdict

    files = list_files(args.directory, args.glob)
    if not files:
        raise AuditDirError(f"{args.directory}: 没有找到文件")
    entries: list[Entry] = []
    unreadable: list[tuple[Path, str]] = []
    for path in files:
        report, problem = try_read(path)
        if report is None:
            unreadable.append((path, problem or "无法读取"))
        else:
            entries.append(Entry(str(path), report))
    results = audit_reports(ordered(entries), children_of=children_by_name if args.regions else None)
    if args.xlsx is not None:
        from gongkai.supervision.xlsx import findings_workbook  # openpyxl: only when asked for

        write_output(args.xlsx, findings_workbook(file_rows(results, unreadable)))
    counts = tally(results, len(unreadable))
    if args.json:
        print(
            json.dumps(
                {
                    "files": [_json(r) for r in results]
                    + [{"file": str(p), "verdict": Verdict.UNREADABLE.value, "error": e} for p, e in unreadable],
                    "summary": {v.value: n for v, n in counts.items()},
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        blocks = [file_text(r) for r in results]
        blocks += [f"{path}：{Verdict.UNREADABLE.label}\n  {problem}" for path, problem in unreadable]
        print("\n\n".join(blocks))
        print()
        print(summary_line(counts))
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_INCONSISTENT if counts[Verdict.ERRORS] else EXIT_CONSISTENT


def ordered(entries: Sequence[Entry]) -> list[Entry]:
    """By agency name, then year; reports without an agency or year last."""
    from gongkai.core.report.crosscheck import squash

    return sorted(
        entries,
        key=lambda e: (
            e.agency_name is None,
            squash(e.agency_name or ""),
            e.report.year is None,
            e.report.year or 0,
            e.name,
        ),
    )


def tally(results: Sequence[EntryResult], unreadable: int) -> dict[Verdict, int]:
    from gongkai.core.report.findings import Verdict

    counts = dict.fromkeys(Verdict, 0)
    for result in results:
        counts[result.verdict] += 1
    counts[Verdict.UNREADABLE] += unreadable
    return counts


def summary_line(counts: dict[Verdict, int]) -> str:
    """ "N 份报告：一致 a，有错误 b，有警告 c，无法读取 d"."""
    from gongkai.core.report.findings import Verdict

    total = sum(counts.values())
    parts = "，".join(f"{v.label} {counts[v]}" for v in Verdict)
    return f"{total} 份报告：{parts}"


def file_text(result: EntryResult) -> str:
    """The file's heading line, then one finding per line, errors first."""
    from gongkai.core.report.findings import Severity, count_errors

    report = result.entry.report
    who = "，".join(x for x in (report.agency, f"{report.year}年" if report.year else None) if x)
    errors, warnings = count_errors(result.findings)
    counts = "，".join(x for x in (f"{errors} 个错误" if errors else "", f"{warnings} 个警告" if warnings else "") if x)
    against = f"；与上一年度报告 {result.previous.name} 对照" if result.previous else ""
    if result.children:
        against += f"；与 {len(result.children)} 份下级机关报告之和对照"
    lines = [
        f"{result.entry.name}（{who or '机关、年度不详'}）：{result.verdict.label}"
        + (f"（{counts}）" if counts else "")
        + against
    ]
    ordered_findings = sorted(result.findings, key=lambda f: f.severity is not Severity.ERROR)
    lines += [f"  {f.severity.label} [{f.rule.value}] {f.message}" for f in ordered_findings]
    return "\n".join(lines)


def file_rows(results: Sequence[EntryResult], unreadable: Sequence[tuple[Path, str]]) -> list[Any]:
    from gongkai.core.report.findings import Verdict, count_errors
    from gongkai.supervision.xlsx import FileRow

    rows = []
    for result in results:
        report = result.entry.report
        errors, warnings = count_errors(result.findings)
        rows.append(
            FileRow(
                result.entry.name,
                report.agency,
                report.year,
                report.format.value,
                result.verdict,
                errors,
                warnings,
                result.previous.name if result.previous else None,
                "",
                [f.to_dict() for f in result.findings],
            )
        )
    rows += [
        FileRow(str(path), None, None, None, Verdict.UNREADABLE, read_error=problem) for path, problem in unreadable
    ]
    return rows


def _json(result: EntryResult) -> dict[str, Any]:
    from gongkai.core.report.findings import count_errors

    report = result.entry.report
    errors, warnings = count_errors(result.findings)
    return {
        "file": result.entry.name,
        "agency": report.agency,
        "year": report.year,
        "format": report.format.value,
        "verdict": result.verdict.value,
        "previous": result.previous.name if result.previous else None,
        "children": [c.name for c in result.children],
        "errors": errors,
        "warnings": warnings,
        "findings": [f.to_dict() for f in result.findings],
    }
