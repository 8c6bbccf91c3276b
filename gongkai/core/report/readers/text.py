"""Plain text: decoding and the text form of a report (Word text export, pasted web text, PDF text)."""

from __future__ import annotations

import codecs
import re

from gongkai.core import lazyre
from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import MAX_GRID_COLS, MAX_GRID_ROWS, Document, Grid, GridBuilder, SourceKind

#: A report is well under a million characters; more is not a report (and would only be slow).
MAX_TEXT_CHARS = 5_000_000
_CONTROL = lazyre.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: Every byte but those :data:`_CONTROL` matches (``bytes.translate`` deletes them; what is left
#: are the control bytes).
_NOT_CONTROL = bytes(b for b in range(256) if not (b <= 0x08 or 0x0E <= b <= 0x1F or b == 0x7F))
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
    # A control character of the text is a control byte of the file (UTF-8 and GB18030 never use
    # bytes below 0x80 inside a multi-byte character): a file without one needs no scan of its text.
    clean = not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.translate(None, _NOT_CONTROL)
    if not clean and sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
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
    """The lines of a text file: the interpreter reads tab- and space-separated cells.

    Markdown (a PDF or Word file converted by a common converter) is read too: a pipe table
    (``| 本年新收… | 412 | 2 | … |``, its header over several pipe rows) becomes a grid and its rows
    tab-separated lines; heading marks (``#``) and emphasis (``**``) are dropped.
    """
    raw = text.splitlines()
    if not any(_PIPE_ROW.match(line) for line in raw[:5000]):
        return Document(source=source, kind=SourceKind.TEXT, lines=raw, wrapped=looks_wrapped(raw))
    lines: list[str] = []
    grids: list[Grid] = []
    block: list[list[str]] = []
    for line in raw:
        if _PIPE_ROW.match(line):
            if _PIPE_RULE.match(line):
                continue
            cells = _pipe_cells(line)
            block.append(cells)
            lines.append("\t".join(cells))
            continue
        _close_block(block, grids)
        lines.append(_MARKUP.sub("", _HEADING_MARK.sub("", line)))
    _close_block(block, grids)
    return Document(source=source, kind=SourceKind.TEXT, lines=lines, grids=grids, wrapped=looks_wrapped(lines))


_PIPE_ROW = lazyre.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = lazyre.compile(r"^\s*\|(?:\s*:?-{2,}:?\s*\|)+\s*$")
_HEADING_MARK = lazyre.compile(r"^\s{0,3}#{1,6}\s+")
_MARKUP = lazyre.compile(r"\*\*|__|<br\s*/?>", re.IGNORECASE)


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [_MARKUP.sub(" ", cell.replace("\\|", "|")).strip() for cell in cells][:MAX_GRID_COLS]


def _close_block(block: list[list[str]], grids: list[Grid]) -> None:
    """A run of pipe rows as a grid (rows padded to the widest; each cell its own)."""
    if not block:
        return
    width = max(len(row) for row in block)
    builder = GridBuilder()
    for row in block[:MAX_GRID_ROWS]:
        builder.new_row()
        for cell in row + [""] * (width - len(row)):
            builder.add(cell)
    grid = builder.build()
    if grid is not None and grid.n_cols >= 2:
        grids.append(grid)
    block.clear()
