"""Files the letters pages accept: 送达 proofs (PDF, JPG, PNG) and the seal image (PNG, JPG).

Checked by name, size and content (the first bytes), as publication attachments are; a refused
file raises :class:`UploadRejected` naming it, so the form can say why and keep the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings

from gongkai.core.letters.errors import LetterError

MB = 1024 * 1024


class UploadRejected(LetterError):
    """A file that is not of an accepted kind, too large, or empty."""


@dataclass(frozen=True, slots=True)
class FileKind:
    ext: str
    label: str
    content_type: str
    magic: bytes


PDF = FileKind("pdf", "PDF", "application/pdf", b"%PDF-")
JPG = FileKind("jpg", "JPG", "image/jpeg", b"\xff\xd8\xff")
PNG = FileKind("png", "PNG", "image/png", b"\x89PNG\r\n\x1a\n")
PROOF_KINDS = (PDF, JPG, PNG)
SEAL_KINDS = (PNG, JPG)
ALIASES = {"jpeg": "jpg"}


def proof_max_bytes() -> int:
    return int(getattr(settings, "DELIVERY_PROOF_MAX_BYTES", 10 * MB))


def seal_max_bytes() -> int:
    return int(getattr(settings, "LETTER_SEAL_MAX_BYTES", 1 * MB))


def accept_attribute(kinds: tuple[FileKind, ...]) -> str:
    return ",".join(f".{k.ext}" for k in kinds) + (",.jpeg" if JPG in kinds else "")


def _size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB / 10 else f"{max(1, size // 1024)} KB"


def check_upload(
    name: str, size: int, stream: IO[bytes], *, kinds: tuple[FileKind, ...], limit: int, what: str
) -> FileKind:
    """The kind of ``stream`` (named ``name``, ``size`` bytes), or :class:`UploadRejected`."""
    clean = PurePosixPath(name.replace("\\", "/")).name.strip() or what
    ext = PurePosixPath(clean).suffix.lower().lstrip(".")
    ext = ALIASES.get(ext, ext)
    kind = next((k for k in kinds if k.ext == ext), None)
    allowed = "、".join(k.label for k in kinds)
    if kind is None:
        raise UploadRejected(f"{what}“{clean}”的类型不允许：只接受 {allowed}")
    if size > limit:
        raise UploadRejected(f"{what}“{clean}”大小为 {_size_text(size)}，超过上限 {_size_text(limit)}")
    if size == 0:
        raise UploadRejected(f"{what}“{clean}”是空文件")
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if not head.startswith(kind.magic):
        raise UploadRejected(f"{what}“{clean}”的内容不是 {kind.label} 文件（扩展名与内容不符）")
    return kind
