"""Scanned reports: PDF pages without a text layer and page images, read by OCR.

The engine is RapidOCR on onnxruntime (the optional extra ``ocr``: ``pip install -e '.[ocr]'``):
PP-OCR's detection, direction and recognition models ship inside the ``rapidocr_onnxruntime``
package and run on the CPU, so nothing is downloaded at run time. Pages of a PDF are rendered by
PDFium (pypdfium2) at :data:`DPI`. Each page gives two forms of the same text boxes: lines
(:mod:`.positioned`: boxes on one baseline form a line, a gap between two boxes is a cell
boundary) and grids, the page's ruled tables with each box in the cell its centre falls in
(:mod:`.ruled`). Both go to the same interpreter as every other format.

An OCR misread must never become a confident wrong number: every number is read twice (the page,
then its own crop, :func:`_second_reads`) and dropped unless both reads agree; the document is
marked ``ocr`` and :func:`~.verify.keep_what_adds_up` keeps only the table 三 and 四 cells that
pass the report's own arithmetic (table 二, which has no sum, rests on the two reads).
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from gongkai.core import lazyre
from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import Document, Grid, SourceKind
from gongkai.core.report.readers.positioned import Placed, page_lines
from gongkai.core.report.readers.ruled import Box, find_tables

#: Resolution pages are rendered at for OCR (a scan is 150–300 dpi).
DPI = 200
#: Pages read by OCR at most (a report's text and tables fill a few pages; OCR is ~1 s a page).
MAX_OCR_PAGES = 30
#: Pixels of one page image at most (a 300 dpi A3 page is 17 MP).
MAX_PIXELS = 40_000_000
#: Text boxes recognised with less confidence than this are dropped (their numbers stay blank).
MIN_SCORE = 0.5
MISSING = (
    "这是扫描件（没有文字层），读取它需要文字识别（OCR）组件：请安装 gongkai 的 ocr 扩展"
    "（pip install -e '.[ocr]'，即 rapidocr-onnxruntime）"
)

_engine: Any = None


def available() -> bool:
    """True when the OCR engine can be imported."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def engine() -> Any:
    """The OCR engine, created once per process (loading the models takes a few seconds)."""
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR()
    return _engine


def read_page(image: Any) -> tuple[list[str], list[Grid]]:
    """The lines and the ruled tables (as grids) of one page image (a PIL image).

    Every number OCR finds is read a second time from its own crop (:func:`_second_reads`); a
    number the two reads do not agree on is replaced by :data:`UNREAD`, which the interpreter
    leaves blank with a note.
    """
    import numpy as np

    rgb = image.convert("RGB")
    array = np.asarray(rgb)[:, :, ::-1]  # RGB → BGR, as OpenCV expects
    result, _ = engine()(array)
    boxes: list[Box] = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), str(text)))
    gray = np.asarray(rgb.convert("L"))
    # A page is A4 or A3 in either orientation: its longer side is 297 or 420 mm; the scale only
    # sets how long a ruling must be, so A4 is assumed.
    tables = find_tables(gray, max(gray.shape) / 297)
    boxes = _second_reads(array, boxes)
    placed = [Placed(b.left, (b.top + b.bottom) / 2, b.right, max(b.bottom - b.top, 1.0), b.text) for b in boxes]
    grids = [g for t in tables if (g := t.grid(boxes)) is not None]
    return page_lines(placed, gap=0.6), grids


#: What a number the two reads disagree on becomes (a cell the interpreter cannot read).
UNREAD = "（未能识别）"
_NUMBER = lazyre.compile(r"[0-9０-９][0-9０-９,，.]*")


def _second_reads(array: Any, boxes: list[Box]) -> list[Box]:
    """Each box that holds a number, read again by the recogniser alone from a crop of its own
    (the box's rectangle widened by a third of a character each side and set on white, not the
    detector's rotated and enlarged quadrilateral). A number is kept only when both reads give the same digits.

    Measured on the test scan at 150 dpi: the page read took a printed 9 for a 6 twice; the second
    read said 9 both times, so neither 6 became a number. A second read is not a proof, which is
    why table 三 and 四 numbers must also add up (:mod:`.verify`); table 二 has no sum and rests on
    the agreement of the two reads alone.
    """
    height, width = array.shape[:2]
    wanted: list[int] = []
    crops: list[Any] = []
    for i, box in enumerate(boxes):
        if not _NUMBER.fullmatch(box.text.strip()):
            continue
        size = box.bottom - box.top
        y0, y1 = max(0, int(box.top)), min(height, int(box.bottom) + 1)
        x0, x1 = max(0, int(box.left - size * 0.3)), min(width, int(box.right + size * 0.3) + 1)
        if y1 - y0 < 4 or x1 - x0 < 4:
            continue
        wanted.append(i)
        crops.append(_on_white(array[y0:y1, x0:x1]))
    if not crops:
        return boxes
    second, _ = engine().text_rec(crops)
    out = list(boxes)
    for i, (text, _score) in zip(wanted, second, strict=True):
        # Agreement is the test, not the score: a lone 0 is read right with a score of 0.2–0.3.
        if not _same_number(boxes[i].text, str(text)):
            out[i] = Box(boxes[i].left, boxes[i].top, boxes[i].right, boxes[i].bottom, UNREAD)
    return out


def _on_white(crop: Any) -> Any:
    """The crop centred on white at least three times as wide as it is high (a lone digit in a
    narrow crop is often read as nothing)."""
    import numpy as np

    h, w = crop.shape[:2]
    canvas = np.full((h, max(w, 3 * h), 3), 255, dtype=np.uint8)
    x = (canvas.shape[1] - w) // 2
    canvas[:, x : x + w] = crop
    return canvas


#: A lone 0 alone in its crop is often recognised as a round mark (the models read Chinese text).
_ROUND = frozenset("。oO〇○")


def _same_number(first: str, second: str) -> bool:
    digits = _digits(first)
    again = second.strip()
    if digits == "0" and len(again) == 1 and again in _ROUND:
        return True
    return bool(digits) and _digits(again) == digits and not any(ch.isalpha() for ch in again)


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


def image_document(data: bytes, source: str) -> Document:
    """A page image (PNG, JPEG, TIFF, BMP; every frame of a multi-page TIFF) read by OCR."""
    if not available():
        raise ReportReadError(MISSING.replace("这是扫描件（没有文字层）", "这是图片文件（扫描件）"), source=source)
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    lines: list[str] = []
    grids: list[Grid] = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = min(getattr(image, "n_frames", 1), MAX_OCR_PAGES)
            for frame in range(frames):
                image.seek(frame)
                image.load()
                page, tables = read_page(image)
                lines.extend(page)
                grids.extend(tables)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise ReportReadError(f"图片文件损坏或无法识别（{type(exc).__name__}）", source=source) from None
    return _document(lines, grids, source, SourceKind.IMAGE, frames)


def pdf_pages_document(data: bytes, source: str, pages: int) -> Document:
    """A PDF without a text layer: its pages rendered and read by OCR."""
    if not available():
        raise ReportReadError(MISSING, source=source)
    import pypdfium2 as pdfium

    lines: list[str] = []
    grids: list[Grid] = []
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise ReportReadError("PDF 文件损坏或不完整，无法打开", source=source) from None
    try:
        count = min(len(document), pages, MAX_OCR_PAGES)
        for i in range(count):
            page = document[i]
            try:
                width, height = page.get_size()
                scale = DPI / 72
                if width * height * scale * scale > MAX_PIXELS:
                    scale = (MAX_PIXELS / (width * height)) ** 0.5
                bitmap = page.render(scale=scale, grayscale=True)
                page_text, tables = read_page(bitmap.to_pil())
                lines.extend(page_text)
                grids.extend(tables)
            finally:
                page.close()
    finally:
        document.close()
    return _document(lines, grids, source, SourceKind.PDF, count)


def _document(lines: list[str], grids: list[Grid], source: str, kind: SourceKind, pages: int) -> Document:
    if not any(line.strip() for line in lines):
        where = "PDF 没有文字层，" if kind is SourceKind.PDF else "图片中"
        raise ReportReadError(f"{where}文字识别（OCR）也没有识别出文字，无法读取", source=source)
    notes = [f"扫描件，{pages} 页经文字识别（OCR）读取；数字须两次识别一致，表三、表四的还须满足表中合计关系"]
    return Document(source=source, kind=kind, lines=lines, grids=grids, wrapped=True, notes=notes, ocr=True)
