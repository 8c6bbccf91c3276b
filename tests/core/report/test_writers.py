"""Writers: HTML, Word, PDF, Excel and text of an ``AnnualReport``, and the round trip through the readers.

The national format's merged headers are checked cell by cell (legal spec §3.4–3.6, §4); the
text layout is checked against the published sample; every corpus file must read back to the
same numbers (``read_report(render(report)) == report``).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.cli import main as cli_main
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    SECTION_HEADINGS,
    TABLE3_BALANCE_NOTE,
    TABLE3_KEYS,
    ReportFormat,
    table2_rows,
    table3_rows,
)
from gongkai.core.report.writers import (
    render_docx,
    render_html,
    render_pdf,
    render_table_html,
    render_text,
    render_xlsx,
)
from gongkai.core.report.writers.layout import CellKind, format_value, report_title, table_grids, title_lines
from gongkai.core.report.writers.text import table_lines
from tests.core.report.corpus import (
    BOOKMARK_TEXT,
    DOCUMENT_FORMATS,
    Corpus,
    CorpusFile,
    Error,
    Quirk,
    build_reports,
    corpus_files,
    violations,
)

SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "miyun-guoyuan-2023.txt"
FORMATS = (ReportFormat.F2021, ReportFormat.F2019)
REPORTS = {r.name: r for r in build_reports()}
MIYUN = REPORTS["r02-2021-miyun"].report
BIG = REPORTS["r04-2021-big"].report


def sample_report(fmt: ReportFormat) -> AnnualReport:
    """A consistent corpus report of the format, with narrative."""
    return REPORTS["r01-2021-basic" if fmt is ReportFormat.F2021 else "r08-2019-basic"].report


def outcome_rows(fmt: ReportFormat) -> int:
    """Rows under 三、本年度办理结果: the outcome rows and （七）总计."""
    return len(table3_rows(fmt)) - 3


# The national format's merged cells: (table, text, rowspan, colspan), for both formats unless said.
# A fifth element picks the occurrence of a text that appears more than once (default: the first).
MERGED_HEADERS: list[tuple[str, str, int, int]] = [
    ("table2", "第二十条第（一）项", 1, 4),
    ("table2", "第二十条第（五）项", 1, 4),
    ("table2", "第二十条第（六）项", 1, 4),
    ("table2", "第二十条第（八）项", 1, 4),
    ("table3", TABLE3_BALANCE_NOTE, 3, 3),
    ("table3", "申请人情况", 1, 7),
    ("table3", "自然人", 2, 1),
    ("table3", "法人或其他组织", 1, 5),
    ("table3", "商业企业", 1, 1),
    ("table3", "总计", 2, 1),
    ("table3", "一、本年新收政府信息公开申请数量", 1, 3),
    ("table3", "二、上年结转政府信息公开申请数量", 1, 3),
    ("table3", "（一）予以公开", 1, 2),
    ("table3", "（三）不予公开", 8, 1),
    ("table3", "（四）无法提供", 3, 1),
    ("table3", "（五）不予处理", 5, 1),
    ("table3", "（七）总计", 1, 2),
    ("table3", "四、结转下年度继续办理", 1, 3),
    ("table4", "行政复议", 1, 5),
    ("table4", "行政诉讼", 1, 10),
    ("table4", "未经复议直接起诉", 1, 5),
    ("table4", "复议后起诉", 1, 5),
    ("table4", "结果维持", 2, 1),  # first occurrence: under 行政复议, reaching down two rows
]
MERGED_2021: list[tuple[str, str, int, int]] = [
    ("table2", "本年处理决定数量", 1, 3),
    ("table2", "本年收费金额（单位：万元）", 1, 3),
    ("table3", "三、本年度办理结果", outcome_rows(ReportFormat.F2021), 1),
    ("table3", "（六）其他处理", 3, 1),
]
MERGED_2019: list[tuple[str, str, int, int] | tuple[str, str, int, int, int]] = [
    ("table2", "第二十条第（九）项", 1, 4),
    ("table2", "本年增/减", 1, 2, -1),  # （八） 行政事业性收费 has two fields; the last spans the rest
    ("table2", "采购总金额", 1, 2),
    ("table3", "三、本年度办理结果", outcome_rows(ReportFormat.F2019), 1),
    ("table3", "（六）其他处理", 1, 2),  # one row in 2019
]


def merged_cases() -> list[tuple[ReportFormat, str, str, int, int, int]]:
    def full(
        fmt: ReportFormat, case: tuple[str, str, int, int] | tuple[str, str, int, int, int]
    ) -> tuple[ReportFormat, str, str, int, int, int]:
        table, text, rowspan, colspan = case[:4]
        return (fmt, table, text, rowspan, colspan, case[4] if len(case) == 5 else 0)

    cases = [full(fmt, case) for fmt in FORMATS for case in MERGED_HEADERS]
    cases += [full(ReportFormat.F2021, case) for case in MERGED_2021]
    cases += [full(ReportFormat.F2019, case) for case in MERGED_2019]
    return cases


# ---------------------------------------------------------------------------------------------
# Layout: one grid per table, shared by every writer
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_grid_position_is_covered_by_exactly_one_cell(fmt: ReportFormat) -> None:
    for grid in table_grids(sample_report(fmt)).values():
        owner = grid.owner()  # raises on a gap or an overlap
        assert len(owner) == grid.n_rows
        assert abs(sum(grid.widths) - 100) < 1e-6


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_number_of_the_report_has_exactly_one_cell(fmt: ReportFormat) -> None:
    report = sample_report(fmt)
    grids = table_grids(report)
    refs = [c.ref for g in grids.values() for c in g.value_cells()]
    assert len(refs) == len(set(refs))
    expected = sum(len(r.fields) for r in table2_rows(fmt)) + len(table3_rows(fmt)) * COLUMN_COUNT + 3 * 5
    assert len(refs) == expected


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Undo the sample's line breaks inside cells ("\\t商业" + "企业") and drop blank lines."""
    out: list[str] = []
    for line in lines:
        if line and not line.startswith("\t") and out and out[-1].startswith("\t"):
            out[-1] += line
        else:
            out.append(line)
    return [line for line in out if line]


def _published_table(lines: list[str], first: str) -> list[str]:
    """The sample's table that starts with cell ``first``: up to the next paragraph after a blank line."""
    start = lines.index(first)
    stop = start + 1
    while stop < len(lines) and not (lines[stop] and not lines[stop].startswith("\t") and not lines[stop - 1]):
        stop += 1
    return lines[start:stop]


@pytest.mark.parametrize(
    ("key", "first"),
    [("table2", "\t第二十条第（一）项"), ("table3", "\t" + TABLE3_BALANCE_NOTE), ("table4", "\t行政复议")],
)
def test_tables_are_laid_out_cell_for_cell_like_the_published_sample(key: str, first: str) -> None:
    """The grid printed as Word's text export equals the real 2023 report's table, cell for cell."""
    sample = SAMPLE.read_text(encoding="utf-8").split("\n")
    published = _join_broken_lines(_published_table(sample, first))
    ours = _join_broken_lines(table_lines(table_grids(MIYUN)[key]))
    assert ours == published


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


@dataclass
class HtmlCell:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan", "1"))

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan", "1"))


@dataclass
class HtmlTable:
    attrs: dict[str, str]
    caption: str = ""
    rows: list[list[HtmlCell]] = field(default_factory=list)

    def expand(self) -> list[list[HtmlCell]]:
        """The table as a rectangular grid (merged cells repeated), as a browser lays it out."""
        grid: dict[tuple[int, int], HtmlCell] = {}
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in grid:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        assert (r + dr, c + dc) not in grid, f"overlap at {(r + dr, c + dc)}"
                        grid[(r + dr, c + dc)] = cell
                c += cell.colspan
        n_rows = max(r for r, _ in grid) + 1
        n_cols = max(c for _, c in grid) + 1
        assert len(grid) == n_rows * n_cols, "ragged table: rows of different widths"
        return [[grid[(r, c)] for c in range(n_cols)] for r in range(n_rows)]


class TableCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[HtmlTable] = []
        self.tags: list[str] = []
        self.links: list[str] = []
        self._cell: HtmlCell | None = None
        self._in_caption = False
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None
        self._heading_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.links += [v for k, v in values.items() if k in ("src", "href")]
        if tag == "table":
            self.tables.append(HtmlTable(values))
        elif tag == "tr":
            self.tables[-1].rows.append([])
        elif tag in ("td", "th"):
            self._cell = HtmlCell(tag, values)
            self.tables[-1].rows[-1].append(self._cell)
        elif tag == "caption":
            self._in_caption = True
        elif tag in ("h1", "h2", "h3"):
            self._heading, self._heading_text = tag, ""
        elif tag == "br" and self._cell is not None:
            self._cell.text += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._cell = None
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("h1", "h2", "h3") and self._heading:
            self.headings.append((self._heading, self._heading_text))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        elif self._in_caption:
            self.tables[-1].caption += data
        if self._heading:
            self._heading_text += data


def parse_html(text: str) -> TableCollector:
    collector = TableCollector()
    collector.feed(text)
    collector.close()
    return collector


def html_tables(report: AnnualReport) -> dict[str, HtmlTable]:
    tables = parse_html(render_html(report)).tables
    assert len(tables) == 3
    return dict(zip(("table2", "table3", "table4"), tables, strict=True))


MERGED_PARAMS = ("fmt", "table", "text", "rowspan", "colspan", "occurrence")


@pytest.mark.parametrize(MERGED_PARAMS, merged_cases())
def test_html_tables_have_the_national_merged_cells(
    fmt: ReportFormat, table: str, text: str, rowspan: int, colspan: int, occurrence: int
) -> None:
    cells = [c for row in html_tables(sample_report(fmt))[table].rows for c in row if c.text == text]
    assert cells, f"{text} missing from {table}"
    assert (cells[occurrence].rowspan, cells[occurrence].colspan) == (rowspan, colspan)
    assert cells[occurrence].tag == "th"


@pytest.mark.parametrize("fmt", FORMATS)
def test_html_tables_are_rectangular_and_every_header_has_a_scope(fmt: ReportFormat) -> None:
    widths = {"table2": 4, "table3": 10, "table4": 15}
    for key, table in html_tables(sample_report(fmt)).items():
        grid = table.expand()
        assert {len(row) for row in grid} == {widths[key]}
        assert table.caption.strip()
        headers = [c for row in table.rows for c in row if c.tag == "th"]
        assert headers
        assert all(c.attrs.get("scope") in ("col", "row") for c in headers)


@pytest.mark.parametrize("fmt", FORMATS)
def test_html_numbers_sit_under_their_headers(fmt: ReportFormat) -> None:
    """Every value of table 三 is found in the grid at (its row label, its column)."""
    report = sample_report(fmt)
    grid = html_tables(report)["table3"].expand()
    labels = {row[2].text: row for row in grid[3:]}
    assert grid[2][4].text == "商业企业" and grid[1][3].text == "自然人" and grid[1][9].text == "总计"
    for spec in table3_rows(fmt):
        if spec.key == "other_other" and fmt is ReportFormat.F2019:
            row = labels["（六）其他处理"]
        else:
            row = labels[spec.full_label]
        assert [c.text for c in row[3:]] == [format_value(v) for v in report.table3[spec.key]]


def test_html_table4_is_one_row_of_fifteen_numbers() -> None:
    report = REPORTS["r03-2021-orgs"].report
    grid = html_tables(report)["table4"].expand()
    assert len(grid) == 4
    expected = [format_value(v) for group in report.table4.values() for v in group.values()]
    assert [c.text for c in grid[3]] == expected
    assert [c.text for c in grid[2][5:10]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid[2][0] is grid[1][0]  # 行政复议's result headers reach down two rows


def test_html_blank_cells_render_blank_and_zero_renders_zero() -> None:
    report = AnnualReport.zero(ReportFormat.F2021, agency="示例市教育局", year=2024)
    report.table3["granted"][2] = None
    report.table4["litigation_direct"]["pending"] = None
    report.table2["fees"]["amount_10k_yuan"] = None
    tables = html_tables(report)
    row = next(r for r in tables["table3"].expand() if r[2].text == "（一）予以公开")
    assert [c.text for c in row[3:]] == ["0", "0", "", "0", "0", "0", "0"]
    assert tables["table4"].expand()[3][8].text == ""
    assert tables["table2"].rows[-1][-1].text == ""


def test_html_page_is_self_contained_titled_and_escaped() -> None:
    report = sample_report(ReportFormat.F2021)
    page = render_html(report)
    parsed = parse_html(page)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert parsed.links == []
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert "url(" not in page and "@import" not in page and "http" not in page
    assert parsed.headings[0] == ("h1", "示例市生态环境局2023年政府信息公开工作年度报告")
    assert [t for tag, t in parsed.headings if tag == "h2"] == list(SECTION_HEADINGS.values())
    assert ("h3", "（一）主动公开情况") in parsed.headings
    assert "第五十条规定编制" in page

    hostile = AnnualReport.zero(agency="<script>alert(1)</script>&局", year=2023)
    hostile.sections["overview"] = "a < b & c"
    hostile_page = render_html(hostile)
    assert "<script>" not in hostile_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;局" in hostile_page
    assert "a &lt; b &amp; c" in hostile_page


def test_title_leaves_out_what_is_unknown_and_breaks_after_the_agency() -> None:
    assert report_title(AnnualReport.empty()) == "政府信息公开工作年度报告"
    assert report_title(AnnualReport.empty(year=2022)) == "2022年政府信息公开工作年度报告"
    assert report_title(AnnualReport.empty(agency="示例市教育局")) == "示例市教育局政府信息公开工作年度报告"
    assert title_lines(AnnualReport.empty(agency="示例市教育局", year=2022)) == [
        "示例市教育局",
        "2022年政府信息公开工作年度报告",
    ]
    assert title_lines(AnnualReport.empty(year=2022)) == ["2022年政府信息公开工作年度报告"]
    assert "<h1>示例市教育局<br>2022年政府信息公开工作年度报告</h1>" in render_html(
        AnnualReport.empty(agency="示例市教育局", year=2022)
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_table_fragments_for_the_portal(fmt: ReportFormat) -> None:
    fragments = render_table_html(sample_report(fmt))
    assert list(fragments) == ["table2", "table3", "table4"]
    for key, fragment in fragments.items():
        assert fragment.startswith("<table") and fragment.rstrip().endswith("</table>")
        assert "<html" not in fragment and "<style" not in fragment
        assert f"gk-table-{key}" in fragment
        (table,) = parse_html(fragment).tables
        assert table.caption
        assert all("border:1px solid #000" in c.attrs["style"] for row in table.rows for c in row)


# ---------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------


def east_asia_font(run: object) -> str | None:
    rpr = run._element.rPr  # type: ignore[attr-defined]
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def open_docx(report: AnnualReport) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(report)))


@pytest.mark.parametrize("fmt", FORMATS)
def test_docx_page_is_a4_with_gbt_9704_margins_and_page_numbers(fmt: ReportFormat) -> None:
    document = open_docx(sample_report(fmt))
    section = document.sections[0]
    # Word stores twips: compare to a tenth of a millimetre.
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    sizes += [section.left_margin, section.right_margin]
    assert [round(x.mm, 1) for x in sizes] == [210, 297, 37, 35, 28, 26]
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")


@pytest.mark.parametrize("fmt", FORMATS)
def test_docx_title_body_and_heading_fonts(fmt: ReportFormat) -> None:
    report = sample_report(fmt)
    document = open_docx(report)
    paragraphs = [p for p in document.paragraphs if p.text]
    title = paragraphs[0]
    # Two lines, broken where the sense allows (GB/T 9704 §7.3.1): agency / year + report name.
    assert title.text == f"{report.agency}\n{report.year}年政府信息公开工作年度报告"
    assert title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert [east_asia_font(run) for run in title.runs if run.text] == ["方正小标宋简体"] * 2
    assert all(run.font.size == Pt(22) for run in title.runs if run.text)

    headings = [p for p in paragraphs if p.text in SECTION_HEADINGS.values()]
    assert [p.text for p in headings] == list(SECTION_HEADINGS.values())
    assert all(east_asia_font(p.runs[0]) == "黑体" and p.runs[0].font.size == Pt(16) for p in headings)
    assert all(p.style.name == "Heading 1" for p in headings)

    sub = next(p for p in paragraphs if p.text == "（一）主动公开情况")
    assert east_asia_font(sub.runs[0]) == "楷体_GB2312"
    body = next(p for p in paragraphs if p.text.startswith("本报告根据"))
    assert east_asia_font(body.runs[0]) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.line_spacing == Pt(28.95)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize(MERGED_PARAMS, merged_cases())
def test_docx_tables_have_the_national_merged_cells(
    fmt: ReportFormat, table: str, text: str, rowspan: int, colspan: int, occurrence: int
) -> None:
    document = open_docx(sample_report(fmt))
    word_table = document.tables[["table2", "table3", "table4"].index(table)]
    tcs = list(dict.fromkeys(cell._tc for row in word_table.rows for cell in row.cells if cell.text == text))
    tc = tcs[occurrence]
    # python-docx returns the top cell for every grid position a merged cell covers.
    covered = {(r, c) for r, row in enumerate(word_table.rows) for c, cell in enumerate(row.cells) if cell._tc is tc}
    rows = sorted({r for r, _ in covered})
    cols = sorted({c for _, c in covered})
    assert (len(rows), len(cols)) == (rowspan, colspan)
    assert len(covered) == rowspan * colspan  # a rectangle
    assert tc.grid_span == colspan
    assert tc.vMerge == ("restart" if rowspan > 1 else None)
    for r in rows[1:]:
        below = word_table.rows[r]._tr.tc_at_grid_offset(cols[0])
        assert below.vMerge == "continue"


@pytest.mark.parametrize("fmt", FORMATS)
def test_docx_table_cells_have_borders_fonts_and_the_numbers(fmt: ReportFormat) -> None:
    report = sample_report(fmt)
    document = open_docx(report)
    assert len(document.tables) == 3
    for word_table, (key, grid) in zip(document.tables, table_grids(report).items(), strict=True):
        borders = word_table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None
        edges = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
        assert edges == dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), "single")
        assert len(word_table.columns) == grid.n_cols and len(word_table.rows) == grid.n_rows
        size = Pt(9) if key == "table4" else Pt(10.5)
        for spec in grid.cells:
            cell = word_table.cell(spec.row, spec.col)
            assert cell.text == spec.text, (key, spec.row, spec.col)
            for run in cell.paragraphs[0].runs:
                assert east_asia_font(run) == "仿宋_GB2312"
                assert run.font.size == size
        header_rows = [row for row in word_table.rows if row._tr.trPr.find(qn("w:tblHeader")) is not None]
        assert len(header_rows) == grid.header_rows


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

A4_POINTS = (595.28, 841.89)
MM = 72 / 25.4
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def big_pdf() -> Iterator[pdfplumber.PDF]:
    pdf = pdfplumber.open(io.BytesIO(render_pdf(BIG)))
    yield pdf
    pdf.close()


def test_pdf_is_a4_with_a_chinese_text_layer_and_page_numbers(big_pdf: pdfplumber.PDF) -> None:
    text = "\n".join(page.extract_text() or "" for page in big_pdf.pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", report_title(BIG)) in flat
    for heading in SECTION_HEADINGS.values():
        assert heading in flat
    assert "123456" in flat  # 行政处罚 decisions
    assert format_value(BIG.table2["fees"]["amount_10k_yuan"]) in flat
    assert str(BIG.table3["new"][6]) in flat
    for index, page in enumerate(big_pdf.pages, start=1):
        assert (round(page.width, 1), round(page.height, 1)) == (round(A4_POINTS[0], 1), round(A4_POINTS[1], 1))
        assert f"— {index} —" in (page.extract_text() or "")


def test_pdf_chinese_uses_a_cjk_font(big_pdf: pdfplumber.PDF) -> None:
    """A Latin-only face (DejaVu, Liberation) for a Chinese character would print a box."""
    fonts = {c["fontname"] for page in big_pdf.pages for c in page.chars if CJK.match(c["text"])}
    assert fonts
    assert not [f for f in fonts if "DejaVu" in f or "Liberation" in f]


@pytest.mark.parametrize("name", ["r04-2021-big", "r03-2021-orgs", "r09-2019-2020"])
def test_pdf_tables_fit_inside_the_text_area(name: str) -> None:
    """Nothing sticks out of the 156 mm text column: tables 三 and 四 fit the page width."""
    with pdfplumber.open(io.BytesIO(render_pdf(REPORTS[name].report))) as pdf:
        left, right = 28 * MM - 1, pdf.pages[0].width - 26 * MM + 1
        for page in pdf.pages:
            outside = [c["text"] for c in page.chars if c["x0"] < left or c["x1"] > right]
            assert outside == [], f"page {page.page_number}: {''.join(outside)}"
            assert all(edge["x0"] >= left - 1 and edge["x1"] <= right + 1 for edge in page.edges)


@pytest.mark.parametrize("name", ["r04-2021-big", "r09-2019-2020"])
def test_pdf_keeps_table3_on_one_page_with_its_heading(name: str) -> None:
    """Split over two pages, the merged group labels (三、本年度办理结果 …) would be cut."""
    with pdfplumber.open(io.BytesIO(render_pdf(REPORTS[name].report))) as pdf:
        pages = [re.sub(r"\s+", "", page.extract_text() or "") for page in pdf.pages]
    holding = [i for i, text in enumerate(pages) if "（本列数据的勾稽关系为" in text]
    assert len(holding) == 1
    assert SECTION_HEADINGS["table3"] in pages[holding[0]]
    assert "四、结转下年度继续办理" in pages[holding[0]]


def test_pdf_table4_numbers_stay_on_one_line() -> None:
    """A five-digit count in a narrow table 四 column is not broken over two lines."""
    report = AnnualReport.zero(agency="示例市公安局", year=2024)
    report.table4["litigation_direct"].update(upheld=12345, total=12345)
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        words = [w["text"] for page in pdf.pages for w in page.extract_words()]
    assert words.count("12345") == 2


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_xlsx_has_one_sheet_per_table_with_merged_headers_and_real_numbers(fmt: ReportFormat) -> None:
    report = REPORTS["r04-2021-big"].report if fmt is ReportFormat.F2021 else REPORTS["r11-2019-blank"].report
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    assert workbook.sheetnames == ["表二", "表三", "表四", "数据"]
    merged = {name: {str(r) for r in workbook[name].merged_cells.ranges} for name in ("表二", "表三", "表四")}
    # The grid starts on sheet row 3 (title and section heading above it).
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5"} <= merged["表三"]
    assert {"A3:E3", "F3:O3", "A4:A5", "F4:J4", "K4:O4"} <= merged["表四"]
    assert "A3:D3" in merged["表二"]
    sheet3 = workbook["表三"]
    assert sheet3["A3"].value == TABLE3_BALANCE_NOTE
    new_row = next(
        r for r in range(1, sheet3.max_row + 1) if sheet3.cell(r, 1).value == "一、本年新收政府信息公开申请数量"
    )
    assert [sheet3.cell(new_row, c).value for c in range(4, 11)] == report.table3["new"]
    values = [c for row in sheet3.iter_rows(min_row=6, min_col=4) for c in row]
    assert all(c.value is None or isinstance(c.value, int) for c in values)
    if fmt is ReportFormat.F2019:
        assert any(c.value is None for c in values)  # blank cells stay blank

    data = workbook["数据"]
    header = [c.value for c in data[1]]
    assert header == ["机关", "年度", "格式", "表", "行键", "行", "列键", "列", "值"]
    rows = [[c.value for c in row] for row in data.iter_rows(min_row=2)]
    n_values = sum(1 for g in table_grids(report).values() for _ in g.value_cells())
    assert len(rows) == n_values
    assert {r[0] for r in rows} == {report.agency} and {r[1] for r in rows} == {report.year}
    by_key = {(r[3], r[4], r[6]): r for r in rows}
    natural = by_key[("三", "new", "natural_person")]
    assert natural[8] == report.table3["new"][0]
    assert natural[5] == "一、本年新收政府信息公开申请数量" and natural[7] == "申请人情况 / 自然人"
    upheld = by_key[("四", "litigation_direct", "upheld")]
    assert upheld[7] == "行政诉讼 / 未经复议直接起诉 / 结果维持"


def test_xlsx_money_is_a_number_with_four_decimals() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render_xlsx(BIG)))
    sheet = workbook["表二"]
    fee_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "行政事业性收费")
    cell = sheet.cell(fee_row, 2)
    assert isinstance(cell.value, int | float)
    assert cell.number_format == "0.0000"
    assert Decimal(str(cell.value)) == BIG.table2["fees"]["amount_10k_yuan"]
    assert "B" + str(fee_row) + ":D" + str(fee_row) in {str(r) for r in sheet.merged_cells.ranges}


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------


def test_text_has_title_headings_and_cells_one_per_line() -> None:
    text = render_text(MIYUN)
    lines = text.split("\n")
    assert lines[:3] == ["北京市密云区果园街道办事处", "2023年政府信息公开工作年度报告", ""]
    for heading in SECTION_HEADINGS.values():
        assert heading in lines
    assert "\t2015" in lines and "\t29" in lines
    assert all(line == line.rstrip("\r") for line in lines)


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

RULE_OF_ERROR = {
    Error.COLUMN_BALANCE: "V1",
    Error.TOTAL_ROW: "V2",
    Error.TOTAL_COLUMN: "V3",
    Error.TABLE4_TOTAL: "V5",
    Error.NEGATIVE_TABLE2: "negative",
}


def test_corpus_is_varied() -> None:
    reports = list(REPORTS.values())
    assert len(reports) >= 15
    assert {r.report.format for r in reports} == set(FORMATS)
    assert sum(r.report.format is ReportFormat.F2019 for r in reports) >= 4
    assert set().union(*(r.errors for r in reports)) == set(Error)
    cells = [v for r in reports for row in r.report.table3.values() for v in row]
    assert None in cells  # blank cells
    assert max(v for v in cells if v is not None) >= 1000  # numbers that need thousands separators
    files = corpus_files()
    assert {q for f in files for q in f.quirks} == set(Quirk)
    assert {f.format for f in files} == set(DOCUMENT_FORMATS)


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_corpus_report_breaks_exactly_the_rules_it_says(name: str) -> None:
    entry = REPORTS[name]
    found = violations(entry.report)
    assert found == entry.expected_violations
    assert {rule for rule, _, _ in found} == {RULE_OF_ERROR[e] for e in entry.errors}


def test_corpus_quirks_are_in_the_files(corpus: Corpus) -> None:
    def text_of(report: str, fmt: str, *quirks: Quirk) -> str:
        return corpus.path(CorpusFile(report, fmt, frozenset(quirks))).read_text(encoding="utf-8")

    assert "\t商业\n企业\n" in text_of("r03-2021-orgs", "txt", Quirk.BROKEN_LABELS)
    assert "\t(三)不予公开\n" in text_of("r03-2021-orgs", "txt", Quirk.HALF_WIDTH_BRACKETS)
    assert "\n2、 主动公开政府信息情况\n" in text_of("r01-2021-basic", "txt", Quirk.ARABIC_HEADINGS)
    assert f"\n{BOOKMARK_TEXT}（一）主要问题\n" in text_of("r01-2021-basic", "txt", Quirk.BOOKMARK)
    assert "\t123,456\n" in text_of("r04-2021-big", "txt", Quirk.THOUSANDS)
    sample_like = text_of("r02-2021-miyun", "txt", *Quirk)
    assert sample_like.startswith("北京市密云区果园街道办事处\n2023年政府信息公开年度报告\n")
    html = text_of("r04-2021-big", "html", Quirk.THOUSANDS, Quirk.BROKEN_LABELS)
    assert "123,456</td>" in html and "商业<br>企业</th>" in html
    quirky_docx = corpus.path(
        CorpusFile("r04-2021-big", "docx", frozenset({Quirk.THOUSANDS, Quirk.BROKEN_LABELS, Quirk.BOOKMARK}))
    )
    document = docx.Document(str(quirky_docx))
    texts = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "123,456" in texts and "商业\n企业" in texts
    assert 'w:name="_GoBack"' in document.element.xml


def test_corpus_json_files_load_back(corpus: Corpus) -> None:
    for name, entry in corpus.reports.items():
        if Error.NEGATIVE_TABLE2 in entry.errors:
            continue  # the JSON schema rightly refuses a negative count
        loaded = AnnualReport.from_json(corpus.json_path(name).read_text(encoding="utf-8"))
        assert loaded.same_numbers(entry.report), name


# ---------------------------------------------------------------------------------------------
# Round trip: read_report(written file) gives the same numbers
# ---------------------------------------------------------------------------------------------


def _differences(expected: AnnualReport, actual: AnnualReport) -> list[str]:
    """Cells that differ, named by JSON path, for a readable failure."""
    a, b = expected.to_dict(include_extras=False), actual.to_dict(include_extras=False)
    out: list[str] = []

    def walk(x: object, y: object, path: str) -> None:
        if isinstance(x, dict) and isinstance(y, dict):
            for key in sorted(set(x) | set(y)):
                walk(x.get(key), y.get(key), f"{path}.{key}" if path else str(key))
        elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
                walk(xi, yi, f"{path}[{i}]")
        elif x != y:
            out.append(f"{path}: expected {x!r}, read {y!r}")

    walk(a, b, "")
    return out


@pytest.mark.parametrize("file", corpus_files(), ids=lambda f: f.name)
def test_round_trip_reads_back_the_same_numbers(corpus: Corpus, file: CorpusFile) -> None:
    from gongkai.core.report.readers import read_report  # written alongside; import here so the rest runs

    expected = corpus.reports[file.report].report
    actual = read_report(corpus.path(file))
    differences = _differences(expected, actual)
    assert not differences, f"{file.name}: {len(differences)} cells differ:\n" + "\n".join(differences[:20])
    assert actual.same_numbers(expected)


# ---------------------------------------------------------------------------------------------
# gongkai render
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "xlsx", "txt"])
def test_cli_render_writes_each_format(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "report.json"
    source.write_text(MIYUN.to_json(), encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    assert cli_main(["render", str(source), "--format", fmt, "-o", str(out)]) == 0
    data = out.read_bytes()
    magic = {"html": b"<!DOCTYPE html>", "docx": b"PK", "xlsx": b"PK", "pdf": b"%PDF-", "txt": "北京".encode()}
    assert data.startswith(magic[fmt])
    assert str(out) in capsys.readouterr().out


def test_cli_render_takes_the_format_from_the_output_name_or_writes_beside_the_input(tmp_path: Path) -> None:
    source = tmp_path / "report.json"
    source.write_text(json.dumps(MIYUN.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert cli_main(["render", str(source), "-o", str(tmp_path / "x.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "x.xlsx").sheetnames[0] == "表二"
    assert cli_main(["render", str(source), "--format", "docx"]) == 0
    assert (tmp_path / "report.docx").exists()


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, ["--format", "html"], "无法读取"),
        ("{not json", ["--format", "html"], "JSON 无法解析"),
        ('{"format": "2030"}', ["--format", "html"], "format 应为 2019 或 2021"),
        ('{"table3": {"new": [1, 2]}}', ["--format", "html"], "table3.new"),
        (b"\xff\xfe\x00garbage", ["--format", "html"], "UTF-8"),
        ("{}", ["-o", "out.doc"], "--format"),
    ],
)
def test_cli_render_refuses_bad_input_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | bytes | None, args: list[str], message: str
) -> None:
    source = tmp_path / "bad.json"
    if isinstance(content, bytes):
        source.write_bytes(content)
    elif content is not None:
        source.write_text(content, encoding="utf-8")
    args = [a if a != "out.doc" else str(tmp_path / "out.doc") for a in args]
    assert cli_main(["render", str(source), *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    if "--format" not in message:
        assert "bad.json" in err
    assert not any(p.suffix in (".html", ".doc") for p in tmp_path.iterdir())


def test_cli_render_names_an_output_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "report.json"
    source.write_text(MIYUN.to_json(), encoding="utf-8")
    target = tmp_path / "missing-dir" / "out.html"
    assert cli_main(["render", str(source), "-o", str(target)]) == 2
    assert f"{target}: 无法写入：文件或目录不存在" in capsys.readouterr().err


def test_every_table3_key_is_rendered() -> None:
    """No row of the data type is silently dropped by the 2021 layout."""
    refs = {c.ref.row for c in table_grids(MIYUN)["table3"].value_cells() if c.ref is not None}
    assert refs == set(TABLE3_KEYS)
    assert all(c.kind is CellKind.VALUE for c in table_grids(MIYUN)["table3"].value_cells())
