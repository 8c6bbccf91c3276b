"""Scanned reports: PDF pages without a text layer and page images, read by OCR.

The engine is RapidOCR on onnxruntime (the optional extra ``ocr``: ``pip install -e '.[ocr]'``):
PP-OCR's detection, direction and recognition models ship inside the ``rapidocr_onnxruntime``
package and run on the CPU, so nothing is downloaded at run time. Pages of a PDF are rendered by
PDFium (pypdfium2) at :data:`DPI`; each text box OCR finds is placed by its position
(:mod:`.positioned`): boxes on one baseline form a line, a gap between two boxes is a cell
boundary. The lines then go to the same interpreter as every other format.

An OCR misread must never become a confident wrong number: the document is marked ``ocr`` and
:func:`~.verify.keep_what_adds_up` keeps only the cells that pass the report's own arithmetic.
"""

from __future__ import annotations

import io
from typing import Any

from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import Document, SourceKind
from gongkai.core.report.readers.positioned import Placed, page_lines

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


def ocr_lines(image: Any) -> list[str]:
    """The lines of one page image (a PIL image)."""
    import numpy as np

    array = np.asarray(image.convert("RGB"))[:, :, ::-1]  # RGB → BGR, as OpenCV expects
    result, _ = engine()(array)
    placed: list[Placed] = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [float(p[0]) for p in box]
        ys = [float(p[1]) for p in box]
        height = max(ys) - min(ys)
        placed.append(Placed(min(xs), (min(ys) + max(ys)) / 2, max(xs), max(height, 1.0), str(text)))
    return page_lines(placed, gap=0.6)


def image_document(data: bytes, source: str) -> Document:
    """A page image (PNG, JPEG, TIFF, BMP; every frame of a multi-page TIFF) read by OCR."""
    if not available():
        raise ReportReadError(MISSING.replace("这是扫描件（没有文字层）", "这是图片文件（扫描件）"), source=source)
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    lines: list[str] = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = min(getattr(image, "n_frames", 1), MAX_OCR_PAGES)
            for frame in range(frames):
                image.seek(frame)
                image.load()
                lines.extend(ocr_lines(image))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise ReportReadError(f"图片文件损坏或无法识别（{type(exc).__name__}）", source=source) from None
    return _document(lines, source, SourceKind.IMAGE, frames)


def pdf_pages_document(data: bytes, source: str, pages: int) -> Document:
    """A PDF without a text layer: its pages rendered and read by OCR."""
    if not available():
        raise ReportReadError(MISSING, source=source)
    import pypdfium2 as pdfium

    lines: list[str] = []
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
                lines.extend(ocr_lines(bitmap.to_pil()))
            finally:
                page.close()
    finally:
        document.close()
    return _document(lines, source, SourceKind.PDF, count)


def _document(lines: list[str], source: str, kind: SourceKind, pages: int) -> Document:
    if not any(line.strip() for line in lines):
        where = "PDF 没有文字层，" if kind is SourceKind.PDF else "图片中"
        raise ReportReadError(f"{where}文字识别（OCR）也没有识别出文字，无法读取", source=source)
    notes = [f"扫描件，{pages} 页经文字识别（OCR）读取；只采用满足表中合计关系的数字"]
    return Document(source=source, kind=kind, lines=lines, wrapped=True, notes=notes, ocr=True)
