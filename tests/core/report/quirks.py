"""Damaged and converted forms of a report, as supervisors meet them (issue 15), made from the
corpus reports (:mod:`.corpus`) and the project's own writers:

- :func:`markdown` — the report as a PDF-to-Markdown converter leaves it: headings with ``#``,
  tables as pipe rows, a merged cell's text in its first position and empty cells after it, the
  header of table 三 over three pipe rows;
- :func:`run_together` — the text a crawler or a copy from a browser gives: each table row on one
  line with the cell boundaries lost (``一、本年新收政府信息公开申请数量530010357``);
- :func:`with_chrome` — the report's page inside a site: navigation, a sidebar of links to other
  agencies' reports of other years, a footer;
- :func:`header_total_text` — a text whose column-header line holds "总计" and no row (七).
"""

from __future__ import annotations

import re

from lxml import etree

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers.html import table_grid
from gongkai.core.report.writers import render_html, render_text


def markdown(report: AnnualReport) -> str:
    """The report's HTML rendering converted to Markdown (pipe tables)."""
    root = etree.fromstring(render_html(report), etree.HTMLParser())
    out: list[str] = []
    body = root.find(".//body")
    assert body is not None
    for element in body.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h1", "h2", "h3"):
            out += ["", "#" * int(tag[1]) + " " + "".join(element.itertext()).strip(), ""]
        elif tag == "p" and element.getparent() is not None and element.getparent().tag not in ("td", "th"):
            text = "".join(element.itertext()).strip()
            if text:
                out += [text, ""]
        elif tag == "table":
            grid = table_grid(element)
            assert grid is not None
            for r in range(grid.n_rows):
                cells = []
                for c in range(grid.n_cols):
                    first = (c == 0 or grid.keys[r][c - 1] != grid.keys[r][c]) and (
                        r == 0 or grid.keys[r - 1][c] != grid.keys[r][c]
                    )
                    cells.append(" ".join(grid.texts[r][c].split()) if first else "")
                out.append("| " + " | ".join(cells) + " |")
                if r == 0:
                    out.append("|" + "---|" * grid.n_cols)
            out.append("")
    return "\n".join(out)


def run_together(report: AnnualReport) -> str:
    """The text rendering with every table row's cells joined into one line (boundaries lost)."""
    lines = render_text(report).split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("二、主动公开"))
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    out = lines[: start + 1]
    block: list[str] = []

    def flush() -> None:
        if block:
            out.append("".join(cell.strip() for cell in block))
            block.clear()

    for line in lines[start + 1 : end]:
        if not line.strip() or not line.startswith("\t"):
            flush()
            if line.strip():
                out.append(line)
            continue
        block.append(line)
    flush()
    return "\n".join(out + lines[end:])


def with_chrome(report: AnnualReport, *, others: list[tuple[str, int]]) -> str:
    """The report's page inside a site page: a nav bar, a sidebar listing other agencies' reports
    of other years (before the article), a footer."""
    page = render_html(report)
    links = "".join(
        f'<li><a href="/r/{i}">{agency}{year}年政府信息公开工作年度报告</a></li>'
        for i, (agency, year) in enumerate(others)
    )
    nav = '<nav><a href="/">首页</a> <a href="/gk">政务公开</a> <a href="/ndbg">年度报告</a></nav>'
    side = f"<aside><h3>相关报告</h3><ul>{links}</ul></aside>"
    foot = "<footer>主办单位：示范市人民政府办公室 网站标识码 1100000000 京ICP备00000000号</footer>"
    return re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>{nav}{side}", page, count=1).replace(
        "</body>", f"{foot}</body>"
    )


# ---------------------------------------------------------------------------------------------
# OFD (GB/T 33190): text objects with positions, written from the report's HTML rendering
# ---------------------------------------------------------------------------------------------

_OFD_NS = "http://www.ofdspec.org/2016"
_FONT = 3.0  # mm: character height and width of a CJK character


def _ofd_page_objects(report: AnnualReport) -> list[list[tuple[float, float, float, str]]]:
    """Pages of (x, y, width, text): paragraphs at the left margin, table cells in columns, a cell's
    text wrapped to its width (a long row label over two or three lines, as printed)."""
    root = etree.fromstring(render_html(report), etree.HTMLParser())
    body = root.find(".//body")
    assert body is not None
    pages: list[list[tuple[float, float, float, str]]] = [[]]
    y = 20.0

    def place(x: float, width: float, text: str, top: float) -> float:
        per_line = max(1, int(width // _FONT))
        chunks = [text[i : i + per_line] for i in range(0, len(text), per_line)] or [""]
        for n, chunk in enumerate(chunks):
            if chunk.strip():
                extent = sum(_FONT if ord(ch) > 0x2E7F else _FONT * 0.55 for ch in chunk)
                pages[-1].append((x, top + n * (_FONT + 1.5), extent, chunk))
        return top + len(chunks) * (_FONT + 1.5)

    def new_line(height: float) -> None:
        nonlocal y
        y += height
        if y > 270:
            pages.append([])
            y = 20.0

    for element in body.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        parent = element.getparent()
        if tag in ("h1", "h2", "h3", "p") and parent is not None and parent.tag not in ("td", "th"):
            text = "".join(element.itertext()).strip()
            if text:
                bottom = place(20.0, 170.0, text, y)
                new_line(bottom - y + 2)
        elif tag == "table":
            grid = table_grid(element)
            assert grid is not None
            label_cols = next(
                (c for c in range(grid.n_cols) if any(t.strip().isdigit() for t in (row[c] for row in grid.texts))),
                0,
            )
            widths = [
                (120.0 / label_cols if label_cols else 0.0) if c < label_cols else 0.0 for c in range(grid.n_cols)
            ]
            value_width = (185.0 - sum(widths)) / max(1, grid.n_cols - label_cols)
            widths = [w or value_width for w in widths]
            lefts = [10.0 + sum(widths[:c]) for c in range(grid.n_cols)]
            for r in range(grid.n_rows):
                bottom = y + _FONT + 1.5
                c = 0
                while c < grid.n_cols:
                    key = grid.keys[r][c]
                    span = 1
                    while c + span < grid.n_cols and grid.keys[r][c + span] == key:
                        span += 1
                    above = r > 0 and grid.keys[r - 1][c] == key
                    text = " ".join(grid.texts[r][c].split())
                    if text and not above:
                        width = sum(widths[c : c + span]) - 1.0
                        bottom = max(bottom, place(lefts[c] + 0.5, width, text, y))
                    c += span
                new_line(bottom - y + 1.5)
    return pages


def ofd(report: AnnualReport) -> bytes:
    """The report as an OFD package: OFD.xml → Doc_0/Document.xml → one Content.xml per page."""
    import io
    import zipfile

    pages = _ofd_page_objects(report)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_refs = "".join(
            f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages))
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}">'
            "<ofd:CommonData><ofd:MaxUnitID>99999</ofd:MaxUnitID><ofd:PageArea>"
            "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>"
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        )
        for i, objects in enumerate(pages):
            body = "".join(
                f'<ofd:TextObject ID="{1000 + n}" Boundary="{x:.2f} {y:.2f} {w:.2f} {_FONT + 1:.2f}" Font="1" '
                f'Size="{_FONT}"><ofd:TextCode X="0" Y="{_FONT:.2f}">{_xml(text)}</ofd:TextCode></ofd:TextObject>'
                for n, (x, y, w, text) in enumerate(objects)
            )
            archive.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Content>'
                f'<ofd:Layer ID="{i + 1}">{body}</ofd:Layer></ofd:Content></ofd:Page>',
            )
    return out.getvalue()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
