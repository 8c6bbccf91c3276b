"""Uploaded files and .zip archives of them, unpacked within fixed limits; no Django here.

A supervisor uploads reports one by one or as one .zip. A zip is opened only when it is not itself
a Word document (a .docx is a zip holding ``[Content_Types].xml``). Sizes are checked twice: the
sizes the archive declares, and the bytes actually inflated (a zip bomb can declare anything),
so memory stays below :data:`MAX_TOTAL_BYTES` whatever the archive says. A member that breaks a
limit (a zip bomb: over :data:`MAX_FILE_BYTES`, or inflating more than :data:`MAX_RATIO` times its
packed size), an encrypted one, a zip inside the zip, become :class:`Upload` items with ``error``
set, and the other members are still read: every file the user sent shows up with what happened
to it. Given a ``store``, each member is stored as soon as it is inflated (memory holds one member,
not the whole archive inflated), and whatever was stored is discarded when the batch is refused.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable, Iterable
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
#: A member inflating to more than this many times its packed size (and past :data:`_RATIO_FLOOR`)
#: is a zip bomb: refused alone. Reports pack 3-20 times (text, web pages), Word files about once.
MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_UTF8_NAMES = 0x800


class UploadLimitError(Exception):
    """The batch as a whole is over a limit; nothing of it is read. The message says which."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One file to read: its name (``archive.zip/inner.pdf`` for a member) and bytes, or why not.

    With a ``store`` (:func:`expand`) the bytes are not kept: ``path`` says where they were stored.
    """

    name: str
    data: bytes = b""
    error: str = ""
    path: str = ""


#: Saves one file's bytes, returns where (a storage path); and removes a saved file.
Store = Callable[[bytes], str]
Discard = Callable[[str], None]


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


def expand(
    files: Iterable[tuple[str, bytes]], *, store: Store | None = None, discard: Discard | None = None
) -> list[Upload]:
    """Every uploaded file, archives replaced by their members, within the limits above.

    Raises :class:`UploadLimitError` when the batch has more than :data:`MAX_FILES` files or more
    than :data:`MAX_TOTAL_BYTES` in all; a single file over :data:`MAX_FILE_BYTES` (or a zip bomb
    member) is an item with an error, the others are still read. With ``store`` each file is
    stored as it comes (the items carry its ``path``); on a refusal ``discard`` removes them all.
    """
    stored: list[str] = []

    def keep(name: str, data: bytes) -> Upload:
        if store is None:
            return Upload(name, data)
        path = store(data)
        stored.append(path)
        return Upload(name, path=path)

    try:
        return _expand(files, keep)
    except BaseException:
        for path in stored:
            if discard is not None:
                discard(path)
        raise


def _expand(files: Iterable[tuple[str, bytes]], keep: Callable[[str, bytes], Upload]) -> list[Upload]:
    items: list[Upload] = []
    budget = [MAX_TOTAL_BYTES]
    for name, data in files:
        _spend(budget, len(data))
        if is_archive(data):
            items.extend(_members(name, data, budget, keep))
        elif len(data) > MAX_FILE_BYTES:
            items.append(Upload(name, error=_too_big(len(data))))
        else:
            items.append(keep(name, data))
        if len(items) > MAX_FILES:
            raise UploadLimitError(f"一批最多 {MAX_FILES} 个文件（压缩包内的文件分别计数），请分批上传")
    return items


def _members(archive_name: str, data: bytes, budget: list[int], keep: Callable[[str, bytes], Upload]) -> list[Upload]:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return [Upload(archive_name, error=f"压缩包无法打开（{exc}）")]
    items: list[Upload] = []
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)]
        if len(infos) > MAX_FILES:
            raise UploadLimitError(f"压缩包“{archive_name}”有 {len(infos)} 个文件，一批最多 {MAX_FILES} 个")
        # A bomb member is refused alone below; the others must fit the batch's budget together.
        declared = sum(i.file_size for i in infos if not _refusal(i))
        if declared > budget[0]:
            raise UploadLimitError(
                f"压缩包“{archive_name}”解压后有 {declared / 2**20:.0f} MB，超过一批 {MAX_TOTAL_BYTES // 2**20} MB 的上限"
            )
        for info in infos:
            name = f"{archive_name}/{_member_name(info)}"
            if info.flag_bits & 0x1:
                items.append(Upload(name, error="压缩包中的文件已加密，无法读取"))
                continue
            refusal = _refusal(info)
            if refusal:
                items.append(Upload(name, error=refusal))
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
            if _bomb(len(content), info.compress_size):  # declared small, inflated huge
                items.append(Upload(name, error=_bomb_reason(len(content), info.compress_size)))
                continue
            _spend(budget, len(content))
            if is_archive(content):
                items.append(Upload(name, error="压缩包中的压缩包不会再解开，请解压后上传"))
                continue
            items.append(keep(name, content))
    return items


def _refusal(info: zipfile.ZipInfo) -> str:
    """Why a member is refused from what it declares (too big, a bomb's ratio), or ``""``."""
    if info.file_size > MAX_FILE_BYTES:
        return _too_big(info.file_size) + "（疑似“压缩炸弹”，未解压）"
    if _bomb(info.file_size, info.compress_size):
        return _bomb_reason(info.file_size, info.compress_size)
    return ""


def _bomb(size: int, packed: int) -> bool:
    return size > _RATIO_FLOOR and size > MAX_RATIO * max(packed, 1)


def _bomb_reason(size: int, packed: int) -> str:
    return (
        f"压缩包中的文件解压后有 {size / 2**20:.1f} MB，是压缩后大小的 {size // max(packed, 1)} 倍"
        f"（上限 {MAX_RATIO} 倍），疑似“压缩炸弹”，未读取"
    )


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
