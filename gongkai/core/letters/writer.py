"""A letter as a Word document in 公文 layout (GB/T 9704-2012).

A4 with the 版心 margins of the annual report writer (天头 37 mm, 订口 28 mm, 翻口 26 mm, bottom
35 mm); title in 2号 小标宋 centred; 发文字号 centred below it; body in 3号 仿宋_GB2312 on the
28.95 pt grid, paragraphs indented two characters; the addressee flush left; 发文机关署名, the
seal line "（盖章）" and 成文日期 right-aligned, the date four characters in from the right edge
(GB/T 9704-2012 §7.3.5). Chinese faces are set through ``w:rFonts/@w:eastAsia``.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from gongkai.core.letters.templating import ComposedLetter
from gongkai.core.report.writers.docx import (
    BODY_FONT,
    LATIN_FONT,
    LINE_PITCH,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIZE_2,
    SIZE_3,
    TITLE_FONT,
    set_font,
)

_CHAR = Pt(16)  # one 3号 character
_TITLE_PITCH = Pt(35)


def render_docx(letter: ComposedLetter) -> bytes:
    """The letter as .docx bytes."""
    document = Document()
    document.core_properties.title = letter.title
    document.core_properties.author = letter.agency
    document.core_properties.language = "zh-CN"
    _set_up(document)

    title = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER, pitch=_TITLE_PITCH)
    set_font(title.add_run(letter.title), TITLE_FONT, SIZE_2)
    if letter.number:
        number = _paragraph(document, WD_ALIGN_PARAGRAPH.CENTER)
        number.paragraph_format.space_before = LINE_PITCH
        set_font(number.add_run(letter.number), BODY_FONT, SIZE_3)
    _paragraph(document, WD_ALIGN_PARAGRAPH.LEFT)  # one empty line before the addressee
    if letter.addressee:
        set_font(_paragraph(document, WD_ALIGN_PARAGRAPH.LEFT).add_run(letter.addressee), BODY_FONT, SIZE_3)
    for text in letter.paragraphs:
        paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = 2 * _CHAR
        set_font(paragraph.add_run(text), BODY_FONT, SIZE_3)

    _paragraph(document, WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph(document, WD_ALIGN_PARAGRAPH.LEFT)
    for text in (letter.agency, letter.SEAL, letter.date_text, *([letter.reprint_note] if letter.reprint_note else [])):
        paragraph = _paragraph(document, WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = 4 * _CHAR
        set_font(paragraph.add_run(text), BODY_FONT, SIZE_3)

    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _paragraph(document: Any, alignment: Any, *, pitch: Length = LINE_PITCH) -> Any:
    paragraph = document.add_paragraph()
    paragraph.alignment = alignment
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return paragraph


def _set_up(document: Any) -> None:
    """A4 portrait with GB/T 9704 margins; Normal style in 3号 仿宋_GB2312 (eastAsia) and zh-CN."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT

    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_3
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
