"""The annual report as a Word document in 公文 layout (GB/T 9704-2012).

A4; 天头 37 mm, 订口 28 mm, 翻口 26 mm, bottom 35 mm; title in 2号 小标宋; body in 3号 仿宋_GB2312
on a 28.95 pt grid (22 lines a page); 一级标题 黑体, 二级标题 楷体; page numbers "— N —" in 4号
宋体, outside edge (odd pages right, even pages left). Tables are real Word tables with the
national format's merged cells (国办公开办函〔2021〕30号) and a border on every cell.

Chinese faces are set through ``w:rFonts/@w:eastAsia``: setting only the Latin name leaves
Word rendering Chinese in its default face.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import SECTION_HEADINGS
from gongkai.core.report.writers.layout import (
    PREAMBLE_KEY,
    SECTION_ORDER,
    BlockKind,
    CellKind,
    TableGrid,
    narrative_blocks,
    report_title,
    table_grids,
    title_lines,
)

# GB/T 9704-2012 §5.2.1 (版心 156 mm × 225 mm on A4), §7.2 (fonts), §7.5 (page numbers).
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)
MARGIN_RIGHT = Mm(26)
TEXT_WIDTH_MM = 210 - 28 - 26

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_5 = Pt(10.5)  # 五号
SIZE_SMALL_5 = Pt(9)  # 小五
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines
TABLE_FONT_SIZES: dict[str, Length] = {"table2": SIZE_5, "table3": SIZE_5, "table4": SIZE_SMALL_5}
_INDENT_2_CHARS = Pt(32)


def render_docx(report: AnnualReport) -> bytes:
    """The report (条例 art 50) as .docx bytes in 公文 layout; a blank cell stays blank."""
    document = Document()
    title = report_title(report)
    document.core_properties.title = title
    document.core_properties.author = report.agency or ""
    document.core_properties.language = "zh-CN"
    _set_up_styles(document)
    _set_up_page(document)

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line_pitch(paragraph, Pt(35))
    paragraph.paragraph_format.space_after = LINE_PITCH
    lines = title_lines(report)
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        set_font(run, TITLE_FONT, SIZE_2)
        if index < len(lines) - 1:
            run.add_break()  # a line break inside the one title paragraph

    preamble = report.sections.get(PREAMBLE_KEY)
    if preamble:
        _add_narrative(document, preamble)
    grids = table_grids(report)
    for key in SECTION_ORDER:
        heading = document.add_paragraph(style="Heading 1")
        heading.paragraph_format.first_line_indent = _INDENT_2_CHARS
        set_font(heading.add_run(SECTION_HEADINGS[key]), HEADING_FONT, SIZE_3)
        text = report.sections.get(key)
        if text:
            _add_narrative(document, text)
        if key in grids:
            _add_table(document, grids[key])
    if report.agency:
        signature = document.add_paragraph()
        signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signature.paragraph_format.right_indent = Pt(64)
        signature.paragraph_format.space_before = LINE_PITCH
        set_font(signature.add_run(report.agency), BODY_FONT, SIZE_3)

    out = BytesIO()
    document.save(out)
    return out.getvalue()


def set_font(run: Any, east_asia: str, size: Length, *, latin: str = LATIN_FONT) -> None:
    """Give a run its Chinese face (``w:eastAsia``), Latin face and size."""
    run.font.name = latin
    run.font.size = size
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)


def _set_up_styles(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_3
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    for name, face in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
        style = document.styles[name]
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        # Theme attributes outrank explicit faces in the same element: drop them.
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
        style.font.name = LATIN_FONT
        rfonts.set(qn("w:eastAsia"), face)
        style.font.size = SIZE_3
        style.font.bold = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH


def _set_up_page(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.footer_distance = Mm(24)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph: Any, alignment: Any) -> None:
    """ "— N —" with a PAGE field, one character in from the outside edge (GB/T 9704 §7.5)."""
    paragraph.alignment = alignment
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = SIZE_4
    else:
        paragraph.paragraph_format.left_indent = SIZE_4
    set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        set_font(run, PAGE_NUMBER_FONT, SIZE_4)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
    set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)


def _line_pitch(paragraph: Any, pitch: Length) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = pitch
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _add_narrative(document: Any, text: str) -> None:
    for kind, line in narrative_blocks(text):
        if kind is BlockKind.SUBHEADING:
            paragraph = document.add_paragraph(style="Heading 2")
            face = SUBHEADING_FONT
        else:
            paragraph = document.add_paragraph()
            _line_pitch(paragraph, LINE_PITCH)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            face = BODY_FONT
        paragraph.paragraph_format.first_line_indent = _INDENT_2_CHARS
        set_font(paragraph.add_run(line), face, SIZE_3)


def _add_table(document: Any, grid: TableGrid) -> None:
    """A Word table of ``grid``: widths, merged cells, borders, header rows repeated per page."""
    table = document.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    widths = [Mm(TEXT_WIDTH_MM * w / 100) for w in grid.widths]
    for index, column in enumerate(table.columns):
        column.width = widths[index]
    # Cells by position, taken before merging: table.cell() rescans the whole table per call.
    # Merges never remove the top-left <w:tc> of a span, so these stay valid.
    by_position = [list(row.cells) for row in table.rows]
    for row_cells in by_position:
        for index, cell in enumerate(row_cells):
            cell.width = widths[index]
    for row_index, row in enumerate(table.rows):
        # CT_TrPr order: cantSplit comes before tblHeader.
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if row_index < grid.header_rows:
            trpr.append(OxmlElement("w:tblHeader"))

    size = TABLE_FONT_SIZES[grid.key]
    for spec in grid.cells:
        cell = by_position[spec.row][spec.col]
        if spec.rowspan > 1 or spec.colspan > 1:
            cell = cell.merge(by_position[spec.row + spec.rowspan - 1][spec.col + spec.colspan - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if spec.kind is CellKind.ROW_HEADER else WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if spec.text:
            run = paragraph.add_run(spec.text)
            set_font(run, BODY_FONT, size)
            run.bold = spec.kind is CellKind.BLOCK_HEADER
    # Space after the table so the next heading does not touch it.
    document.add_paragraph()


def _borders(table: Any) -> None:
    """A single 0.5 pt black line on every edge and between all cells; 1 mm cell margins."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    _insert_in_tblpr(table._tbl.tblPr, borders, ("shd", "tblLayout", "tblCellMar", "tblLook"))
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "57")  # twips: 1 mm, so 15 narrow columns of table 四 keep 5 digits on a line
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    _insert_in_tblpr(table._tbl.tblPr, margins, ("tblLook",))


def _insert_in_tblpr(tblpr: Any, element: Any, successors: tuple[str, ...]) -> None:
    """Insert ``element`` before the first of ``successors`` (CT_TblPr is an ordered sequence)."""
    tags = {qn(f"w:{name}") for name in successors}
    successor = next((child for child in tblpr if child.tag in tags), None)
    if successor is None:
        tblpr.append(element)
    else:
        successor.addprevious(element)
