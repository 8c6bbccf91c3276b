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
    links = "".join(f'<li><a href="/r/{i}">{agency}{year}年政府信息公开工作年度报告</a></li>' for i, (agency, year) in enumerate(others))
    nav = '<nav><a href="/">首页</a> <a href="/gk">政务公开</a> <a href="/ndbg">年度报告</a></nav>'
    side = f'<aside><h3>相关报告</h3><ul>{links}</ul></aside>'
    foot = "<footer>主办单位：示范市人民政府办公室 网站标识码 1100000000 京ICP备00000000号</footer>"
    return re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>{nav}{side}", page, count=1).replace(
        "</body>", f"{foot}</body>"
    )
