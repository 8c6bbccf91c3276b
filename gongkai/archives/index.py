"""The 案卷目录: one PDF listing every case of the archive with its letters and page counts.

Applicants appear as lists show them (``docs/personal-data.md``): name, identity number masked,
no contact. Laid out by WeasyPrint (``core.report.writers.pdf.html_to_pdf``) in A4 landscape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from gongkai.archives.casefile import CaseRow
from gongkai.core.letters.rules import chinese_date
from gongkai.core.report.writers.html import BODY_FONTS, HEADING_FONTS, TITLE_FONTS
from gongkai.core.report.writers.pdf import html_to_pdf

_STYLE = f"""
@page {{ size: A4 landscape; margin: 15mm 12mm 15mm 12mm;
  @bottom-center {{ content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-family: {BODY_FONTS};
  font-size: 9pt; }} }}
html {{ font-family: {BODY_FONTS}; font-size: 10pt; line-height: 1.35; color: #000; }}
h1 {{ font-family: {TITLE_FONTS}; font-size: 18pt; text-align: center; margin: 0 0 4pt 0; }}
.meta {{ text-align: center; margin: 0 0 8pt 0; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
th, td {{ border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; }}
th {{ font-family: {HEADING_FONTS}; font-weight: normal; background: #eee; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
.n {{ width: 4%; }} .num {{ width: 16%; }} .who {{ width: 15%; }} .d {{ width: 8%; }} .out {{ width: 13%; }}
.pages {{ width: 5%; text-align: right; }}
ul {{ margin: 0; padding-left: 1em; }}
.id {{ white-space: nowrap; font-size: 8pt; }}
"""


def _applicant(text: str) -> str:
    """The name, and the masked identity number on a line of its own that never wraps."""
    name, bracket, rest = text.partition("（")
    return escape(name) + (f"<br><span class='id'>（{escape(rest)}</span>" if bracket else "")


def index_html(*, title: str, agency: str, scope: str, generated_at: dt.datetime, rows: Sequence[CaseRow]) -> str:
    lines = []
    for n, row in enumerate(rows, start=1):
        letters = "".join(
            f"<li>{escape(r.number)} {escape(r.label)}（{escape(r.issued_on)}，{r.pages}页）</li>" for r in row.letters
        )
        outcome = escape(row.outcome) if row.outcome else f"（{escape(row.status)}）"
        extra = f"<br>附件 {row.attachments} 件" if row.attachments else ""
        lines.append(
            f"<tr><td>{n}</td><td>{escape(row.number)}</td><td>{escape(row.applicant)}</td>"
            f"<td>{escape(row.received_on)}</td><td>{escape(row.closed_on)}</td><td>{outcome}</td>"
            f"<td>{'<ul>' + letters + '</ul>' if letters else '无'}{extra}</td><td class='pages'>{row.pages}</td></tr>"
        )
    letter_count = sum(len(r.letters) for r in rows)
    pages = sum(r.pages for r in rows)
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{_STYLE}</style></head><body>'
        f"<h1>{escape(title)}</h1>"
        f"<p class='meta'>{escape(agency)}　{escape(scope)}　案件 {len(rows)} 件　文书 {letter_count} 份 {pages} 页"
        f"　编制日期：{escape(chinese_date(generated_at.date()))}</p>"
        "<table><thead><tr><th class='n'>序号</th><th class='num'>案件编号</th><th class='who'>申请人</th>"
        "<th class='d'>收到申请之日</th><th class='d'>办结日期</th><th class='out'>办理结果</th>"
        "<th>文书（发文字号、名称、成文日期、页数）</th><th class='pages'>页数</th></tr></thead>"
        f"<tbody>{''.join(lines)}</tbody></table></body></html>"
    )


def index_pdf(*, title: str, agency: str, scope: str, generated_at: dt.datetime, rows: Sequence[CaseRow]) -> bytes:
    return html_to_pdf(index_html(title=title, agency=agency, scope=scope, generated_at=generated_at, rows=rows))
