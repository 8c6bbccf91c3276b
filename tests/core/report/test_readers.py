"""Readers: published reports (text, web page, Word, PDF, JSON) → AnnualReport.

Acceptance: the Miyun sample and the three real PDFs read to every known number. The other
inputs are built here from a report whose every cell holds a different number, so a number read
into the wrong cell cannot pass; layout quirks, the 2019 format and damaged input come after.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from docx import Document as WordDocument

from gongkai.core.errors import ReportReadError
from gongkai.core.report import readers
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import INTERNAL_ERROR, read_bytes, read_report
from gongkai.core.report.readers import pdf as pdf_reader
from gongkai.core.report.readers.document import Document, SourceKind
from gongkai.core.report.readers.interpret import interpret, read_title
from gongkai.core.report.readers.labels import OTHER_OTHER, T2_ROW_PHRASES, T3_PHRASES, t2_row, t3_events
from gongkai.core.report.readers.normalize import Got, Unsure, norm, parse_cell
from gongkai.core.report.readers.stream import AMBIGUOUS, LabelEvent, RunEvent, align
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    OUTCOME_GROUPS,
    ROWS_ABSENT_IN_2019,
    TABLE2_ROWS_2019,
    TABLE2_ROWS_2021,
    TABLE3_KEYS,
    TABLE3_ROWS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    ReportFormat,
    ValueType,
    table2_rows,
    table3_rows,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "samples"
SAMPLE = SHARED / "miyun-guoyuan-2023.txt"
REAL = SHARED / "real"
REAL_PDFS = sorted(REAL.glob("*.pdf"))

F2021 = ReportFormat.F2021
F2019 = ReportFormat.F2019


# =============================================================================================
# Acceptance: the sample and the real PDFs
# =============================================================================================


def test_sample_reads_to_exactly_its_numbers() -> None:
    report = read_report(SAMPLE)

    assert report.agency == "北京市密云区果园街道办事处"
    assert report.year == 2023
    assert report.format is F2021
    assert report.table2 == {
        "regulations": {"issued": 0, "abolished": 0, "in_force": 0},
        "normative_documents": {"issued": 0, "abolished": 0, "in_force": 4},
        "licensing": {"decisions": 0},
        "punishment": {"decisions": 2015},
        "coercion": {"decisions": 0},
        "fees": {"amount_10k_yuan": Decimal("0")},
    }
    assert report.to_dict()["table2"]["fees"] == {"amount_10k_yuan": "0"}
    natural_person = {
        "new": 29,
        "granted": 12,
        "partial": 4,
        "withheld_administrative_query": 1,
        "unavailable_not_held": 9,
        "other_no_correction": 1,
        "other_fee_unpaid": 2,
        "total": 29,
    }
    for key in TABLE3_KEYS:
        n = natural_person.get(key, 0)
        assert report.table3[key] == [n, 0, 0, 0, 0, 0, n], key
    assert report.table4 == {
        "reconsideration": {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
        "litigation_after_reconsideration": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0},
    }
    assert report.notes == []


def test_sample_sections_are_read() -> None:
    sections = read_report(SAMPLE).sections

    assert sections["overview"].startswith("（一）政府信息公开工作组织机构建设情况")
    assert sections["problems"].startswith("（一）主要问题\n一是公开工作落实力度有待加强")
    assert "[bookmark" not in sections["problems"]
    assert sections["other"] == (
        "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        "发出收费通知2件，总金额38280元，实际收取的总金额0元。"
    )


def _known(pdf: Path) -> dict[str, object]:
    data = json.loads(pdf.with_suffix(".known.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _assert_known(report: AnnualReport, known: dict[str, object], *, meta: bool = True) -> None:
    got = report.to_dict()
    if meta:
        for key in ("agency", "year", "format"):
            assert got[key] == known[key], key
    for table in ("table2", "table3", "table4"):
        rows = known[table]
        assert isinstance(rows, dict)
        for row, value in rows.items():
            assert got[table][row] == value, f"{table}.{row}"


@pytest.mark.parametrize("pdf", REAL_PDFS, ids=lambda p: p.stem)
def test_real_pdf_reads_every_known_number(pdf: Path) -> None:
    _assert_known(read_report(pdf), _known(pdf))


def test_hongze_2023_table4_totals_are_returned_as_published() -> None:
    report = read_report(REAL / "huaian-hongze-2023.pdf")

    assert report.table4["reconsideration"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}
    assert report.table4["litigation_after_reconsideration"]["total"] == 0


@pytest.mark.parametrize("name", ["huaian-hongze-2023.pdf", "huaian-hongze-2024.pdf"])
def test_single_other_row_in_a_2021_report_goes_to_other_other_with_notes(name: str) -> None:
    report = read_report(REAL / name)

    assert report.table3["other_other"] == [0] * COLUMN_COUNT
    assert report.table3["other_no_correction"] == [None] * COLUMN_COUNT
    assert report.table3["other_fee_unpaid"] == [None] * COLUMN_COUNT
    noted = {(n.table, n.row) for n in report.notes if "只有一行" in n.message}
    assert noted == {("三", "other_no_correction"), ("三", "other_fee_unpaid")}


def test_hongze_2023_typo_label_and_numbers_above_labels() -> None:
    report = read_report(REAL / "huaian-hongze-2023.pdf")

    assert report.table3["withheld_prohibited_by_law"] == [0] * COLUMN_COUNT  # "2.其他法律行政止公开"
    assert report.table3["withheld_state_secret"] == [1, 0, 0, 0, 0, 0, 1]  # numbers above the label
    assert report.table3["unavailable_not_held"] == [10, 0, 0, 0, 0, 0, 10]
    assert report.table3["unavailable_needs_creation"] == [3, 0, 0, 0, 0, 0, 3]


def test_hongze_2023_agency_is_completed_from_the_text_with_a_note() -> None:
    report = read_report(REAL / "huaian-hongze-2023.pdf")

    assert report.agency == "淮安市洪泽区人民政府"
    assert any("洪泽区人民政府" in n.message and n.table is None for n in report.notes)


def test_city_2024_every_row_of_table3() -> None:
    """The rows known.json leaves out, checked against the printed table."""
    table3 = read_report(REAL / "huaian-city-2024.pdf").table3

    assert table3["withheld_prohibited_by_law"] == [30, 1, 0, 0, 0, 0, 31]
    assert table3["withheld_administrative_query"] == [105, 0, 0, 0, 0, 0, 105]
    assert table3["unavailable_not_held"] == [746, 12, 0, 0, 10, 1, 769]  # last row before a page break
    assert table3["unavailable_needs_creation"] == [11, 0, 0, 0, 0, 0, 11]  # first row after it
    assert table3["rejected_confirm_existing"] == [1, 0, 0, 0, 0, 0, 1]  # label broken over two lines
    assert table3["other_no_correction"] == [67, 3, 0, 0, 1, 0, 71]  # "1、" numbering
    assert table3["other_fee_unpaid"] == [6, 0, 0, 0, 0, 0, 6]
    assert table3["other_other"] == [108, 2, 0, 0, 0, 0, 110]


@pytest.mark.parametrize("pdf", REAL_PDFS, ids=lambda p: p.stem)
def test_real_pdf_grid_and_text_layer_read_alike(pdf: Path) -> None:
    """The two independent PDF paths (ruled grid, PDFium text) each read the whole report."""
    doc = pdf_reader.pdf_document(pdf.read_bytes(), pdf.name)
    grids = [*doc.grids, *(doc.more_grids() if doc.more_grids else [])]
    from_grids = interpret(Document(pdf.name, SourceKind.PDF, [], grids))
    from_text = interpret(Document(pdf.name, SourceKind.PDF, doc.lines, [], wrapped=True))

    assert from_grids.to_dict(include_extras=False)["table3"] == from_text.to_dict(include_extras=False)["table3"]
    assert from_grids.table2 == from_text.table2
    assert from_grids.table4 == from_text.table4
    _assert_known(from_text, _known(pdf))


@pytest.mark.parametrize("pdf", REAL_PDFS, ids=lambda p: p.stem)
def test_real_pdf_text_from_pdfplumber_reads_as_text(pdf: Path) -> None:
    """pdfplumber's extract_text has the quirks of the known.json notes: labels wrapping round
    their numbers, the vertical 三、本年度办理结果 interleaved, footers, numbers above labels."""
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "- 4 -" in text

    report = read_bytes(text.encode("utf-8"), name="extracted.txt")

    _assert_known(report, _known(pdf))
    # Rows the text alone cannot settle (a group label over numbers printed above a row) are
    # blank with a note; every number read is the one the PDF's ruled table holds.
    from_pdf = read_report(pdf)
    for key in TABLE3_KEYS:
        for got, want in zip(report.table3[key], from_pdf.table3[key], strict=True):
            assert got is None or got == want, key
        if None in report.table3[key] and key not in ROWS_ABSENT_IN_2019:
            assert any(n.row == key for n in report.notes), key


# =============================================================================================
# Built inputs: a report whose every cell is different
# =============================================================================================


def numbered(fmt: ReportFormat = F2021) -> AnnualReport:
    """A report where each cell holds its own number (a misplaced number cannot pass)."""
    report = AnnualReport.zero(fmt, agency="示范市示范区人民政府", year=2023 if fmt is F2021 else 2020)
    n = 1
    for row in table2_rows(fmt):
        for f in row.fields:
            if f.value_type is ValueType.MONEY:
                report.table2[row.key][f.key] = Decimal(f"{n}.25")
            else:
                report.table2[row.key][f.key] = n * 1000 + 7 if row.key == "punishment" else n
            n += 1
    for i, row in enumerate(table3_rows(fmt)):
        values = [(i + 1) * 10 + c for c in range(COLUMN_COUNT - 1)]
        report.table3[row.key] = [*values, sum(values)]
    for g, group in enumerate(TABLE4_GROUPS):
        values = [500 + g * 10 + k for k in range(4)]
        report.table4[group.value] = dict(zip(TABLE4_FIELDS, [*values, sum(values)], strict=True))
    return report


def _show(value: object, *, thousands: bool = False) -> str:
    if value is None:
        return "/"
    if isinstance(value, int) and thousands:
        return f"{value:,}"
    return str(value)


T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
SUB_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
GROUP_SIZE = {"withheld": 8, "unavailable": 3, "rejected": 5, "other": 3}


def _table2_blocks(fmt: ReportFormat) -> list[tuple[str, list[str], list[str]]]:
    """(block header, field labels, row keys) in print order."""
    blocks: list[tuple[str, list[str], list[str]]] = []
    for row in table2_rows(fmt):
        if not blocks or blocks[-1][0] != row.block:
            blocks.append((row.block, [f.label for f in row.fields], []))
        blocks[-1][2].append(row.key)
    return blocks


# -- HTML with rowspan / colspan ------------------------------------------------------------


def _td(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f"<td{attrs}>{html.escape(text)}</td>"


def html_tables(report: AnnualReport, *, thousands: bool = False, organisations: bool = True) -> str:
    fmt = report.format
    rows2 = {row.key: row for row in table2_rows(fmt)}
    t2 = ['<table border="1">']
    for block, fields, keys in _table2_blocks(fmt):
        t2.append(f"<tr>{_td(block, 4)}</tr>")
        span = 3 - len(fields)
        t2.append(
            "<tr>"
            + _td("信息内容")
            + "".join(_td(f, 1 + (span if i == len(fields) - 1 else 0)) for i, f in enumerate(fields))
            + "</tr>"
        )
        for key in keys:
            values = [_show(report.table2[key][f.key], thousands=thousands) for f in rows2[key].fields]
            t2.append(
                "<tr>"
                + _td(rows2[key].label)
                + "".join(_td(v, 1 + (span if i == len(values) - 1 else 0)) for i, v in enumerate(values))
                + "</tr>"
            )
    t2.append("</table>")

    width = COLUMN_COUNT if organisations else 3
    t3 = [
        '<table border="1">',
        "<tr>" + _td(T3_NOTE, 3, 3 if organisations else 2) + _td("申请人情况", width) + "</tr>",
    ]
    if organisations:
        t3.append("<tr>" + _td("自然人", 1, 2) + _td("法人或其他组织", 5) + _td("总计", 1, 2) + "</tr>")
        t3.append("<tr>" + "".join(_td(c) for c in SUB_COLUMNS) + "</tr>")
    else:
        t3.append("<tr>" + _td("自然人") + _td("法人或其他组织") + _td("总计") + "</tr>")

    def cells(key: str) -> str:
        values = report.table3[key]
        if not organisations:
            values = [values[0], sum(v or 0 for v in values[1:6]), values[6]]
        return "".join(_td(_show(v, thousands=thousands)) for v in values)

    outcome_rows = [r for r in table3_rows(fmt) if r.kind.value == "outcome"] + [
        r for r in TABLE3_ROWS if r.key == "total"
    ]
    t3.extend(
        "<tr>" + _td(row.full_label, 3) + cells(row.key) + "</tr>"
        for row in table3_rows(fmt)
        if row.kind.value == "intake"
    )
    started_groups: set[str] = set()
    for i, row in enumerate(outcome_rows):
        lead = _td("三、本年度办理结果", 1, len(outcome_rows)) if i == 0 else ""
        if row.group_key is not None and not (fmt is F2019 and row.group_key == "other"):
            group = next(g for g in OUTCOME_GROUPS if g.key == row.group_key)
            head = "" if row.group_key in started_groups else _td(group.full_label, 1, GROUP_SIZE[row.group_key])
            started_groups.add(row.group_key)
            t3.append("<tr>" + lead + head + _td(row.full_label) + cells(row.key) + "</tr>")
        else:
            label = "（六）其他处理" if row.key == "other_other" else row.full_label
            t3.append("<tr>" + lead + _td(label, 2) + cells(row.key) + "</tr>")
    t3.append("<tr>" + _td("四、结转下年度继续办理", 3) + cells("carried_forward") + "</tr></table>")

    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    t4 = ['<table border="1">', "<tr>" + _td("行政复议", 5) + _td("行政诉讼", 10) + "</tr>"]
    t4.append(
        "<tr>" + "".join(_td(r, 1, 2) for r in results) + _td("未经复议直接起诉", 5) + _td("复议后起诉", 5) + "</tr>"
    )
    t4.append("<tr>" + "".join(_td(r) for r in results * 2) + "</tr>")
    t4.append(
        "<tr>"
        + "".join(_td(_show(report.table4[g.value][f])) for g in TABLE4_GROUPS for f in TABLE4_FIELDS)
        + "</tr></table>"
    )
    return "\n".join(
        [
            "<h2>二、主动公开政府信息情况</h2>",
            *t2,
            "<h2>三、收到和处理政府信息公开申请情况</h2>",
            *t3,
            "<h2>四、政府信息公开行政复议、行政诉讼情况</h2>",
            *t4,
        ]
    )


def html_page(report: AnnualReport, body: str) -> str:
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_门户网站</title>
<script>var x = "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>9</td></tr></table>";</script></head>
<body><div class="nav"><a href="/">首页</a> &gt; <a href="/gk">政府信息公开</a> &gt; 年度报告</div>
<div class="article"><h1>{title}</h1>
<p>一、总体情况</p><p>本年度，我区认真贯彻《条例》。</p>
{body}
<p>五、存在的主要问题及改进情况</p><p>人员不足。</p>
<p>六、其他需要报告的事项</p><p>无。</p>
</div><div class="footer">版权所有：示范区人民政府 网站标识码 0000000000</div></body></html>"""


def test_html_tables_with_rowspan_and_colspan() -> None:
    want = numbered()
    page = html_page(want, html_tables(want))

    got = read_bytes(page.encode("utf-8"), name="report.html")

    assert got.same_numbers(want), got.notes
    assert got.notes == []
    assert got.sections["overview"] == "本年度，我区认真贯彻《条例》。"
    assert got.sections["other"] == "无。"


def test_html_in_gbk_with_thousands_separators() -> None:
    want = numbered()
    page = html_page(want, html_tables(want, thousands=True)).replace('charset="utf-8"', 'charset="gbk"')

    got = read_bytes(page.encode("gbk"), name="report.htm")

    assert got.table2["punishment"]["decisions"] == want.table2["punishment"]["decisions"] > 1000
    assert got.same_numbers(want)


def test_html_cells_as_word_exports_them() -> None:
    """Word's HTML puts each number in <p><span>, leaves empty cells as &nbsp; and breaks header
    cells with <br>."""
    want = numbered()
    want.table3["granted"] = [5, None, None, None, None, None, 5]
    page = html_page(want, html_tables(want))
    page = page.replace("<td>/</td>", "<td>&nbsp;</td>").replace("<td>商业企业</td>", "<td>商业<br>企业</td>")
    page = page.replace("<td>5</td>", '<td><p class="MsoNormal"><span lang="EN-US">5</span></p></td>')

    got = read_bytes(page.encode("utf-8"), name="word.htm")

    assert got.same_numbers(want), got.notes


def test_html_page_whose_tables_were_flattened_into_paragraphs() -> None:
    want = numbered()
    grid_page = html_page(want, html_tables(want))
    # Every table cell becomes a paragraph of its own; rows become nothing.
    flat = (
        grid_page.replace("<table", "<div")
        .replace("</table>", "</div>")
        .replace("<tr>", "")
        .replace("</tr>", "")
        .replace("<td", "<p")
        .replace("</td>", "</p>")
    )
    assert "<td" not in flat

    got = read_bytes(flat.encode("utf-8"), name="flat.html")

    assert got.same_numbers(want), got.notes


def test_html_page_with_rows_flattened_into_lines_of_spaces() -> None:
    want = numbered()
    lines = [
        f"<p>{row.full_label}&nbsp;&nbsp;" + "&nbsp;".join(str(v) for v in want.table3[row.key]) + "</p>"
        for row in table3_rows(F2021)
    ]
    page = html_page(want, "<p>三、收到和处理政府信息公开申请情况</p>" + "\n".join(lines))

    got = read_bytes(page.encode("utf-8"), name="rows.html")

    assert got.table3 == want.table3
    assert any(n.table == "二" and "未找到" in n.message for n in got.notes)
    assert got.table2["regulations"] == {"issued": None, "abolished": None, "in_force": None}


def test_html_layout_table_holding_the_article_and_nested_tables() -> None:
    want = numbered()
    page = html_page(want, f'<table width="100%"><tr><td><p>正文</p>{html_tables(want)}</td></tr></table>')

    got = read_bytes(page.encode("utf-8"), name="layout.html")

    assert got.same_numbers(want), got.notes


def test_missing_organisation_sub_columns_are_blank_with_a_note() -> None:
    want = numbered()
    page = html_page(want, html_tables(want, organisations=False))

    got = read_bytes(page.encode("utf-8"), name="three-columns.html")

    for key in TABLE3_KEYS:
        assert got.table3[key][0] == want.table3[key][0]
        assert got.table3[key][6] == want.table3[key][6]
        assert got.table3[key][1:6] == [None] * 5
    noted = {n.column for n in got.notes if n.table == "三" and n.row is None and "法人或其他组织未分列" in n.message}
    assert noted == {"1", "2", "3", "4", "5"}


def test_missing_organisation_sub_columns_in_text() -> None:
    want = numbered()
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人 法人或其他组织 总计"]
    for row in table3_rows(F2021):
        values = want.table3[row.key]
        lines.append(f"{row.full_label} {values[0]} {sum(values[1:6])} {values[6]}")

    got = read_bytes("\n".join(lines).encode("utf-8"), name="three.txt")

    for key in TABLE3_KEYS:
        assert got.table3[key] == [want.table3[key][0], None, None, None, None, None, want.table3[key][6]]
    assert {n.column for n in got.notes if n.table == "三"} == {"1", "2", "3", "4", "5"}


# -- Word ---------------------------------------------------------------------------------------


def docx_bytes(report: AnnualReport, *, title_lines: tuple[str, ...] | None = None) -> bytes:
    """A report as Word writes it: merged cells with gridSpan/vMerge, numbering as plain text."""
    fmt = report.format
    doc = WordDocument()
    for line in title_lines or (report.agency or "", f"{report.year}年政府信息公开工作年度报告"):
        doc.add_paragraph(line)
    doc.add_paragraph("一、总体情况")
    doc.add_paragraph("本年度依法公开。")
    doc.add_paragraph("二、主动公开政府信息情况")
    rows2 = {row.key: row for row in table2_rows(fmt)}
    blocks = _table2_blocks(fmt)
    table = doc.add_table(rows=sum(2 + len(keys) for _, _, keys in blocks), cols=4)
    r = 0
    for block, fields, keys in blocks:
        table.cell(r, 0).merge(table.cell(r, 3)).text = block
        table.cell(r + 1, 0).text = "信息内容"
        for i, f in enumerate(fields):
            cell = table.cell(r + 1, 1 + i)
            if i == len(fields) - 1 and i < 2:
                cell = cell.merge(table.cell(r + 1, 3))
            cell.text = f
        for k, key in enumerate(keys, start=r + 2):
            table.cell(k, 0).text = rows2[key].label
            values = [_show(report.table2[key][f.key]) for f in rows2[key].fields]
            for i, v in enumerate(values):
                cell = table.cell(k, 1 + i)
                if i == len(values) - 1 and i < 2:
                    cell = cell.merge(table.cell(k, 3))
                cell.text = v
        r += 2 + len(keys)

    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    rows3 = list(table3_rows(fmt))
    table = doc.add_table(rows=3 + len(rows3), cols=3 + COLUMN_COUNT)
    table.cell(0, 0).merge(table.cell(2, 2)).text = T3_NOTE
    table.cell(0, 3).merge(table.cell(0, 9)).text = "申请人情况"
    table.cell(1, 3).merge(table.cell(2, 3)).text = "自然人"
    table.cell(1, 4).merge(table.cell(1, 8)).text = "法人或其他组织"
    table.cell(1, 9).merge(table.cell(2, 9)).text = "总计"
    for i, name in enumerate(SUB_COLUMNS):
        table.cell(2, 4 + i).text = name
    outcome_first = 3 + next(i for i, row in enumerate(rows3) if row.kind.value == "outcome")
    outcome_last = 3 + next(i for i, row in enumerate(rows3) if row.key == "total")
    table.cell(outcome_first, 0).merge(table.cell(outcome_last, 0)).text = "三、本年度办理结果"
    for i, row in enumerate(rows3):
        r = 3 + i
        if row.kind.value in ("intake", "carry"):
            table.cell(r, 0).merge(table.cell(r, 2)).text = row.full_label
        elif row.group_key and (fmt is F2021 or row.group_key != "other"):
            group = next(g for g in OUTCOME_GROUPS if g.key == row.group_key)
            first = next(j for j, x in enumerate(rows3) if x.group_key == row.group_key)
            if first == i:
                table.cell(r, 1).merge(table.cell(r + GROUP_SIZE[row.group_key] - 1, 1)).text = group.full_label
            table.cell(r, 2).text = row.full_label
        else:
            label = "（六）其他处理" if row.key == "other_other" else row.full_label
            table.cell(r, 1).merge(table.cell(r, 2)).text = label
        for c, v in enumerate(report.table3[row.key]):
            table.cell(r, 3 + c).text = _show(v)

    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    table = doc.add_table(rows=4, cols=15)
    table.cell(0, 0).merge(table.cell(0, 4)).text = "行政复议"
    table.cell(0, 5).merge(table.cell(0, 14)).text = "行政诉讼"
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    for i, name in enumerate(results):
        table.cell(1, i).merge(table.cell(2, i)).text = name
        table.cell(2, 5 + i).text = name
        table.cell(2, 10 + i).text = name
    table.cell(1, 5).merge(table.cell(1, 9)).text = "未经复议直接起诉"
    table.cell(1, 10).merge(table.cell(1, 14)).text = "复议后起诉"
    for i, (g, f) in enumerate((g, f) for g in TABLE4_GROUPS for f in TABLE4_FIELDS):
        table.cell(3, i).text = _show(report.table4[g.value][f])
    doc.add_paragraph("五、存在的主要问题及改进情况")
    doc.add_paragraph("队伍建设需要加强。")
    doc.add_paragraph("六、其他需要报告的事项")
    doc.add_paragraph("本年度未收取信息处理费。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_docx_with_merged_cells() -> None:
    want = numbered()

    got = read_bytes(docx_bytes(want), name="report.docx")

    assert got.same_numbers(want), got.notes
    assert got.notes == []
    assert got.sections == {
        "overview": "本年度依法公开。",
        "problems": "队伍建设需要加强。",
        "other": "本年度未收取信息处理费。",
    }


def test_docx_python_docx_repeats_merged_cells_but_each_number_is_read_once() -> None:
    want = numbered()
    data = docx_bytes(want)
    table = WordDocument(io.BytesIO(data)).tables[1]
    assert table.cell(5, 0).text == table.cell(20, 0).text == "三、本年度办理结果"  # one vMerge'd cell

    assert read_bytes(data, name="x.docx").table3 == want.table3


def test_docx_title_on_one_line_and_2019_format() -> None:
    want = numbered(F2019)
    data = docx_bytes(want, title_lines=("示范市示范区人民政府2020年政府信息公开工作年度报告",))

    got = read_bytes(data, name="2019.docx")

    assert got.format is F2019
    assert got.same_numbers(want), got.notes


# -- Text ---------------------------------------------------------------------------------------


def text_rows(report: AnnualReport, *, sep: str = "\t", thousands: bool = False) -> str:
    """Text pasted from a web page: the title, headings, one table row per line."""
    fmt = report.format
    out = [
        report.agency or "",
        f"{report.year}年政府信息公开工作年度报告",
        "一、总体情况",
        "依法公开。",
        "二、主动公开政府信息情况",
    ]
    rows2 = {row.key: row for row in table2_rows(fmt)}
    for block, fields, keys in _table2_blocks(fmt):
        out.extend([block, sep.join(["信息内容", *fields])])
        out.extend(
            sep.join([rows2[k].label, *(_show(report.table2[k][f.key], thousands=thousands) for f in rows2[k].fields)])
            for k in keys
        )
    out.extend(
        [
            "三、收到和处理政府信息公开申请情况",
            T3_NOTE,
            "申请人情况",
            sep.join(["自然人", "法人或其他组织", "总计"]),
            sep.join(SUB_COLUMNS),
        ]
    )
    for row in table3_rows(fmt):
        label = "（六）其他处理" if fmt is F2019 and row.key == "other_other" else row.full_label
        out.append(sep.join([label, *(_show(v, thousands=thousands) for v in report.table3[row.key])]))
    out.extend(
        ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计"]
    )
    out.append(sep.join(_show(report.table4[g.value][f]) for g in TABLE4_GROUPS for f in TABLE4_FIELDS))
    out.extend(["五、存在的主要问题及改进情况", "人手不足。", "六、其他需要报告的事项", "无。"])
    return "\n".join(out)


@pytest.mark.parametrize("sep", ["\t", " ", "   "])
def test_text_pasted_from_a_web_page(sep: str) -> None:
    want = numbered()

    got = read_bytes(text_rows(want, sep=sep).encode("utf-8"), name="pasted.txt")

    assert got.same_numbers(want), got.notes


def test_text_with_thousands_separators() -> None:
    want = numbered()
    text = text_rows(want, thousands=True)
    assert "1,000" not in text and f"{want.table2['punishment']['decisions']:,}" in text

    assert read_bytes(text.encode("utf-8"), name="t.txt").same_numbers(want)


def test_text_empty_cells_in_a_tab_separated_row_are_blank_not_shifted() -> None:
    want = numbered()
    want.table3["granted"] = [5, None, None, None, None, None, 5]
    text = text_rows(want).replace(
        "\t".join(["（一）予以公开", "5", "/", "/", "/", "/", "/", "5"]), "（一）予以公开\t5\t\t\t\t\t\t5"
    )
    assert "（一）予以公开\t5\t\t" in text

    got = read_bytes(text.encode("utf-8"), name="t.txt")

    assert got.table3["granted"] == [5, None, None, None, None, None, 5]
    assert got.table3["partial"] == want.table3["partial"]


def _sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


SAMPLE_QUIRKS = {
    "half-width brackets": lambda t: t.replace("（", "(").replace("）", ")"),
    "full-width digits": lambda t: t.replace("\t2015", "\t２０１５").replace("\t29\n", "\t２９\n"),
    "arabic heading numbers": lambda t: t.replace("四、政府信息公开行政复议", "4、政府信息公开行政复议"),
    "chinese heading numbers": lambda t: t.replace("2、 主动公开", "二、主动公开").replace(
        "3、 收到和处理", "三、收到和处理"
    ),
    "label broken over lines": lambda t: t.replace(
        "一、本年新收政府信息公开申请数量", "一、本年新收政府\n信息公开申请数量"
    ).replace("8.属于行政查询事项", "8.属于行政\n查询事项"),
    "1、 numbering": lambda t: t.replace("1.申请人无正当理由", "1、申请人无正当理由"),
    "windows line ends": lambda t: t.replace("\n", "\r\n"),
    "no bookmark": lambda t: t.replace("[bookmark: _GoBack]", ""),
    "thousands separator": lambda t: t.replace("\t2015", "\t2,015"),
    "spaces in labels": lambda t: t.replace("行政规范性文件", "行政 规范性 文件").replace("（七）总计", "（七）总 计"),
}


@pytest.mark.parametrize("quirk", SAMPLE_QUIRKS, ids=str)
def test_sample_layout_quirks(quirk: str) -> None:
    text = SAMPLE_QUIRKS[quirk](_sample_text())
    assert text != _sample_text() or quirk == "no bookmark"

    got = read_bytes(text.encode("utf-8"), name=f"{quirk}.txt")

    assert got.same_numbers(read_report(SAMPLE)), got.notes
    assert got.notes == []


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("gb18030", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_text_encodings(encoding: str, prefix: bytes) -> None:
    data = prefix + _sample_text().encode(encoding)

    assert read_bytes(data, name="sample").same_numbers(read_report(SAMPLE))


def test_2019_format_text() -> None:
    want = numbered(F2019)

    got = read_bytes(text_rows(want).encode("utf-8"), name="2019.txt")

    assert got.format is F2019
    assert got.same_numbers(want), got.notes
    assert got.table3["other_no_correction"] == got.table3["other_fee_unpaid"] == [None] * COLUMN_COUNT
    assert got.table2["procurement"]["amount"] == want.table2["procurement"]["amount"]
    assert not any(n.row in ROWS_ABSENT_IN_2019 for n in got.notes)


def test_2019_format_html() -> None:
    want = numbered(F2019)

    got = read_bytes(html_page(want, html_tables(want)).encode("utf-8"), name="2019.html")

    assert got.format is F2019
    assert got.same_numbers(want), got.notes


def test_2019_table2_with_2021_table3_sums_the_other_rows() -> None:
    want = numbered(F2021)
    text = text_rows(want)
    for new, old in (
        ("本年制发件数", "本年新制作数量"),
        ("本年废止件数", "本年新公开数量"),
        ("现行有效件数", "对外公开总数量"),
    ):
        text = text.replace(new, old)
    text = text.replace("本年处理决定数量", "处理决定数量").replace("本年收费金额（单位：万元）", "上一年项目数量")

    got = read_bytes(text.encode("utf-8"), name="mixed.txt")

    assert got.format is F2019
    parts = ("other_no_correction", "other_fee_unpaid", "other_other")
    assert got.table3["other_other"] == [sum(want.table3[k][c] or 0 for k in parts) for c in range(COLUMN_COUNT)]
    assert any("三个分项" in n.message for n in got.notes)


# =============================================================================================
# What the readers must not guess
# =============================================================================================


def _replace_cell(page: str, old: str, new: str) -> str:
    assert page.count(f"<td>{old}</td>") == 1, old
    return page.replace(f"<td>{old}</td>", f"<td>{new}</td>")


def test_a_number_split_in_its_cell_is_blank_with_a_note() -> None:
    want = numbered()
    granted = want.table3["granted"]
    page = _replace_cell(
        html_page(want, html_tables(want)), str(granted[0]), f"{str(granted[0])[0]} {str(granted[0])[1:]}"
    )

    got = read_bytes(page.encode("utf-8"), name="split.html")

    assert got.table3["granted"] == [None, *granted[1:]]
    (note,) = [n for n in got.notes if n.row == "granted"]
    assert (note.table, note.column) == ("三", "0") and "拆开" in note.message


def test_a_number_split_over_two_cells_under_one_header_is_blank_with_a_note() -> None:
    """A stray ruling line can cut a cell in two ("2" | "0" for 20): both halves sit under one
    header cell, and the column is not read."""
    want = numbered()
    page = html_page(want, html_tables(want))
    page = page.replace('<td rowspan="2">自然人</td>', '<td rowspan="2" colspan="2">自然人</td>')
    page = page.replace('<td colspan="7">申请人情况</td>', '<td colspan="8">申请人情况</td>')
    for key in TABLE3_KEYS:
        first = want.table3[key][0]
        assert page.count(f"<td>{first}</td><td>{want.table3[key][1]}</td>") == 1
        half = f"<td>{str(first)[:1]}</td><td>{str(first)[1:]}</td>"
        page = page.replace(f"<td>{first}</td><td>{want.table3[key][1]}</td>", f"{half}<td>{want.table3[key][1]}</td>")

    got = read_bytes(page.encode("utf-8"), name="split-cells.html")

    for key in TABLE3_KEYS:
        assert got.table3[key] == [None, *want.table3[key][1:]], key
        assert any(n.row == key and n.column == "0" and "2 个数" in n.message for n in got.notes)


def test_a_value_cell_merged_over_two_columns_is_blank_with_a_note() -> None:
    want = numbered()
    row = want.table3["partial"]
    page = html_page(want, html_tables(want))
    cells = "".join(f"<td>{v}</td>" for v in row)
    merged = (
        "".join(f"<td>{v}</td>" for v in row[:2])
        + f'<td colspan="2">{row[2]}</td>'
        + "".join(f"<td>{v}</td>" for v in row[4:])
    )
    assert page.count(cells) == 1
    page = page.replace(cells, merged)

    got = read_bytes(page.encode("utf-8"), name="merged.html")

    assert got.table3["partial"] == [row[0], row[1], None, None, row[4], row[5], row[6]]
    assert {n.column for n in got.notes if n.row == "partial"} == {"2", "3"}


def test_a_row_with_too_few_numbers_in_text_is_blank_with_notes() -> None:
    want = numbered()
    line = "\t".join(["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", *map(str, want.table3["partial"])])
    text = text_rows(want)
    assert line in text
    text = text.replace(line, line.rsplit("\t", 1)[0])

    got = read_bytes(text.encode("utf-8"), name="short.txt")

    assert got.table3["partial"] == [None] * COLUMN_COUNT
    assert got.table3["granted"] == want.table3["granted"]
    assert got.table3["withheld_state_secret"] == want.table3["withheld_state_secret"]
    assert len([n for n in got.notes if n.row == "partial"]) == COLUMN_COUNT


def test_text_or_garbage_in_a_cell_is_blank_with_a_note() -> None:
    want = numbered()
    page = _replace_cell(html_page(want, html_tables(want)), str(want.table4["reconsideration"]["upheld"]), "见附件")

    got = read_bytes(page.encode("utf-8"), name="x.html")

    assert got.table4["reconsideration"]["upheld"] is None
    assert any(n.table == "四" and n.row == "reconsideration" and n.column == "upheld" for n in got.notes)


def test_text_with_every_row_printed_below_its_numbers() -> None:
    want = numbered()
    lines = ["三、收到和处理政府信息公开申请情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    for row in table3_rows(F2021):
        lines.extend([" ".join(map(str, want.table3[row.key])), row.full_label])

    got = read_bytes("\n".join(lines).encode("utf-8"), name="above.txt")

    assert got.table3 == want.table3


def test_text_whose_labels_and_numbers_are_in_separate_blocks_is_not_paired() -> None:
    """A PDF content stream may write the label column first, then the numbers: no row is next to
    its numbers, and pairing the last label with the first run would be a wrong number."""
    want = numbered()
    labels = [row.full_label for row in table3_rows(F2021)]
    runs = [" ".join(map(str, want.table3[row.key])) for row in table3_rows(F2021)]
    header = ["三、收到和处理政府信息公开申请情况", "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]

    for lines in ([*labels, *runs], [labels[0], runs[0], *labels[1:], *runs[1:]]):
        got = read_bytes("\n".join([*header, *lines]).encode("utf-8"), name="columns.txt")

        assert all(got.table3[key] == [None] * COLUMN_COUNT for key in TABLE3_KEYS)
        assert any("次序无法对应" in n.message for n in got.notes)


def test_a_row_label_without_numbers_next_to_another_is_not_given_its_neighbours_numbers() -> None:
    # Numbers printed above their labels (PDF text): a label whose run is missing is ambiguous.
    events = [
        RunEvent(("1",) * 7),
        LabelEvent("a", True, frozenset({7})),
        RunEvent(("2",) * 7),
        LabelEvent("b", True, frozenset({7})),
        LabelEvent("c", True, frozenset({7})),
        RunEvent(("3",) * 7),
        LabelEvent("d", True, frozenset({7})),
    ]

    pairs, _ = align(events)

    assert pairs["a"].cells[0] == "1" and pairs["b"].cells[0] == "2"
    assert pairs["c"] is AMBIGUOUS and pairs["d"] is AMBIGUOUS


def test_align_pairs_a_label_with_the_numbers_on_its_line() -> None:
    a, b, c = (LabelEvent(k, True, frozenset({7}), line) for k, line in (("a", 0), ("b", 1), ("c", 3)))
    run1, run2 = RunEvent(("1",) * 7, 0), RunEvent(("2",) * 7, 1)

    pairs, orphans = align([a, run1, b, run2, c])

    assert pairs == {"a": run1, "b": run2} and orphans == 0


def test_align_does_not_assume_numbers_follow_their_label() -> None:
    """Without line evidence, one run between two labels may be either's: neither gets it."""
    a, b = LabelEvent("a", True, frozenset({7})), LabelEvent("b", True, frozenset({7}))
    run = RunEvent(("1",) * 7)

    pairs, _ = align([a, run, b])

    assert pairs == {"a": AMBIGUOUS, "b": AMBIGUOUS}


@pytest.mark.parametrize("sep", ["\t", " "])
def test_group_subtotal_rows_are_not_read_as_their_first_item(sep: str) -> None:
    want = numbered()
    text = text_rows(want, sep=sep)
    first = sep.join(["1.属于国家秘密", *map(str, want.table3["withheld_state_secret"])])
    subtotal = sep.join(["（三）不予公开", *map(str, [999] * 6), "5994"])
    assert first in text
    text = text.replace(first, subtotal + "\n" + first)

    got = read_bytes(text.encode("utf-8"), name="subtotal.txt")

    assert got.table3 == want.table3


@pytest.mark.parametrize(
    ("raw", "value_type", "expected"),
    [
        ("29", ValueType.COUNT, Got(29)),
        (" 0 ", ValueType.COUNT, Got(0)),
        ("１２３", ValueType.COUNT, Got(123)),
        ("1,234", ValueType.COUNT, Got(1234)),
        ("1，234", ValueType.COUNT, Got(1234)),
        ("3985758", ValueType.COUNT, Got(3985758)),
        ("29件", ValueType.COUNT, Got(29)),
        ("", ValueType.COUNT, Got(None)),
        ("/", ValueType.COUNT, Got(None)),
        ("／", ValueType.COUNT, Got(None)),
        ("—", ValueType.COUNT, Got(None)),
        ("-", ValueType.COUNT, Got(None)),
        ("无", ValueType.COUNT, Got(None)),
        ("96171.6", ValueType.MONEY, Got(Decimal("96171.6"))),
        ("7,730.28", ValueType.MONEY, Got(Decimal("7730.28"))),
        ("0", ValueType.MONEY, Got(Decimal("0"))),
        # Units are kept and converted to the contract's 万元, with a note (issue 15 item 6).
        ("0.50万元", ValueType.MONEY, Got(Decimal("0.50"), note="印有单位“万元”（0.50万元），按万元读入")),
        ("3元", ValueType.MONEY, Got(Decimal("0.0003"), note="印的是“3元”（单位元），已换算为 0.0003 万元")),
        ("-3", ValueType.SIGNED, Got(-3)),
        ("+2", ValueType.SIGNED, Got(2)),
    ],
)
def test_parse_cell_reads(raw: str, value_type: ValueType, expected: Got) -> None:
    assert parse_cell(raw, value_type) == expected


@pytest.mark.parametrize(
    ("raw", "value_type"),
    [
        ("2 0", ValueType.COUNT),
        ("2\n0", ValueType.COUNT),
        ("1,2", ValueType.COUNT),
        ("12.5", ValueType.COUNT),
        ("一", ValueType.COUNT),
        ("见附件", ValueType.COUNT),
        ("1.2.3", ValueType.MONEY),
        ("12 345", ValueType.MONEY),
        ("9" * 40, ValueType.COUNT),
    ],
)
def test_parse_cell_refuses_to_guess(raw: str, value_type: ValueType) -> None:
    assert isinstance(parse_cell(raw, value_type), Unsure)


def test_a_negative_count_is_read_as_printed_with_a_note() -> None:
    cell = parse_cell("-1")
    assert isinstance(cell, Got) and cell.value == -1 and cell.note


def test_every_national_row_label_matches_its_own_row_only() -> None:
    for row in TABLE3_ROWS:
        if row.key == "other_other":
            continue
        keys = {k for _, k in t3_events(norm(row.full_label), other_context=False) if not k.startswith("group:")}
        assert keys == {row.key}, row.full_label
    keys = {k for _, k in t3_events(norm("3.其他"), other_context=True)}
    assert keys == {"other_other"}
    assert not t3_events(norm("3.其他"), other_context=False)
    assert set(T3_PHRASES) == set(TABLE3_KEYS) - {OTHER_OTHER}
    for row in (*TABLE2_ROWS_2021, *TABLE2_ROWS_2019):
        assert t2_row(norm(row.label)) == row.key, row.label
    assert set(T2_ROW_PHRASES) == {r.key for r in (*TABLE2_ROWS_2021, *TABLE2_ROWS_2019)}


# =============================================================================================
# Title, sniffing, JSON
# =============================================================================================


@pytest.mark.parametrize(
    ("lines", "agency", "year"),
    [
        (["北京市密云区果园街道办事处", "2023年政府信息公开年度报告"], "北京市密云区果园街道办事处", 2023),
        (["淮安市人民政府", "2024 年政府信息公开工作年度报告"], "淮安市人民政府", 2024),
        (["示范市统计局2023年政府信息公开工作年度报告"], "示范市统计局", 2023),
        (["示范市统计局 2022 年度政府信息公开工作年度报告"], "示范市统计局", 2022),
        (["2021年示范市教育局政府信息公开工作年度报告"], "示范市教育局", 2021),
        (["示范县人民政府关于2020年政府信息公开工作年度报告"], "示范县人民政府", 2020),
        (["2023年政府信息公开工作年度报告"], None, 2023),
        (["依据条例编制本报告。", "一、总体情况"], None, None),
    ],
)
def test_read_title(lines: list[str], agency: str | None, year: int | None) -> None:
    got_agency, got_year, _ = read_title(lines, "", norm("".join(lines)))
    assert (got_agency, got_year) == (agency, year)


def test_title_from_the_html_title_when_the_body_has_none() -> None:
    got_agency, got_year, _ = read_title(
        ["首页", "新闻"], "示范区财政局2023年政府信息公开工作年度报告_示范区政府网", ""
    )
    assert (got_agency, got_year) == ("示范区财政局", 2023)


def test_reader_is_chosen_by_content_not_by_name(tmp_path: Path) -> None:
    pdf = REAL / "huaian-hongze-2024.pdf"
    misnamed_pdf = tmp_path / "report.txt"
    misnamed_pdf.write_bytes(pdf.read_bytes())
    misnamed_text = tmp_path / "report.pdf"
    misnamed_text.write_bytes(SAMPLE.read_bytes())
    misnamed_docx = tmp_path / "report.html"
    misnamed_docx.write_bytes(docx_bytes(numbered()))

    assert read_report(misnamed_pdf).same_numbers(read_report(pdf))
    assert read_report(misnamed_text).same_numbers(read_report(SAMPLE))
    assert read_report(misnamed_docx).same_numbers(numbered())
    assert read_bytes(pdf.read_bytes()).same_numbers(read_report(pdf))


def test_json_of_the_schema_reads_back() -> None:
    want = read_report(SAMPLE)
    got = read_bytes(want.to_json().encode("utf-8"), name="report.json")
    assert got.same_numbers(want)
    assert got.sections == want.sections


def test_json_of_another_shape_is_refused() -> None:
    with pytest.raises(ReportReadError, match=re.escape("gongkai.annual-report/1")):
        read_bytes(b'{"schema": "other/1", "table3": {}}', name="x.json")
    with pytest.raises(ReportReadError, match=re.escape("x.json")):
        read_bytes('{"schema": "gongkai.annual-report/1", "year": "二〇二三"}'.encode(), name="x.json")


# =============================================================================================
# Input that is not a readable report: a clear ReportReadError naming the file
# =============================================================================================


def _blank_pdf(pages: int = 1) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


NOT_READABLE: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "空"),
    "whitespace": (b" \n\t ", "空"),
    "scanned pdf": (_blank_pdf(), "没有文字层"),
    "truncated pdf": ((REAL / "huaian-hongze-2024.pdf").read_bytes()[:5000], "PDF"),
    "pdf header only": (b"%PDF-1.7\n", "PDF"),
    "truncated docx": (docx_bytes(numbered())[:3000], "损坏或不完整"),
    "zip without word": (_zip({"a.txt": b"x"}), "word/document.xml"),
    "broken document.xml": (_zip({"word/document.xml": b"<w:document"}), "Word"),
    "old word": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".doc"),
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "图片"),
    "binary": (bytes(range(256)) * 8, "二进制"),
    "not a report": (
        "<html><body><h1>示范区召开会议</h1><p>会议强调，要做好政务公开工作。</p></body></html>".encode(),
        "未找到表三",
    ),
    "narrative only": (
        "示范局2023年政府信息公开工作年度报告\n一、总体情况\n本年新收政府信息公开申请数量29件，全部办结。".encode(),
        "未找到表三",
    ),
    "undecodable": (b"\x80\xff" * 20, "编码"),
}


@pytest.mark.parametrize("case", NOT_READABLE, ids=str)
def test_unreadable_input_raises_a_clear_error_naming_the_file(case: str) -> None:
    data, words = NOT_READABLE[case]
    name = f"{case}.bin"

    with pytest.raises(ReportReadError) as raised:
        read_bytes(data, name=name)

    message = str(raised.value)
    assert name in message and words in message, message
    assert INTERNAL_ERROR not in message


def test_missing_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReportReadError, match=re.escape("missing.pdf")):
        read_report(tmp_path / "missing.pdf")


def test_size_cap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    with pytest.raises(ReportReadError, match="上限"):
        read_bytes(SAMPLE.read_bytes(), name="big.txt")
    path = tmp_path / "big.txt"
    path.write_bytes(SAMPLE.read_bytes())
    with pytest.raises(ReportReadError, match=re.escape("big.txt")):
        read_report(path)


def test_page_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    with pytest.raises(ReportReadError, match="5 页"):
        read_bytes((REAL / "huaian-hongze-2024.pdf").read_bytes(), name="long.pdf")


def test_huge_text_is_refused_quickly() -> None:
    with pytest.raises(ReportReadError, match="过长"):
        read_bytes(b"x\n" * 3_000_000, name="huge.txt")


def test_a_table_with_absurd_spans_does_not_blow_up() -> None:
    page = f'<table><tr><td colspan="999999999" rowspan="999999999">x</td></tr></table>{html_tables(numbered())}'
    got = read_bytes(html_page(numbered(), page).encode("utf-8"), name="spans.html")
    assert got.same_numbers(numbered())
