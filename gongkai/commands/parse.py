"""``gongkai parse FILE... [--json | --csv]``: read published annual reports into data.

Each file goes through the readers' one entry point (``read_report``: PDF, Word, text, or JSON in
the ``gongkai.annual-report/1`` shape). A file that cannot be read is named on stderr with what
is missing; the other files are still read and printed, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.core.errors import GongkaiError, ReportReadError

if TYPE_CHECKING:
    from gongkai.core.report.model import AnnualReport, Cell, Table2Value

# The readers, the report model and the CSV writer are imported when a file is read or written:
# `gongkai --help` (which imports every command module) stays light (gongkai/cli.py).

EXIT_OK = 0
EXIT_UNREADABLE = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "parse",
        help="读取政府信息公开工作年度报告（PDF、Word、文本或 JSON），输出其中的表格数据",
        description=(
            "读取年度报告，输出表二、表三、表四的数字。默认输出简要中文摘要；"
            "--json 输出 gongkai.annual-report/1 数据（多个文件时为数组），--csv 输出每格一行的 CSV（可用 Excel 打开）。"
            "无法读取的文件在标准错误中列出，其余文件照常输出，退出状态为 2。"
        ),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="年度报告文件")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="输出 JSON（gongkai.annual-report/1）")
    output.add_argument("--csv", action="store_true", help="输出 CSV：每格一行，UTF-8 带 BOM")
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    files: Sequence[Path] = args.files
    results = [(path, read_file(path, "parse")) for path in files]
    read = [(path, report) for path, report in results if report is not None]
    if args.json:
        objects = [report.to_dict() for _, report in read]
        if len(files) == 1:
            if objects:
                print(json.dumps(objects[0], ensure_ascii=False, indent=2))
        else:
            print(json.dumps(objects, ensure_ascii=False, indent=2))
    elif args.csv:
        if read:
            from gongkai.core.report.csvform import to_csv

            sys.stdout.write(to_csv((str(path), report) for path, report in read))
    elif read:
        print("\n\n".join(summary(report, str(path)) for path, report in read))
    return EXIT_OK if len(read) == len(results) else EXIT_UNREADABLE


def read_file(path: Path, command: str) -> AnnualReport | None:
    """The report in ``path``, or None after printing to stderr why it cannot be read."""
    report, problem = try_read(path)
    if problem is not None:
        print(f"gongkai {command}: {problem}", file=sys.stderr)
    return report


def try_read(path: Path) -> tuple[AnnualReport | None, str | None]:
    """Read ``path`` with the readers; on failure a Chinese message that names the file."""
    from gongkai.core.report.readers import read_report  # the readers load pdfplumber, docx: only when reading

    try:
        return read_report(path), None
    except ReportReadError as exc:
        return None, str(exc) if exc.source else f"{path}: {exc}"
    except GongkaiError as exc:
        return None, f"{path}: {exc}"
    except OSError as exc:
        return None, f"{path}: 无法打开文件：{exc.strerror or exc}"


# ---------------------------------------------------------------------------------------------
# The human-readable summary
# ---------------------------------------------------------------------------------------------

_INDENT = "      "


def summary(report: AnnualReport, file: str) -> str:
    """A short Chinese summary: who, which year and format, the key numbers of tables 二–四.

    Table 三 shows its 总计 column, the outcome groups summed over their sub-rows. A blank cell is
    shown as 空白, not 0.
    """
    from gongkai.core.report.taxonomy import (
        COLUMN_LABELS,
        FORMAT_LABELS,
        OUTCOME_GROUPS,
        OUTCOME_ROWS,
        REVIEW_RESULT_LABELS,
        TABLE4_GROUPS,
        TABLE4_TOTAL_KEY,
        TABLE4_TOTAL_LABEL,
        TOTAL_COLUMN,
        ReportTable,
        ReviewResult,
        Table3Key,
        table2_rows,
        table3_row_label,
        table4_group_label,
    )

    fmt = report.format
    lines = [
        f"文件：{file}",
        f"  机关：{report.agency or '（未读到）'}　年度：{report.year or '（未读到）'}　格式：{FORMAT_LABELS[fmt]}",
    ]
    first = f"  {ReportTable.TABLE2.label}  "
    for row in table2_rows(fmt):
        values = report.table2.get(row.key, {})
        cells = "，".join(f"{f.label} {_show(values.get(f.key))}" for f in row.fields)
        lines.append(f"{first}{row.label}：{cells}")
        first = _INDENT + "  "

    lines.append(f"  {ReportTable.TABLE3.label}（{COLUMN_LABELS[TOTAL_COLUMN]}列）")

    def total_of(key: str) -> Cell:
        values = report.table3.get(key)
        return None if values is None else values[TOTAL_COLUMN]

    lines += [
        f"{_INDENT}{table3_row_label(key, fmt)} {_show(total_of(key))}"
        for key in (Table3Key.NEW, Table3Key.CARRIED_OVER)
    ]
    for group in OUTCOME_GROUPS:
        members = [r.key for r in OUTCOME_ROWS if (r.group_key or r.key) == group.key]
        if not members:  # （七）总计 is its own row below
            continue
        sub_totals = [total_of(k) for k in members]
        value = None if all(v is None for v in sub_totals) else sum(v or 0 for v in sub_totals)
        lines.append(f"{_INDENT}{group.full_label} {_show(value)}")
    lines += [
        f"{_INDENT}{table3_row_label(key, fmt)} {_show(total_of(key))}"
        for key in (Table3Key.TOTAL, Table3Key.CARRIED_FORWARD)
    ]

    first = f"  {ReportTable.TABLE4.label}  "
    for kind in TABLE4_GROUPS:
        values4 = report.table4.get(kind.value, {})
        parts = [f"{REVIEW_RESULT_LABELS[r]} {_show(values4.get(r.value))}" for r in ReviewResult]
        parts.append(f"{TABLE4_TOTAL_LABEL} {_show(values4.get(TABLE4_TOTAL_KEY))}")
        lines.append(f"{first}{table4_group_label(kind)}：{'，'.join(parts)}")
        first = _INDENT + "  "
    if report.notes:
        lines.append(f"  读取存疑 {len(report.notes)} 处，运行 gongkai check 查看")
    return "\n".join(lines)


def _show(value: Table2Value) -> str:
    from decimal import Decimal

    if value is None:
        return "空白"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
