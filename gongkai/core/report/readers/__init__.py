"""Readers: a published 政府信息公开工作年度报告 (PDF, Word, web page, text, JSON) → :class:`AnnualReport`.

The reader is chosen by the content, never by the file name: ``%PDF`` → PDF; a zip holding
``word/document.xml`` → Word; HTML markup → web page; a JSON object of
``gongkai.annual-report/1`` → the data itself; anything else decoded as text (UTF-8, UTF-8 with
BOM, GB18030, UTF-16 with BOM). Every reader produces a :class:`~.document.Document` (lines and
grids) and one interpreter maps it onto the national format (legal spec §3–4). A cell the reader
is not sure of is ``None`` with a :class:`ReadNote`, never a guess.

Whatever the input, the only exception is :class:`ReportReadError`, whose message names the file
and what is missing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

from gongkai.core.errors import ReportFormatError, ReportReadError
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers.document import Document, SourceKind
from gongkai.core.report.readers.interpret import interpret
from gongkai.core.report.readers.text import decode, text_document
from gongkai.core.report.taxonomy import SCHEMA

# The PDF, Word and web-page readers are imported by :func:`extract` when a file of their kind is
# read: pdfplumber/pypdfium2, python-docx and lxml cost ~90 ms of start-up that a text parse,
# ``gongkai --help`` or a web process that never reads a report should not pay (issue 19).

__all__ = [
    "INTERNAL_ERROR",
    "MAX_BYTES",
    "MAX_PAGES",
    "Document",
    "SourceKind",
    "extract",
    "read_at_most",
    "read_bytes",
    "read_report",
    "read_stream_at_most",
    "sniff",
]

#: Files larger than this are refused before reading (a report is a few MB at most).
MAX_BYTES = 50 * 1024 * 1024
#: Prefix of the message of a ReportReadError that wraps a fault of the reader itself.
INTERNAL_ERROR = "读取程序内部错误"

_HTML_MARKUP = (
    b"<!doctype html",
    b"<html",
    b"<head",
    b"<body",
    b"<table",
    b"<div",
    b"<p>",
    b"<p ",
    b"<meta",
    b"<title",
)


def read_report(path: str | Path) -> AnnualReport:
    """Read the 政府信息公开工作年度报告 (条例 art 50) in the file at ``path``."""
    where = str(path)
    try:
        data = read_at_most(path, MAX_BYTES)
    except OSError as exc:
        raise ReportReadError(f"无法打开文件（{exc.strerror or type(exc).__name__}）", source=where) from None
    if data is None:
        raise ReportReadError(_too_big(None), source=where)
    return read_bytes(data, name=where)


def read_at_most(path: str | Path, limit: int) -> bytes | None:
    """The bytes of the file at ``path``, or None when it holds more than ``limit`` bytes.

    Never trusts ``stat().st_size`` (0 for /dev/zero, a pipe or a /proc file): it reads at most
    ``limit + 1`` bytes, in chunks, whatever the file is, so memory stays bounded by ``limit``.
    """
    with open(path, "rb") as handle:
        return read_stream_at_most(handle, limit)


def read_stream_at_most(stream: BinaryIO, limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``stream`` (a file, a pipe, stdin); None when it holds more."""
    data = stream.read(limit + 1)
    return None if len(data) > limit else data


def read_bytes(data: bytes, name: str = "") -> AnnualReport:
    """Read a report from its bytes; ``name`` is only used in messages."""
    source = name or "（未命名文件）"
    if len(data) > MAX_BYTES:
        raise ReportReadError(_too_big(len(data)), source=source)
    try:
        kind = sniff(data, source)
        if kind is SourceKind.JSON:
            return _from_json(data, source)
        return interpret(extract(data, kind, source))
    except ReportReadError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ReportReadError(f"文件结构过深或过大，无法读取（{type(exc).__name__}）", source=source) from None
    except Exception as exc:
        # The promise is that no input crashes the caller; the test suite fails on this message.
        raise ReportReadError(f"{INTERNAL_ERROR}（{type(exc).__name__}: {exc}），无法读取", source=source) from exc


def _too_big(size: int | None) -> str:
    if size is None:
        return f"文件超过 {MAX_BYTES // 2**20} MB 的上限，不像是一份年度报告"
    return f"文件有 {size / 2**20:.1f} MB，超过 {MAX_BYTES // 2**20} MB 的上限，不像是一份年度报告"


def sniff(data: bytes, source: str = "") -> SourceKind:
    """Which reader a file needs, from its first bytes (magic numbers, then markup)."""
    head = data[:1024]
    if not data.strip():
        raise ReportReadError("文件是空的", source=source or None)
    if b"%PDF-" in head:
        return SourceKind.PDF
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return SourceKind.DOC
    if data.startswith(b"{\\rtf"):
        raise ReportReadError("这是 RTF 文件，请另存为 .docx 或 PDF 后再读取", source=source or None)
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")):
        return SourceKind.IMAGE
    if data.startswith(b"GIF8"):
        raise ReportReadError("这是 GIF 图片，无法识别文字；请提供 PDF、PNG 或 JPEG 扫描件", source=source or None)
    start = head.lstrip(b" \t\r\n\xef\xbb\xbf").lower()
    probe = data[:4096].lower()
    if start.startswith(b"{") and b'"schema"' in data[:2000]:
        return SourceKind.JSON
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        probe = data[:8192].decode("utf-16", errors="ignore").lower().encode()
    if any(marker in probe for marker in _HTML_MARKUP):
        return SourceKind.HTML
    return SourceKind.TEXT


def _zip_kind(data: bytes) -> SourceKind:
    """A zip package: Word, Excel or OFD by the parts it names (a damaged one is read as Word,
    whose reader says what is wrong)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {name.lstrip("/") for name in archive.namelist()[:10_000]}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
        return SourceKind.DOCX
    if "word/document.xml" in names:
        return SourceKind.DOCX
    if "xl/workbook.xml" in names:
        return SourceKind.XLSX
    if "OFD.xml" in names or "ofd.xml" in names:
        return SourceKind.OFD
    return SourceKind.DOCX


def extract(data: bytes, kind: SourceKind, source: str) -> Document:
    """The lines and grids of a file of the given kind (each reader's libraries imported when
    first needed)."""
    if kind is SourceKind.XLSX:
        from gongkai.core.report.readers.xlsx import xlsx_document

        return xlsx_document(data, source)
    if kind is SourceKind.OFD:
        from gongkai.core.report.readers.ofd import ofd_document

        return ofd_document(data, source)
    if kind is SourceKind.DOC:
        from gongkai.core.report.readers.doc import doc_document

        return doc_document(data, source)
    if kind is SourceKind.IMAGE:
        from gongkai.core.report.readers.ocr import image_document

        return image_document(data, source)
    if kind is SourceKind.PDF:
        from gongkai.core.report.readers.pdf import pdf_document

        return pdf_document(data, source)
    if kind is SourceKind.DOCX:
        from gongkai.core.report.readers.word import docx_document

        return docx_document(data, source)
    if kind is SourceKind.HTML:
        from gongkai.core.report.readers.html import html_document

        # Markup, scripts and inline images are most of a page: its text is capped after parsing.
        return html_document(decode(data, source, limit=MAX_BYTES), source)
    return text_document(decode(data, source), source)


def __getattr__(name: str) -> int:
    """``MAX_PAGES`` (the PDF reader's page limit), read from the PDF module when asked for."""
    if name == "MAX_PAGES":
        from gongkai.core.report.readers import pdf

        return pdf.MAX_PAGES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _from_json(data: bytes, source: str) -> AnnualReport:
    text = decode(data, source)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportReadError(f"JSON 无法解析：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}", source=source) from None
    if not isinstance(payload, dict) or payload.get("schema") != SCHEMA:
        raise ReportReadError(f"JSON 不是 {SCHEMA} 格式的年度报告数据", source=source)
    try:
        return AnnualReport.from_dict(payload)
    except ReportFormatError as exc:
        raise ReportReadError(str(exc), source=source) from None
