"""The annual report as PDF: the HTML page laid out by WeasyPrint on A4 with page numbers.

Fonts come from fontconfig (the stacks in :mod:`.html`): FangSong/SimHei where installed, Noto
CJK otherwise, so Chinese text is real text with a text layer, not boxes.
"""

from __future__ import annotations

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.writers.html import render_html


def render_pdf(report: AnnualReport) -> bytes:
    """The report of :func:`render_html` as an A4 PDF (条例 art 50 report, 公文 margins)."""
    return html_to_pdf(render_html(report))


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML page with WeasyPrint; no base URL, so nothing is fetched."""
    from weasyprint import HTML  # heavy import (Pango, fontconfig): only when a PDF is wanted

    pdf = HTML(string=html, base_url=None).write_pdf()
    if pdf is None:  # write_pdf returns None only when given a target
        raise RuntimeError("WeasyPrint 未返回 PDF 内容")
    return bytes(pdf)
