"""PDF with a text layer: ruled tables through pdfplumber, the text layer through PDFium.

PDFium (pypdfium2, which pdfplumber itself depends on) gives each page's text in a few
milliseconds; it also says which pages hold tables 三 and 四, and pdfplumber (slow: a Python PDF
interpreter) finds the ruling lines and cells only on those. The two extractions are
independent, so the interpreter cross-checks them: a cell the grid and the text read
differently is left blank with a note.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pdfplumber
import pypdfium2 as pdfium

from gongkai.core import lazyre
from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import Document, Grid, SourceKind
from gongkai.core.report.readers.normalize import norm

MAX_PAGES = 300
#: Tables 二–四 fill two to four pages; more pages with table words are not all read for grids.
MAX_TABLE_PAGES = 8
_CJK = lazyre.compile(r"[\u4e00-\u9fff]")
_VISIBLE = lazyre.compile(r"\S")
#: Words of the headers and rows of tables 三 and 四: a page with two of them holds part of one.
#: Only those pages go through pdfplumber (it interprets every drawing operator in Python, about
#: 60 ms a page); table 二 is read from the text layer unless it shares a page with them.
_TABLE_WORDS = (
    "申请人情况",
    "自然人",
    "本年新收",
    "上年结转",
    "予以公开",
    "国家秘密",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "重复申请",
    "出版物",
    "结转下年",
    "直接起诉",
    "复议后起诉",
    "尚未审结",
)
#: Words of table 二: a page with two of them (and none of the above) is parsed only on demand.
_TABLE2_WORDS = (
    "第二十条第",
    "信息内容",
    "本年制发件数",
    "处理决定数量",
    "行政许可",
    "行政处罚",
    "事业性收费",
    "规范性文件",
)
_EPSILON = 1.0


def _quiet_pdfminer() -> None:
    """pdfminer's records below ERROR are dropped, and its debug calls cost nothing.

    pdfminer logs a debug record for every token and operator of a page's content stream (about
    270,000 calls for three reports' table pages, ~6 % of a read): even below the logger's level
    each call costs two Python calls. Each pdfminer logger's ``debug`` becomes ``"".format``, a
    call in C that takes any arguments and does nothing with them.
    """
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if name.startswith("pdfminer") and isinstance(logger, logging.Logger):
            logger.debug = "".format  # type: ignore[method-assign,assignment]


_quiet_pdfminer()


def pdf_document(data: bytes, source: str) -> Document:
    """Text lines of every page and grids of the ruled tables on the pages that hold tables."""
    texts = _page_texts(data, source)
    visible = sum(len(_VISIBLE.findall(t)) for t in texts)
    if visible < 20 or len(_CJK.findall("".join(texts))) < 10:
        from gongkai.core.report.readers import ocr

        if not ocr.available():
            why = "PDF 没有文字层" if visible < 20 else "PDF 的文字层中没有可识别的汉字（或字体缺少 Unicode 映射）"
            raise ReportReadError(f"{why}，可能是扫描件。{ocr.MISSING}", source=source)
        return ocr.pdf_pages_document(data, source, len(texts))
    pages = [i for i, text in enumerate(texts) if _holds(text, _TABLE_WORDS)][:MAX_TABLE_PAGES]
    table2_pages = [i for i, text in enumerate(texts) if i not in pages and _holds(text, _TABLE2_WORDS)]
    table2_pages = table2_pages[:MAX_TABLE_PAGES]
    notes: list[str] = []
    grids = _safe_grids(data, pages, notes)
    lines = [line for text in texts for line in text.splitlines()]
    return Document(
        source=source,
        kind=SourceKind.PDF,
        lines=lines,
        grids=grids,
        cross_check=True,
        wrapped=True,
        notes=notes,
        more_grids=(lambda: _safe_grids(data, table2_pages, notes)) if table2_pages else None,
    )


def _safe_grids(data: bytes, pages: list[int], notes: list[str]) -> list[Grid]:
    if not pages:
        return []
    try:
        return _grids(data, pages)
    except Exception as exc:  # pdfminer raises many unrelated types on a damaged file
        notes.append(f"PDF 第 {pages[0] + 1} 页等的表格线无法识别（{type(exc).__name__}），只按文字层读取")
        return []


def _page_texts(data: bytes, source: str) -> list[str]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReportReadError("PDF 已加密（需要密码），无法读取", source=source) from None
        raise ReportReadError("PDF 文件损坏或不完整，无法打开", source=source) from None
    try:
        count = len(document)
        if count == 0:
            raise ReportReadError("PDF 没有页面", source=source)
        if count > MAX_PAGES:
            raise ReportReadError(f"PDF 有 {count} 页，超过 {MAX_PAGES} 页的上限，不像是一份年度报告", source=source)
        texts: list[str] = []
        for i in range(count):
            page = document[i]
            try:
                textpage = page.get_textpage()
                try:
                    texts.append(textpage.get_text_range())
                finally:
                    textpage.close()
            finally:
                page.close()
        return texts
    except pdfium.PdfiumError:
        raise ReportReadError("PDF 文件损坏或不完整，无法读取页面", source=source) from None
    finally:
        document.close()


def _holds(text: str, words: tuple[str, ...]) -> bool:
    normed = norm(text)
    return sum(1 for word in words if word in normed) >= 2


def _grids(data: bytes, pages: list[int]) -> list[Grid]:
    grids: list[Grid] = []
    with pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in pages]) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                grid = table_grid(table)
                if grid is not None and grid.n_cols >= 2:
                    grids.append(grid)
            page.close()
    return grids


def table_grid(table: Any) -> Grid | None:
    """A pdfplumber table as a grid: a position pdfplumber leaves empty (``None``) belongs to the
    cell to its left or above whose box covers it (a merged cell), else it is an empty cell."""
    rows = table.rows
    if not rows:
        return None
    texts = table.extract()
    n_rows = len(rows)
    n_cols = max(len(row.cells) for row in rows)
    lefts = sorted({round(cell[0], 1) for row in rows for cell in row.cells if cell is not None})
    right_edge = table.bbox[2]
    if len(lefts) != n_cols:
        lefts = [table.bbox[0] + (right_edge - table.bbox[0]) * c / n_cols for c in range(n_cols)]
    tops = [row.bbox[1] for row in rows]
    bottom_edge = table.bbox[3]
    centres_x = [(lefts[c] + (lefts[c + 1] if c + 1 < n_cols else right_edge)) / 2 for c in range(n_cols)]
    centres_y = [(tops[r] + (tops[r + 1] if r + 1 < n_rows else bottom_edge)) / 2 for r in range(n_rows)]
    owner: list[list[tuple[int, tuple[float, float, float, float] | None, str]]] = []
    next_key = 0
    for r, row in enumerate(rows):
        resolved: list[tuple[int, tuple[float, float, float, float] | None, str]] = []
        for c in range(n_cols):
            box = row.cells[c] if c < len(row.cells) else None
            if box is not None:
                text = texts[r][c] if r < len(texts) and c < len(texts[r]) else None
                resolved.append((next_key, tuple(box), text or ""))
                next_key += 1
                continue
            cover = _covering(resolved, owner, r, c, centres_x[c], centres_y[r])
            if cover is None:
                resolved.append((next_key, None, ""))
                next_key += 1
            else:
                resolved.append(cover)
        owner.append(resolved)
    return Grid(
        texts=tuple(tuple(text for _, _, text in row) for row in owner),
        keys=tuple(tuple(key for key, _, _ in row) for row in owner),
    )


def _covering(
    resolved: list[tuple[int, tuple[float, float, float, float] | None, str]],
    owner: list[list[tuple[int, tuple[float, float, float, float] | None, str]]],
    r: int,
    c: int,
    x: float,
    y: float,
) -> tuple[int, tuple[float, float, float, float] | None, str] | None:
    if c > 0:
        left = resolved[c - 1]
        box = left[1]
        if box is not None and box[2] > x + _EPSILON and box[1] < y < box[3]:
            return left
    if r > 0:
        above = owner[r - 1][c]
        box = above[1]
        if box is not None and box[3] > y + _EPSILON and box[0] < x < box[2]:
            return above
    return None
