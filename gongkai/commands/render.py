"""``gongkai render FILE.json``: a report JSON as a published document (HTML, Word, PDF, Excel, text).

Runs without a database. ``--format`` may be left out when ``-o`` ends in a known extension;
``-o`` may be left out to write next to the input (same name, new extension); ``-o -`` writes
to standard output and ``FILE.json`` may be ``-`` for standard input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.commands._args import os_reason, write_output
from gongkai.core.errors import GongkaiError, ReportFormatError, ReportReadError

if TYPE_CHECKING:
    from gongkai.core.report.model import AnnualReport

STDIO = "-"


#: Output formats; each is also the file extension.
FORMATS: tuple[str, ...] = ("html", "docx", "pdf", "xlsx", "txt")


def render(report: AnnualReport, fmt: str) -> bytes:
    """The report as a file of format ``fmt``."""
    # Imported here: python-docx and openpyxl cost a tenth of a second that `gongkai --help` need not pay.
    from gongkai.core.report import writers

    renderers: dict[str, Callable[[AnnualReport], bytes]] = {
        "html": lambda r: writers.render_html(r).encode("utf-8"),
        "docx": writers.render_docx,
        "pdf": writers.render_pdf,
        "xlsx": writers.render_xlsx,
        "txt": lambda r: writers.render_text(r).encode("utf-8"),
    }
    return renderers[fmt](report)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "render",
        help="把年度报告 JSON 生成为 HTML / Word / PDF / Excel / 文本文档",
        description="把年度报告 JSON（gongkai.annual-report/1）按全国统一格式生成为可发布的文档。",
    )
    parser.add_argument("file", metavar="FILE.json", help="年度报告 JSON 文件；“-” 表示标准输入")
    parser.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        help="输出格式；省略时按 -o 的扩展名判断",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="输出文件；省略时写在输入文件旁（同名，换扩展名）；“-” 表示标准输出",
    )
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    fmt = _choose_format(args.format, args.output)
    report = _load(args.file)
    data = render(report, fmt)
    if args.output == STDIO:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    if args.output:
        target = Path(args.output)
    elif args.file != STDIO:
        target = Path(args.file).with_suffix(f".{fmt}")
    else:
        raise GongkaiError("从标准输入读取时须用 -o 指定输出文件（或 -o - 写到标准输出）")
    write_output(target, data)
    print(f"已生成 {target}（{fmt}，{len(data)} 字节）")
    return 0


def _choose_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != STDIO else ""
    if suffix == "htm":
        suffix = "html"
    if suffix in FORMATS:
        return suffix
    raise GongkaiError(f"无法从输出文件名判断格式，请用 --format 指定（{' / '.join(FORMATS)}）")


def _load(name: str) -> AnnualReport:
    """Read and parse the JSON; errors name the file."""
    from gongkai.core.report.model import AnnualReport
    from gongkai.core.report.readers import MAX_BYTES, read_at_most, read_stream_at_most

    try:
        raw = read_stream_at_most(sys.stdin.buffer, MAX_BYTES) if name == STDIO else read_at_most(name, MAX_BYTES)
    except OSError as exc:
        raise ReportReadError(f"无法读取：{os_reason(exc)}", source=name) from None
    if raw is None:
        raise ReportReadError(f"文件超过 {MAX_BYTES // 2**20} MB 的上限，不像是一份年度报告的 JSON", source=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportReadError("不是 UTF-8 编码的 JSON 文件", source=name) from None
    try:
        return AnnualReport.from_json(text)
    except ReportFormatError as exc:
        raise ReportFormatError(f"{name}: {exc}") from None
