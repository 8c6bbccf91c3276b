"""Argument types and output files shared by the sub-commands (not a command: the name starts
with ``_``). Each refuses bad input with a one-line Chinese message, never a traceback.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from gongkai.core.errors import GongkaiError

#: The years a command may be asked about: the 条例's working calendars start in 2007, and 2100 is
#: a sane upper bound (beyond it date arithmetic runs into the end of the calendar).
FIRST_YEAR = 2007
LAST_YEAR = 2100


def iso_date(text: str) -> date:
    """A date written YYYY-MM-DD, in :data:`FIRST_YEAR`–:data:`LAST_YEAR`."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"无效日期 “{text}”（应为 YYYY-MM-DD）") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"日期 “{text}” 超出范围（年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间）")
    return day


def year(text: str) -> int:
    """A calendar or report year in :data:`FIRST_YEAR`–:data:`LAST_YEAR`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"无效年度 “{text}”（应为四位数字，如 2023）") from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"年度 “{text}” 超出范围（应在 {FIRST_YEAR}–{LAST_YEAR} 之间）")
    return value


def os_reason(exc: OSError) -> str:
    """The reason of a file error in Chinese for the common cases."""
    if isinstance(exc, FileNotFoundError):
        return "文件或目录不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录"
    if isinstance(exc, NotADirectoryError):
        return "路径中有一段不是目录"
    if isinstance(exc, PermissionError):
        return "没有权限"
    return exc.strerror or str(exc)


def write_output(target: Path, data: bytes) -> None:
    """Write an output file; a path that cannot be written is a :class:`GongkaiError` naming it."""
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise GongkaiError(f"{target}: 无法写入：{os_reason(exc)}") from None
