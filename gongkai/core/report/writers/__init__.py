"""Writers: an ``AnnualReport`` as a published document (HTML, PDF, Word, Excel, plain text).

All draw the grids of :mod:`.layout`, so every format puts each number in the same cell of the
national format (国办公开办函〔2021〕30号; 2019 trial format).
"""

from gongkai.core.report.writers.docx import render_docx
from gongkai.core.report.writers.html import render_html, render_table_html
from gongkai.core.report.writers.pdf import html_to_pdf, render_pdf
from gongkai.core.report.writers.text import render_text
from gongkai.core.report.writers.xlsx import render_xlsx

__all__ = [
    "html_to_pdf",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_table_html",
    "render_text",
    "render_xlsx",
]
