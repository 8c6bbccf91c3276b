"""Uploaded files and .zip archives of them, unpacked within fixed limits; no Django here.

A supervisor uploads reports one by one or as one .zip. A zip is opened only when it is not itself
a Word document (a .docx is a zip holding ``[Content_Types].xml``). Sizes are checked twice: the
sizes the archive declares, and the bytes actually inflated (a zip bomb can declare anything),
so memory stays below :data:`MAX_TOTAL_BYTES` whatever the archive says. A member that breaks a
limit, an encrypted one, a zip inside the zip, become :class:`Upload` items with ``error`` set:
every file the user sent shows up with what happened to it.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from gongkai.core.report.readers import MAX_BYTES

#: Most files in one batch, archives unpacked (Django refuses more than 100 parts per request, so
#: beyond 100 the files come in zip archives). The batch is read in the background (gongkai.jobs).
MAX_FILES = 2000
#: Largest single report (the readers' own limit).
MAX_FILE_BYTES = MAX_BYTES
#: Most bytes of one batch, archives inflated.
MAX_TOTAL_BYTES = 200 * 1024 * 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_UTF8_NAMES = 0x800


class UploadLimitError(Exception):
    """The batch as a whole is over a limit; nothing of it is read. The message says which."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One file to read: its name (``archive.zip/inner.pdf`` for a member) and bytes, or why not."""

    name: str
    data: bytes = b""
    error: str = ""


def is_archive(data: bytes) -> bool:
    """A zip that is not an Office document (which are zips too)."""
    if not data.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" not in names and "mimetype" not in names


def expand(files: Iterable[tuple[str, bytes]]) -> list[Upload]:
    """Every uploaded file, archives replaced by their members, within the limits above.

    Raises :class:`UploadLimitError` when the batch has more than :data:`MAX_FILES` files or more
    than :data:`MAX_TOTAL_BYTES` in all; a single file over :data:`MAX_FILE_BYTES` is an item
    with an error, the others are still read.
    """
    items: list[Upload] = []
    budget = [MAX_TOTAL_BYTES]
    for name, data in files:
        _spend(budget, len(data))
        if is_archive(data):
            items.extend(_members(name, data, budget))
        elif len(data) > MAX_FILE_BYTES:
            items.append(Upload(name, error=_too_big(len(data))))
        else:
            items.append(Upload(name, data))
        if len(items) > MAX_FILES:
            raise UploadLimitError(f"一批最多 {MAX_FILES} 个文件（压缩包内的文件分别计数），请分批上传")
    return items


def _members(archive_name: str, data: bytes, budget: list[int]) -> list[Upload]:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return [Upload(archive_name, error=f"压缩包无法打开（{exc}）")]
    items: list[Upload] = []
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)]
        if len(infos) > MAX_FILES:
            raise UploadLimitError(f"压缩包“{archive_name}”有 {len(infos)} 个文件，一批最多 {MAX_FILES} 个")
        declared = sum(i.file_size for i in infos)
        if declared > budget[0]:
            raise UploadLimitError(
                f"压缩包“{archive_name}”解压后有 {declared / 2**20:.0f} MB，超过一批 {MAX_TOTAL_BYTES // 2**20} MB 的上限"
            )
        for info in infos:
            name = f"{archive_name}/{_member_name(info)}"
            if info.flag_bits & 0x1:
                items.append(Upload(name, error="压缩包中的文件已加密，无法读取"))
                continue
            if info.file_size > MAX_FILE_BYTES:
                items.append(Upload(name, error=_too_big(info.file_size)))
                continue
            try:
                with archive.open(info) as member:
                    # Never trust the declared size: inflate at most one byte past the limit.
                    content = member.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError) as exc:
                items.append(Upload(name, error=f"压缩包中的文件无法解压（{exc}）"))
                continue
            if len(content) > MAX_FILE_BYTES:
                items.append(Upload(name, error=_too_big(len(content))))
                continue
            _spend(budget, len(content))
            if is_archive(content):
                items.append(Upload(name, error="压缩包中的压缩包不会再解开，请解压后上传"))
                continue
            items.append(Upload(name, content))
    return items


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; names zipped on Chinese Windows are GBK without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & _UTF8_NAMES:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return name


def _hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


def _spend(budget: list[int], size: int) -> None:
    budget[0] -= size
    if budget[0] < 0:
        raise UploadLimitError(f"一批文件（含解压后）合计超过 {MAX_TOTAL_BYTES // 2**20} MB，请分批上传")


def _too_big(size: int) -> str:
    return f"文件有 {size / 2**20:.1f} MB，超过 {MAX_FILE_BYTES // 2**20} MB 的上限"
