"""Which files an item may carry: PDF, Word (.docx), Excel (.xlsx), JPG, PNG and OFD (GB/T 33190),
checked by name, size and content (the first bytes, and for the zip-based formats the member that
makes them what they claim to be). A rejected file raises :class:`AttachmentRejected` naming it."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings

from gongkai.publications.errors import AttachmentRejected

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
MAX_ATTACHMENTS_PER_ITEM = 20


@dataclass(frozen=True, slots=True)
class Kind:
    ext: str
    label: str
    content_type: str
    magic: bytes
    zip_member: str | None = None  # for zip-based formats: the member that must exist


KINDS: dict[str, Kind] = {
    k.ext: k
    for k in (
        Kind("pdf", "PDF", "application/pdf", b"%PDF-"),
        Kind(
            "docx",
            "Word（.docx）",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK\x03\x04",
            "word/document.xml",
        ),
        Kind(
            "xlsx",
            "Excel（.xlsx）",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK\x03\x04",
            "xl/workbook.xml",
        ),
        Kind("jpg", "JPG", "image/jpeg", b"\xff\xd8\xff"),
        Kind("png", "PNG", "image/png", b"\x89PNG\r\n\x1a\n"),
        Kind("ofd", "OFD", "application/ofd", b"PK\x03\x04", "OFD.xml"),
    )
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
ACCEPT_ATTRIBUTE = ",".join(f".{e}" for e in [*KINDS, *EXTENSION_ALIASES])
KINDS_TEXT = "、".join(k.label for k in KINDS.values())


def max_bytes() -> int:
    return int(getattr(settings, "PUBLICATION_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{max(1, size // 1024)} KB"


@dataclass(frozen=True, slots=True)
class CheckedFile:
    kind: Kind
    name: str
    size: int
    sha256: str


def check_file(name: str, size: int, stream: IO[bytes]) -> CheckedFile:
    """Accept ``stream`` (named ``name``, ``size`` bytes) or raise :class:`AttachmentRejected`."""
    clean_name = PurePosixPath(name.replace("\\", "/")).name.strip() or "附件"
    if len(clean_name) > 200:
        raise AttachmentRejected(f"附件文件名过长（{len(clean_name)}个字符，最多200个）：“{clean_name[:40]}…”")
    ext = PurePosixPath(clean_name).suffix.lower().lstrip(".")
    ext = EXTENSION_ALIASES.get(ext, ext)
    kind = KINDS.get(ext)
    if kind is None:
        raise AttachmentRejected(f"附件“{clean_name}”的类型不允许：只接受 {KINDS_TEXT}")
    limit = max_bytes()
    if size > limit:
        raise AttachmentRejected(f"附件“{clean_name}”大小为 {_size_text(size)}，超过上限 {_size_text(limit)}")
    if size == 0:
        raise AttachmentRejected(f"附件“{clean_name}”是空文件")
    stream.seek(0)
    head = stream.read(16)
    if not head.startswith(kind.magic):
        raise AttachmentRejected(f"附件“{clean_name}”的内容不是 {kind.label} 文件（扩展名与内容不符）")
    if kind.zip_member is not None:
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            raise AttachmentRejected(f"附件“{clean_name}”已损坏，无法作为 {kind.label} 文件打开") from None
        if kind.zip_member not in names:
            raise AttachmentRejected(f"附件“{clean_name}”的内容不是 {kind.label} 文件（缺少 {kind.zip_member}）")
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return CheckedFile(kind, clean_name, size, digest.hexdigest())
