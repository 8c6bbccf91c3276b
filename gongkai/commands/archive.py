"""``gongkai archive --agency CODE --year Y -o FILE.zip``: a year's case files as a zip (案卷归档).

Or ``--case NUMBER`` for one case. The zip holds the 案卷目录 (index PDF), every letter as PDF and
.docx, each case's timeline, records and attachments, and ``manifest.json`` with the SHA-256 and
size of every file (``gongkai.archives.export``). The file is written next to the target under a
temporary name and moved into place when complete, so a failed run leaves no half archive.
Audited as an export by the system (``archive.exported``), with the operating-system user.

Exit status: 0 done; 2 usage; 3 no such agency or case; 4 the year has no cases; 5 the output
cannot be written.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from gongkai.commands._args import os_reason, year
from gongkai.core.errors import GongkaiError


class NotFound(GongkaiError):
    exit_code = 3


class NothingToArchive(GongkaiError):
    exit_code = 4


class OutputError(GongkaiError):
    exit_code = 5


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "archive",
        help="导出机构某年度（或某一案件）的依申请公开案卷（ZIP：案卷目录、文书、办理过程、附件、清单）",
        description=(
            "导出案卷：--agency 与 --year 导出该年度（按案件编号年份）全部案件，或 --agency 与 --case 导出一件。"
            "ZIP 内含案卷目录（PDF）、每份文书的 PDF 与 Word、办理过程、收费与送达记录、附件，以及列出每个文件"
            " SHA-256 的 manifest.json。退出码：0 成功，2 参数错误，3 机构或案件不存在，4 该年度没有案件，5 无法写入输出文件。"
        ),
    )
    p.add_argument("--agency", required=True, metavar="CODE", help="机构代码、全称或简称")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--year", type=year, help="年度（案件编号年份），如 2023")
    scope.add_argument("--case", metavar="NUMBER", help="案件编号")
    p.add_argument("-o", "--output", required=True, metavar="FILE.zip", help="输出的 ZIP 文件")
    p.set_defaults(func=handle)


def _temporary(target: Path) -> tuple[int, str]:
    """A temporary file next to ``target`` (same file system, so the final move is atomic)."""
    if target.is_dir():
        raise OutputError(f"{target}: 无法写入：这是一个目录")
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: 无法写入：{os_reason(exc)}") from None


def handle(args: argparse.Namespace) -> int:
    target = Path(args.output)
    from gongkai.djangosetup import setup_django

    setup_django()
    from gongkai import clock
    from gongkai.archives.export import write_archive, year_cases
    from gongkai.archives.selectors import find_agency, find_case
    from gongkai.archives.services import record_export

    agency = find_agency(args.agency)
    if agency is None:
        raise NotFound(f"没有代码或名称为“{args.agency}”的机构")
    if args.case:
        case = find_case(agency, args.case)
        if case is None:
            raise NotFound(f"{agency.name}没有编号为“{args.case}”的案件")
        cases: Any = [case]
    else:
        case = None
        cases = year_cases(agency, args.year)
        if not cases.exists():
            raise NothingToArchive(f"{agency.name}{args.year}年度没有依申请公开案件（按案件编号年份）")
    handle_fd, temporary = _temporary(target)
    try:
        with os.fdopen(handle_fd, "wb") as out:
            result = write_archive(
                out,
                agency=agency,
                cases=cases.iterator(chunk_size=200) if case is None else cases,
                generated_at=clock.now(),
                year=args.year if case is None else None,
                case_number=case.number if case is not None else None,
            )
        os.replace(temporary, target)
    except OSError as exc:
        raise OutputError(f"{target}: 无法写入：{os_reason(exc)}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    record_export(
        actor=None,
        agency=agency,
        year=args.year if case is None else None,
        case=case,
        case_count=result.case_count,
        letter_count=result.letter_count,
        file_count=result.file_count,
        manifest_sha256=result.manifest_sha256,
        note=f"命令行导出（操作系统用户 {getpass.getuser()}）",
    )
    print(
        f"已生成 {target}：案件 {result.case_count} 件，文书 {result.letter_count} 份，文件 {result.file_count} 个，"
        f"manifest.json SHA-256 {result.manifest_sha256}",
        file=sys.stderr,
    )
    for path in result.missing:
        print(f"警告：存储中找不到文件，未能归档：{path}", file=sys.stderr)
    return 0
