"""Plain text: decoding and the text form of a report (Word text export, pasted web text, PDF text)."""

from __future__ import annotations

import codecs
import re

from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import Document, SourceKind

#: A report is well under a million characters; more is not a report (and would only be slow).
MAX_TEXT_CHARS = 5_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SENTENCE_END = ("。", "：", "；", "！", "？", ":", ";")


def decode(data: bytes, source: str, *, limit: int = MAX_TEXT_CHARS) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (GBK, GB2312)."""
    text: str | None = None
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReportReadError("文件不是文本，也不是 PDF、Word 或网页文件（含有二进制数据）", source=source)
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise ReportReadError(
            "无法识别文件的文字编码（不是 UTF-8、GB18030 或带 BOM 的 UTF-16），也不是 PDF 或 Word 文件", source=source
        )
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise ReportReadError("文件不是文本，也不是 PDF、Word 或网页文件（含有二进制数据）", source=source)
    if len(text) > limit:
        raise ReportReadError(f"文字过长（超过 {limit // 10000} 万字），不像是一份年度报告", source=source)
    return text


def looks_wrapped(lines: list[str]) -> bool:
    """True when long lines mostly end mid-sentence: a page layout (PDF text), not paragraphs."""
    long_lines = [line.rstrip() for line in lines if len(line.strip()) >= 15]
    if len(long_lines) < 5:
        return False
    ended = sum(1 for line in long_lines if line.endswith(_SENTENCE_END))
    return ended < len(long_lines) * 0.3


def text_document(text: str, source: str) -> Document:
    """The lines of a text file as they are: the interpreter reads tab- and space-separated cells."""
    lines = text.splitlines()
    return Document(source=source, kind=SourceKind.TEXT, lines=lines, wrapped=looks_wrapped(lines))
