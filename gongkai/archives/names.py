"""Safe names inside the archive zip: readable Chinese kept, nothing that escapes a folder.

Names come from the case number and, for attachments, from what an applicant or officer typed
when uploading (``ApplicantFile.name``, ``Delivery.proof_name``): those are untrusted. A name
becomes one path component: NFC-normalised, without ``/`` ``\\`` ``:`` and the other characters
Windows refuses, without control characters, without leading dots or spaces (no ``..``, no
hidden files), at most ``MAX_NAME_BYTES`` bytes of UTF-8 with its extension kept, never a
reserved device name (``CON``, ``NUL``…). Chinese characters and full-width punctuation stay.
"""

from __future__ import annotations

import unicodedata

#: Bytes of UTF-8 per path component (most file systems allow 255; room for a numeric prefix).
MAX_NAME_BYTES = 150
_FORBIDDEN = set('/\\:*?"<>|') | {"\x7f"}
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _clip(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


def safe_component(name: str, *, fallback: str = "文件") -> str:
    """``name`` as one safe path component (see the module docstring)."""
    text = unicodedata.normalize("NFC", name)
    cleaned = "".join(
        "_" if ch in _FORBIDDEN or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text
    )
    cleaned = " ".join(cleaned.split())  # tabs, newlines, runs of spaces → one space
    cleaned = cleaned.lstrip(". ").rstrip(". ")
    if not cleaned or set(cleaned) <= {"_"}:
        cleaned = fallback
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        stem, ext = cleaned, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    suffix = f".{ext}" if ext else ""
    stem = _clip(stem, MAX_NAME_BYTES - len(suffix.encode("utf-8")))
    return f"{stem}{suffix}"


def letter_stem(number: str, label: str) -> str:
    """The readable name of a letter: 发文字号 and kind, e.g. "果园街道信息公开〔2023〕3号 答复书"."""
    return safe_component(f"{number} {label}")
