"""OFD (GB/T 33190, the national electronic-document format): a zip of XML pages whose text
objects carry their positions. Each page's text is put back into lines by position (objects on
one baseline, left to right; a wide gap between two objects is a cell boundary, written as a
tab), so a table comes out as the tab-separated rows the token stream reads (:mod:`.stream`).

``OFD.xml`` names the document (``DocBody/DocRoot``), whose ``Document.xml`` lists the pages
(``Pages/Page/@BaseLoc``); each page's ``Content.xml`` holds ``TextObject`` elements with a
``Boundary`` ("x y w h", millimetres) and ``TextCode`` runs (``X``/``Y`` relative to it). The XML
is parsed without entities or network access; sizes are capped as for Word files.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from gongkai.core import lazyre
from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import Document, SourceKind
from gongkai.core.report.readers.positioned import Placed, page_lines
from gongkai.core.report.readers.word import MAX_UNPACKED_BYTES

MAX_PAGES = 300
MAX_TEXT_OBJECTS = 200_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def is_ofd(names: list[str]) -> bool:
    return "OFD.xml" in names or "ofd.xml" in names


def ofd_document(data: bytes, source: str) -> Document:
    """Lines of every page of an OFD file, in page order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReportReadError(f"OFD 文件损坏或不完整（{type(exc).__name__}），无法打开", source=source) from None
    with archive:
        if sum(max(0, i.file_size) for i in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise ReportReadError("OFD 文件解压后过大，不像是一份年度报告", source=source)
        names = {i.filename.lstrip("/"): i.filename for i in archive.infolist()}

        def read(path: str) -> etree._Element:
            key = path.lstrip("/")
            if key not in names:
                raise ReportReadError(f"OFD 文件缺少“{key}”", source=source)
            try:
                root = etree.fromstring(archive.read(names[key]), _PARSER)
            except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                raise ReportReadError(f"OFD 文件的“{key}”已损坏（{type(exc).__name__}）", source=source) from None
            if root is None:
                raise ReportReadError(f"OFD 文件的“{key}”是空的", source=source)
            return root

        entry = "OFD.xml" if "OFD.xml" in names else "ofd.xml"
        doc_root = _first_text(read(entry), "DocRoot")
        if not doc_root:
            raise ReportReadError("OFD 文件没有 DocRoot（文档入口）", source=source)
        document = read(doc_root)
        base = posixpath.dirname(doc_root.lstrip("/"))
        pages = [
            posixpath.normpath(posixpath.join(base, str(loc)))
            for page in _all(document, "Page")
            if (loc := page.get("BaseLoc"))
        ]
        if not pages:
            raise ReportReadError("OFD 文件没有页面", source=source)
        if len(pages) > MAX_PAGES:
            raise ReportReadError(f"OFD 有 {len(pages)} 页，超过 {MAX_PAGES} 页的上限", source=source)
        lines: list[str] = []
        count = 0
        for page in pages:
            texts = _texts(read(page))
            count += len(texts)
            if count > MAX_TEXT_OBJECTS:
                raise ReportReadError("OFD 文件文字对象过多，不像是一份年度报告", source=source)
            lines.extend(page_lines(join_wrapped(texts)))
    return Document(source=source, kind=SourceKind.OFD, lines=lines, wrapped=True)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _all(root: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in root.iter() if _local(e.tag) == name]


def _first_text(root: etree._Element, name: str) -> str:
    for element in _all(root, name):
        return (element.text or "").strip()
    return ""


def _floats(raw: str | None, count: int) -> list[float] | None:
    try:
        values = [float(v) for v in (raw or "").split()]
    except ValueError:
        return None
    return values if len(values) >= count else None


def _texts(page: etree._Element) -> list[Placed]:
    out: list[Placed] = []
    for obj in _all(page, "TextObject"):
        box = _floats(obj.get("Boundary"), 4)
        if box is None:
            continue
        size = (_floats(obj.get("Size"), 1) or [box[3] or 3.5])[0] or 3.5
        for code in [e for e in obj if _local(e.tag) == "TextCode"]:
            text = "".join(code.itertext())
            if not text.strip():
                continue
            x = box[0] + ((_floats(code.get("X"), 1) or [0.0])[0])
            y = box[1] + ((_floats(code.get("Y"), 1) or [0.0])[0])
            # The printed extent of the text (a boundary may be as wide as the table cell).
            extent = sum(size if ord(ch) > 0x2E7F else size * 0.55 for ch in text)
            right = min(box[0] + box[2], x + extent) if box[2] > 0 else x + extent
            out.append(Placed(x, y, right, size, text))
    return out


_NUMERIC = lazyre.compile(r"[\d０-９,，.．\s/—-]+")


def join_wrapped(texts: list[Placed]) -> list[Placed]:
    """Put back together a label wrapped over several lines of its table cell.

    A text that starts at the same left edge as one on the line just above it (within a fifth of a
    character), on a line holding no number, continues it: "1.申请人无正当理由逾期不补" +
    "正、行政机关不再处理其政府信息" + "公开申请" is one row label again, on the line of the first
    part (where the row's numbers are printed, or, when they are centred in the row, on the line of
    the part beside them).
    """
    rows: dict[int, list[Placed]] = {}
    for t in texts:
        rows.setdefault(round(t.y * 4), []).append(t)
    numeric_ys = sorted({t.y for t in texts if _NUMERIC.fullmatch(t.text)})
    merged: dict[int, Placed] = {}
    absorbed: set[int] = set()
    order = sorted(range(len(texts)), key=lambda i: (texts[i].y, texts[i].x))
    for n, i in enumerate(order):
        if i in absorbed:
            continue
        head = texts[i]
        if _NUMERIC.fullmatch(head.text):
            continue
        parts = [head]
        last = head
        for j in order[n + 1 :]:
            t = texts[j]
            if t.y - last.y > last.size * 1.8:
                break
            if (
                j not in absorbed
                and abs(t.x - head.x) <= head.size * 0.2
                and t.y - last.y >= last.size * 0.8
                and not _NUMERIC.fullmatch(t.text)
                and not any(abs(y - t.y) <= t.size * 0.35 for y in numeric_ys)
            ):
                parts.append(t)
                absorbed.add(j)
                last = t
        if len(parts) > 1:
            beside = [p for p in parts if any(abs(y - p.y) <= p.size * 0.35 for y in numeric_ys)]
            line = beside[0] if beside else head  # its right edge keeps the gap to the numbers
            merged[i] = Placed(head.x, line.y, line.right, head.size, "".join(p.text for p in parts))
    return [merged.get(i, t) for i, t in enumerate(texts) if i not in absorbed]
