"""Word (.docx) files: paragraphs and tables in body order, merged cells expanded into grids.

The body (``word/document.xml``) is parsed with python-docx's own XML parser and element classes
(:func:`docx.oxml.parser.parse_xml`: no entity expansion). ``docx.Document()`` is not used to
open the file: it parses every part of the package, and Word's styles alone (styles.xml,
stylesWithEffects.xml, ~800 KB in the default template) cost half the reading time. The tables
are walked as XML too: python-docx's ``table.rows[i].cells`` repeats a merged cell once per grid
column and loses its place in rows that start late (``w:gridBefore``). Here a horizontally merged
cell (``w:gridSpan``) and the continuation of a vertical merge (``w:vMerge``) share the key of the
underlying ``w:tc`` (:class:`~.document.Grid`).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from lxml import etree

from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import MAX_GRID_COLS, Document, Grid, GridBuilder, SourceKind

#: A zip whose parts unpack to more than this is not a report (and may be a zip bomb).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_BODY_ELEMENTS = 200_000
#: The body XML of a long report is a few MB; beyond this it is not a report.
MAX_BODY_BYTES = 64 * 1024 * 1024
MAIN_PART = "word/document.xml"

_BODY = qn("w:body")
_P = qn("w:p")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_T = qn("w:t")
_TAB = qn("w:tab")
_BR = qn("w:br")
_CR = qn("w:cr")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")
_TC_PR = qn("w:tcPr")
_TR_PR = qn("w:trPr")
_GRID_SPAN = qn("w:gridSpan")
_GRID_BEFORE = qn("w:gridBefore")
_V_MERGE = qn("w:vMerge")
_VAL = qn("w:val")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)


def main_part(data: bytes, source: str) -> bytes:
    """The body XML of a .docx; refuses a zip that is not Word, is damaged, or unpacks to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {info.filename for info in infos}
            if MAIN_PART not in names:
                if "OFD.xml" in names:
                    raise ReportReadError("这是 OFD 文件，暂不支持；请提供 PDF、Word（.docx）或网页", source=source)
                raise ReportReadError("ZIP 文件中没有 word/document.xml，不是 Word（.docx）文件", source=source)
            body = next(info for info in infos if info.filename == MAIN_PART)
            if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES or body.file_size > MAX_BODY_BYTES:
                raise ReportReadError(
                    f"Word 文件解压后超过 {MAX_UNPACKED_BYTES // 2**20} MB，不像是一份年度报告", source=source
                )
            return package.read(MAIN_PART)
    except _ZIP_ERRORS as exc:
        raise ReportReadError(f"ZIP/Word 文件损坏或不完整，无法打开（{type(exc).__name__}）", source=source) from None


def docx_document(data: bytes, source: str) -> Document:
    """Lines (paragraphs; table rows tab-separated) and grids of a .docx file."""
    try:
        root = parse_xml(main_part(data, source))
    except etree.XMLSyntaxError as exc:
        raise ReportReadError(f"Word 文件的正文（word/document.xml）已损坏：{exc.msg}", source=source) from None
    body = root.find(_BODY)
    if body is None:
        raise ReportReadError("Word 文件没有正文（w:body）", source=source)
    lines: list[str] = []
    grids: list[Grid] = []
    for count, element in enumerate(_blocks(body)):
        if count >= MAX_BODY_ELEMENTS:
            raise ReportReadError("Word 文件段落过多，不像是一份年度报告", source=source)
        if element.tag == _P:
            lines.extend(paragraph_text(element).split("\n"))
        else:
            _table(element, lines, grids)
    return Document(source=source, kind=SourceKind.DOCX, lines=lines, grids=grids)


def _blocks(parent: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body or cell in order, looking inside content controls."""
    stack = list(reversed(parent))
    while stack:
        element = stack.pop()
        if element.tag in (_P, _TBL):
            yield element
        elif element.tag in (_SDT, _SDT_CONTENT):
            stack.extend(reversed(element))


def paragraph_text(paragraph: etree._Element) -> str:
    """The visible text of a paragraph: runs, tabs and breaks (not deleted text or field codes).

    The fallback copy of a text box (``mc:Fallback``) is skipped so its text is not read twice.
    """
    parts: list[str] = []
    fallbacks: list[etree._Element] = []
    for element in paragraph.iter(_T, _TAB, _BR, _CR, _FALLBACK):
        tag = element.tag
        if tag == _FALLBACK:
            fallbacks.append(element)
            continue
        if fallbacks and any(element in set(f.iter()) for f in fallbacks):
            continue
        if tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _int_attr(parent: etree._Element | None, child: str, default: int) -> int:
    if parent is None:
        return default
    node = parent.find(child)
    if node is None:
        return default
    try:
        return int(str(node.get(_VAL, default)))
    except ValueError:
        return default


_MAX_NESTING = 4


def _table(tbl: etree._Element, lines: list[str], grids: list[Grid], depth: int = 0) -> None:
    builder = GridBuilder()
    nested: list[etree._Element] = []
    for tr in (child for child in tbl if child.tag == _TR):
        builder.new_row()
        if builder.full:
            break
        builder.skip(_int_attr(tr.find(_TR_PR), _GRID_BEFORE, 0))
        row: list[str] = []
        for tc in _cells(tr):
            tc_pr = tc.find(_TC_PR)
            span = max(1, min(_int_attr(tc_pr, _GRID_SPAN, 1), MAX_GRID_COLS))
            merge = tc_pr.find(_V_MERGE) if tc_pr is not None else None
            texts: list[str] = []
            for block in _blocks(tc):
                if block.tag == _P:
                    texts.append(paragraph_text(block))
                else:
                    nested.append(block)
            text = "\n".join(t for t in texts if t.strip())
            if merge is not None and merge.get(_VAL, "continue") == "continue":
                builder.continue_above(span)
                row.append("")
            else:
                builder.add(text, span)
                row.append(" ".join(text.split()))
        lines.append("\t".join(row))
    grid = builder.build()
    if grid is not None:
        grids.append(grid)
    if depth < _MAX_NESTING:
        for inner in nested:
            _table(inner, lines, grids, depth + 1)


def _cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag in (_SDT, _SDT_CONTENT):
            yield from (c for c in child.iter(_TC))
