"""The annual report as a self-contained HTML page, and its tables as embeddable fragments.

Everything is inline (a ``<style>`` element and ``style`` attributes): government intranets
have no internet, so the page loads no font, stylesheet or script from anywhere. Tables carry
a ``<caption>`` and ``scope`` on every header cell, and the national format's merged headers as
``rowspan``/``colspan`` (国办公开办函〔2021〕30号; legal spec §3.4–3.6, §4).
"""

from __future__ import annotations

from html import escape

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import SECTION_HEADINGS
from gongkai.core.report.writers.layout import (
    PREAMBLE_KEY,
    SECTION_ORDER,
    BlockKind,
    CellKind,
    GridCell,
    TableGrid,
    narrative_blocks,
    report_title,
    table_grids,
    title_lines,
)

#: Font stacks: the 公文 faces where installed, else the CJK fonts fontconfig finds (Noto CJK).
BODY_FONTS = '"FangSong", "仿宋", "仿宋_GB2312", "FangSong_GB2312", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'
HEADING_FONTS = '"SimHei", "黑体", "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif'
SUBHEADING_FONTS = '"KaiTi", "楷体", "楷体_GB2312", "KaiTi_GB2312", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'
TITLE_FONTS = '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "小标宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'

_TABLE_STYLE = "border-collapse:collapse;width:100%;table-layout:fixed;margin:0.5em 0 1em 0;"
_CELL_STYLE = "border:1px solid #000;padding:2px 3px;vertical-align:middle;overflow-wrap:anywhere;"
_ALIGN = {
    CellKind.COLUMN_HEADER: "text-align:center;font-weight:normal;",
    CellKind.BLOCK_HEADER: "text-align:center;font-weight:bold;",
    CellKind.ROW_HEADER: "text-align:left;font-weight:normal;",
    CellKind.ROW_GROUP: "text-align:center;font-weight:normal;",
    CellKind.VALUE: "text-align:center;white-space:nowrap;",
}
# Screen readers read the caption; print (WeasyPrint) drops it: the section heading above the
# table already says what it is.
_VISUALLY_HIDDEN = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;"
    "overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;"
)

PAGE_CSS = f"""
html {{ font-family: {BODY_FONTS}; color: #000; background: #fff; }}
body {{ margin: 0; }}
.gk-report {{ max-width: 60em; margin: 0 auto; padding: 1.5em 1em; font-size: 16pt; line-height: 1.6; }}
.gk-report h1 {{ font-family: {TITLE_FONTS}; font-size: 22pt; font-weight: bold; text-align: center;
  line-height: 1.4; margin: 0 0 1em 0; }}
.gk-report h2 {{ font-family: {HEADING_FONTS}; font-size: 16pt; font-weight: normal; margin: 0.6em 0 0.3em 0;
  text-indent: 2em; }}
.gk-report h3 {{ font-family: {SUBHEADING_FONTS}; font-size: 16pt; font-weight: normal; margin: 0.2em 0;
  text-indent: 2em; }}
.gk-report p {{ margin: 0; text-indent: 2em; text-align: justify; }}
.gk-report p.gk-signature {{ text-align: right; margin-top: 2em; }}
.gk-table {{ font-size: 10.5pt; line-height: 1.3; }}
.gk-table-table3 {{ font-size: 10pt; }}
.gk-table-table4 {{ font-size: 8pt; }}
.gk-table-table4 td, .gk-table-table4 th {{ padding-left: 1px !important; padding-right: 1px !important; }}
.gk-table thead {{ display: table-header-group; }}
.gk-table tr {{ page-break-inside: avoid; break-inside: avoid; }}
/* Table 三 fits one page: keep it whole (its merged group labels would be cut otherwise). */
.gk-table-table3, .gk-table-table4 {{ page-break-inside: avoid; break-inside: avoid; }}
.gk-report h2, .gk-report h3 {{ page-break-after: avoid; break-after: avoid; }}
.gk-table caption {{ caption-side: top; }}

@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {BODY_FONTS}; font-size: 14pt; }}
}}
@media print {{
  .gk-report {{ max-width: none; padding: 0; }}
  .gk-table caption {{ display: none; }}
}}
"""


def render_html(report: AnnualReport) -> str:
    """The whole report as one HTML page: title, sections 一–六, tables 二/三/四 (条例 art 50).

    Section narrative comes from ``report.sections`` where present; a blank cell stays blank.
    """
    title = report_title(report)
    grids = table_grids(report)
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{PAGE_CSS}</style>",
        "</head>",
        "<body>",
        '<main class="gk-report">',
        f"<h1>{'<br>'.join(escape(line) for line in title_lines(report))}</h1>",
    ]
    preamble = report.sections.get(PREAMBLE_KEY)
    if preamble:
        parts.append(_narrative(preamble))
    for key in SECTION_ORDER:
        heading_id = f"gk-{key}"
        parts.append(f'<section aria-labelledby="{heading_id}">')
        parts.append(f'<h2 id="{heading_id}">{escape(SECTION_HEADINGS[key])}</h2>')
        text = report.sections.get(key)
        if text:
            parts.append(_narrative(text))
        if key in grids:
            parts.append(table_html(grids[key]))
        parts.append("</section>")
    if report.agency:
        parts.append(f'<p class="gk-signature">{escape(report.agency)}</p>')
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def render_table_html(report: AnnualReport) -> dict[str, str]:
    """Tables 二, 三, 四 as ``<table>`` fragments keyed "table2"/"table3"/"table4".

    Borders and alignment are ``style`` attributes, so a fragment looks right inside any page;
    font and size are inherited from where it is embedded.
    """
    return {key: table_html(grid) for key, grid in table_grids(report).items()}


def table_html(grid: TableGrid) -> str:
    """One grid as a ``<table>`` with ``<caption>``, ``<colgroup>``, ``<thead>``/``<tbody>``."""
    lines = [
        f'<table class="gk-table gk-table-{grid.key}" style="{_TABLE_STYLE}">',
        f'<caption style="{_VISUALLY_HIDDEN}">{escape(grid.caption)}</caption>',
        "<colgroup>",
        *(f'<col style="width:{w:.2f}%">' for w in grid.widths),
        "</colgroup>",
    ]
    for group in grid.groups:
        tag = "thead" if group.head else "tbody"
        lines.append(f"<{tag}>")
        for row in range(group.start, group.stop):
            cells = "".join(_cell_html(cell) for cell in grid.cells_in_row(row))
            lines.append(f"<tr>{cells}</tr>")
        lines.append(f"</{tag}>")
    lines.append("</table>")
    return "\n".join(lines)


def _cell_html(cell: GridCell) -> str:
    spans = ""
    if cell.rowspan > 1:
        spans += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        spans += f' colspan="{cell.colspan}"'
    style = _CELL_STYLE + _ALIGN[cell.kind]
    if cell.kind is CellKind.VALUE:
        return f'<td{spans} style="{style}">{escape(cell.text)}</td>'
    scope = "col" if cell.kind in (CellKind.COLUMN_HEADER, CellKind.BLOCK_HEADER) else "row"
    return f'<th scope="{scope}"{spans} style="{style}">{escape(cell.text)}</th>'


def _narrative(text: str) -> str:
    out: list[str] = []
    for kind, line in narrative_blocks(text):
        tag = "h3" if kind is BlockKind.SUBHEADING else "p"
        out.append(f"<{tag}>{escape(line)}</{tag}>")
    return "\n".join(out)
