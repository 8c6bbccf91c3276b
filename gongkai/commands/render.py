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
from typing import Any

from gongkai.core.errors import GongkaiError, ReportFormatError, ReportReadError
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.writers import render_docx, render_html, render_pdf, render_text, render_xlsx

STDIO = "-"


def _text(render: Callable[[AnnualReport], str]) -> Callable[[AnnualReport], bytes]:
    return lambda report: render(report).encode("utf-8")


#: Output format → writer; the key is also the file extension.
RENDERERS: dict[str, Callable[[AnnualReport], bytes]] = {
    "html": _text(render_html),
    "docx": render_docx,
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "txt": _text(render_text),
}


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
        choices=sorted(RENDERERS),
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
    data = RENDERERS[fmt](report)
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
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise GongkaiError(f"{target}: 无法写入：{exc.strerror or exc}") from None
    print(f"已生成 {target}（{fmt}，{len(data)} 字节）")
    return 0


def _choose_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower().lstrip(".") if output and output != STDIO else ""
    if suffix == "htm":
        suffix = "html"
    if suffix in RENDERERS:
        return suffix
    raise GongkaiError(f"无法从输出文件名判断格式，请用 --format 指定（{' / '.join(sorted(RENDERERS))}）")


def _load(name: str) -> AnnualReport:
    """Read and parse the JSON; errors name the file."""
    try:
        raw = sys.stdin.buffer.read() if name == STDIO else Path(name).read_bytes()
    except OSError as exc:
        raise ReportReadError(f"无法读取：{exc.strerror or exc}", source=name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReportReadError("不是 UTF-8 编码的 JSON 文件", source=name) from None
    try:
        return AnnualReport.from_json(text)
    except ReportFormatError as exc:
        raise ReportFormatError(f"{name}: {exc}") from None
