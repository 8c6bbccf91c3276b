"""``gongkai check FILE... [--previous FILE] [--json]``: the consistency checks (勾稽关系).

Exit status: 0 when every file is consistent (warnings allowed), 1 when an error-severity check
fails, 2 when a file (or the ``--previous`` file) cannot be read. The rules are in
``gongkai.core.report.checks`` (legal spec §3.7 V1–V6).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.commands.parse import read_file, try_read

if TYPE_CHECKING:
    from gongkai.core.report.findings import Finding
    from gongkai.core.report.model import AnnualReport

# The checks are imported by the handler: `gongkai --help` stays light (gongkai/cli.py).

EXIT_CONSISTENT = 0
EXIT_INCONSISTENT = 1
EXIT_UNREADABLE = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="核对年度报告的勾稽关系（表二、表三、表四），可与上一年度报告对照",
        description=(
            "核对年度报告表二、表三、表四的勾稽关系，逐条列出问题（按文件分组）。"
            "退出状态：0 一致（可有警告），1 有错误，2 有文件无法读取。"
        ),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="年度报告文件（PDF、Word、文本或 JSON）")
    parser.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        help="上一年度的报告：核对“上年结转”与上年“结转下年度”、表二“现行有效件数”（对每个 FILE 都对照此文件）",
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON（多个文件时为数组）")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from gongkai.core.report.checks import check_report, has_errors

    files: Sequence[Path] = args.files
    unreadable = False
    previous: AnnualReport | None = None
    if args.previous is not None:
        previous = read_file(args.previous, "check")
        unreadable = previous is None

    results: list[dict[str, Any]] = []
    texts: list[str] = []
    failed = False
    for path in files:
        report, problem = try_read(path)
        if report is None:
            _stderr(f"gongkai check: {problem}")
            unreadable = True
            results.append({"file": str(path), "error": problem})
            continue
        findings = check_report(report, previous)
        failed = failed or has_errors(findings)
        results.append(_result(path, report, findings, args.previous if previous is not None else None))
        texts.append(_text(path, report, findings))
    if args.json:
        print(json.dumps(results[0] if len(files) == 1 else results, ensure_ascii=False, indent=2))
    elif texts:
        print("\n\n".join(texts))
    if unreadable:
        return EXIT_UNREADABLE
    return EXIT_INCONSISTENT if failed else EXIT_CONSISTENT


def _result(path: Path, report: AnnualReport, findings: list[Finding], previous: Path | None) -> dict[str, Any]:
    from gongkai.core.report.findings import Severity

    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    return {
        "file": str(path),
        "agency": report.agency,
        "year": report.year,
        "format": report.format.value,
        "previous": None if previous is None else str(previous),
        "consistent": errors == 0,
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": [f.to_dict() for f in findings],
    }


def _text(path: Path, report: AnnualReport, findings: list[Finding]) -> str:
    """The file's heading line, then one finding per line, errors first."""
    from gongkai.core.report.findings import Severity

    who = "，".join(str(x) for x in (report.agency, f"{report.year}年" if report.year else None) if x)
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    if errors:
        verdict = f"勾稽关系不一致：{errors} 个错误" + (f"，{warnings} 个警告" if warnings else "")
    else:
        verdict = "勾稽关系一致" + (f"（{warnings} 个警告）" if warnings else "")
    lines = [f"{path}" + (f"（{who}）" if who else "") + f"：{verdict}"]
    ordered = sorted(findings, key=lambda f: f.severity is not Severity.ERROR)
    lines += [f"  {f.severity.label} [{f.rule.value}] {f.message}" for f in ordered]
    return "\n".join(lines)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)
