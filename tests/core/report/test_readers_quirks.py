"""Reports as supervisors meet them (issue 15): converted, damaged, scanned, old and national
formats. Each corpus file is made from the project's own corpus reports (:mod:`.corpus`) or the
public sample, with its exact expected numbers; every test asserts 0 wrong cells and the
coverage of its quirk. Files: ``files/`` (a .doc made by LibreOffice, a scanned PDF rendered at
150 dpi), the rest generated here (:mod:`.quirks`).
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.errors import ReportReadError
from gongkai.core.report.checks import check_report, has_errors
from gongkai.core.report.findings import Rule, Severity
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import doc as doc_reader
from gongkai.core.report.readers import ocr as ocr_reader
from gongkai.core.report.readers import read_bytes, read_report, sniff
from gongkai.core.report.readers.document import SourceKind
from gongkai.core.report.readers.joined import JOINED_NOTE
from gongkai.core.report.readers.rundigits import split_groups, split_runs
from gongkai.core.report.taxonomy import COLUMN_COUNT, TABLE3_KEYS
from gongkai.core.report.writers import render_text, render_xlsx
from tests.core.report import quirks
from tests.core.report.corpus import build_reports

FILES = Path(__file__).parent / "files"
SHARED = Path(__file__).resolve().parents[4] / "shared" / "samples"
REAL_PDFS = sorted((SHARED / "real").glob("*.pdf"))
CONSISTENT = [r for r in build_reports() if not r.errors]
#: Consistent reports whose every cell is printed (blank cells vanish without a trace when the
#: cell boundaries are lost; those reports are checked for 0 wrong only).
PRINTED = [r for r in CONSISTENT if all(v is not None for row in r.report.table3.values() for v in row)]
MIYUN = next(r for r in CONSISTENT if r.name == "r02-2021-miyun").report


def score(want: AnnualReport, got: AnnualReport) -> tuple[int, int, int]:
    """(cells of tables 三 and 四 read right, cells, cells read wrong); a blank read is not wrong."""
    right = total = wrong = 0
    pairs = [(want.table3[k][c], got.table3[k][c]) for k in TABLE3_KEYS for c in range(COLUMN_COUNT)]
    pairs += [(want.table4[g][f], got.table4[g][f]) for g in want.table4 for f in want.table4[g]]
    for expected, value in pairs:
        if expected is None:
            continue
        total += 1
        right += value == expected
        wrong += value is not None and value != expected
    return right, total, wrong


def wrong_table2(want: AnnualReport, got: AnnualReport) -> list[str]:
    return [
        f"{row}.{name}: {value} ≠ {want.table2[row][name]}"
        for row, values in got.table2.items()
        for name, value in values.items()
        if value is not None and Decimal(str(value)) != Decimal(str(want.table2[row][name]))
    ]


# ---------------------------------------------------------------------------------------------
# Run-together digits
# ---------------------------------------------------------------------------------------------


def test_a_row_of_run_together_digits_has_one_split_that_adds_up() -> None:
    assert split_runs(["530010357"], 7, sum_last=True).candidates == ((53, 0, 0, 1, 0, 3, 57),)
    # The no-leading-zero rule alone settles "1000" into two cells.
    assert split_runs(["1000"], 2).candidates == ((100, 0),)
    # Certain boundaries (whitespace) are kept: "12 30" is never 1, 23, 0.
    assert split_runs(["12", "30"], 3).candidates == ((1, 2, 30), (12, 3, 0))
    assert split_groups(["000110030301001"], 3, 5).candidates == ((0, 0, 0, 1, 1, 0, 0, 3, 0, 3, 0, 1, 0, 0, 1),)


def test_enumeration_is_capped_on_a_long_run() -> None:
    split = split_runs(["1" * 60], 7, sum_last=True)
    assert split.candidates == () or split.capped
    assert split_runs(["123456789" * 4], 15).capped


@pytest.mark.parametrize("entry", CONSISTENT, ids=lambda r: r.name)
def test_run_together_text_never_gives_a_wrong_cell(entry: object) -> None:
    report = entry.report  # type: ignore[attr-defined]
    got = read_bytes(quirks.run_together(report).encode(), name="joined.txt")
    _, _, wrong = score(report, got)
    assert wrong == 0
    assert wrong_table2(report, got) == []


def test_run_together_corpus_decodes_at_least_90_percent_of_table3() -> None:
    right = total = 0
    for entry in PRINTED:
        got = read_bytes(quirks.run_together(entry.report).encode(), name=f"{entry.name}.txt")
        assert any(n.message == JOINED_NOTE for n in got.notes)
        for key in TABLE3_KEYS:
            for c in range(COLUMN_COUNT):
                if entry.report.table3[key][c] is not None:
                    total += 1
                    right += got.table3[key][c] == entry.report.table3[key][c]
    assert total > 1000
    assert right / total >= 0.9, f"{right}/{total}"


def test_run_together_row_from_the_issue() -> None:
    text = quirks.run_together(MIYUN)
    assert "一、本年新收政府信息公开申请数量290000029" in text
    got = read_bytes(text.encode(), name="miyun-joined.txt")
    assert got.same_numbers(MIYUN)


def test_ambiguous_split_is_blank_with_a_note_naming_the_choices() -> None:
    """规章 "352212" in three cells (no sum to check) has many splits: blank, and the note says so."""
    report = next(r for r in CONSISTENT if r.name == "r01-2021-basic").report
    got = read_bytes(quirks.run_together(report).encode(), name="joined.txt")
    assert got.table2["regulations"] == {"issued": None, "abolished": None, "in_force": None}
    note = next(n for n in got.notes if n.row == "regulations" and n.column == "issued")
    assert "352212" in note.message and "或" in note.message
    assert got.table2["licensing"]["decisions"] == report.table2["licensing"]["decisions"]


@pytest.mark.parametrize("pdf", REAL_PDFS, ids=lambda p: p.stem)
def test_real_reports_run_together_are_read_without_a_wrong_cell(pdf: Path) -> None:
    known = json.loads(pdf.with_suffix(".known.json").read_text(encoding="utf-8"))
    published = read_report(pdf)
    got = read_bytes(quirks.run_together(published).encode(), name=pdf.stem + ".txt")
    for key, values in known["table3"].items():
        for c, value in enumerate(values):
            assert got.table3[key][c] in (None, value), (key, c)
    decoded = sum(got.table3[k][c] == v for k, vs in known["table3"].items() for c, v in enumerate(vs))
    assert decoded >= 0.9 * sum(len(vs) for vs in known["table3"].values())


# ---------------------------------------------------------------------------------------------
# Markdown, page chrome, header lines
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", CONSISTENT, ids=lambda r: r.name)
def test_markdown_conversion_reads_every_number(entry: object) -> None:
    report = entry.report  # type: ignore[attr-defined]
    text = quirks.markdown(report)
    assert "| 一、本年新收政府信息公开申请数量 |" in text
    got = read_bytes(text.encode(), name="report.md")
    assert got.same_numbers(report)


def test_page_chrome_does_not_lend_its_links_agency_or_year() -> None:
    for entry in CONSISTENT[:4]:
        report = entry.report
        others = [("示范市财政局", (report.year or 2023) - 1), ("示范县农业农村局", (report.year or 2023) + 1)]
        got = read_bytes(quirks.with_chrome(report, others=others).encode(), name="page.html")
        assert (got.agency, got.year) == (report.agency, report.year)
        assert got.same_numbers(report)


def test_title_and_heading_that_disagree_give_a_note() -> None:
    page = quirks.with_chrome(MIYUN, others=[]).replace(
        "<title>北京市密云区果园街道办事处2023年", "<title>北京市密云区果园街道办事处2022年"
    )
    got = read_bytes(page.encode(), name="page.html")
    assert got.year == 2022
    assert any("标题不一致" in n.message for n in got.notes)


@pytest.mark.parametrize("layout", ["spaces", "cells"])
def test_a_header_line_repeated_on_a_new_page_is_never_row_7_total(layout: str) -> None:
    header = (
        "申请人情况 自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
        if layout == "spaces"
        else "\t申请人情况\n\t自然人\n\t法人或其他组织\n\t总计\n"
    )
    for entry in CONSISTENT[:3]:
        text = render_text(entry.report).replace("\t（四）无法提供", header + "\t（四）无法提供", 1)
        got = read_bytes(text.encode(), name="repeated-header.txt")
        assert got.same_numbers(entry.report)
        assert not has_errors(check_report(got))


# ---------------------------------------------------------------------------------------------
# Partial results and 未能读取
# ---------------------------------------------------------------------------------------------


def test_a_check_resting_on_an_unread_cell_is_unread_not_an_error() -> None:
    report = next(r for r in CONSISTENT if r.name == "r03-2021-orgs").report
    text = re.sub(r"（七）总计(\d+)", lambda m: "（七）总计" + m.group(1)[:-1] + "x", quirks.run_together(report))
    got = read_bytes(text.encode(), name="damaged.txt")
    assert got.table3["total"] == [None] * COLUMN_COUNT
    findings = check_report(got)
    assert not has_errors(findings)
    unread = [f for f in findings if f.rule is Rule.CHECK_UNREAD]
    assert unread and all(f.severity is Severity.UNREAD and "未能从文件中读取" in f.message for f in unread)
    assert not any(f.rule is Rule.STRUCT_MISSING_ROW and f.row == "total" for f in findings)


def test_table3_unreadable_but_tables_2_and_4_read_is_a_partial_result() -> None:
    text = render_text(MIYUN)
    start, end = text.index("三、收到和处理"), text.index("四、政府信息公开行政复议")
    damaged = text[:start] + "三、收到和处理政府信息公开申请情况\n（表格图片，无法复制）\n" + text[end:]
    got = read_bytes(damaged.encode(), name="partial.txt")
    assert got.table4 == MIYUN.table4
    assert got.table2 == MIYUN.table2
    assert all(v is None for row in got.table3.values() for v in row)
    assert any(n.message.startswith("表三未能识别") and n.table == "三" for n in got.notes)
    findings = check_report(got)
    assert not has_errors(findings)
    assert any(f.rule is Rule.CHECK_UNREAD and f.table is not None and f.table.value == "三" for f in findings)


# ---------------------------------------------------------------------------------------------
# Spreadsheets, OFD, old Word
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", CONSISTENT, ids=lambda r: r.name)
def test_our_own_xlsx_reads_back(entry: object) -> None:
    report = entry.report  # type: ignore[attr-defined]
    data = render_xlsx(report)
    assert sniff(data) is SourceKind.XLSX
    got = read_bytes(data, name="report.xlsx")
    assert (got.agency, got.year, got.format) == (report.agency, report.year, report.format)
    assert got.table3 == report.table3 and got.table4 == report.table4
    assert wrong_table2(report, got) == []
    assert all(
        got.table2[r][f] is not None for r in got.table2 for f in got.table2[r] if report.table2[r][f] is not None
    )


@pytest.mark.parametrize("name", ["r01-2021-basic", "r02-2021-miyun", "r08-2019-basic", "r12-2021-all-zero"])
def test_ofd_pages_read_by_position(name: str) -> None:
    report = next(r for r in CONSISTENT if r.name == name).report
    data = quirks.ofd(report)
    assert sniff(data) is SourceKind.OFD
    got = read_bytes(data, name="report.ofd")
    right, total, wrong = score(report, got)
    assert wrong == 0 and wrong_table2(report, got) == []
    assert right / total >= 0.95, f"{right}/{total}"
    assert (got.agency, got.year) == (report.agency, report.year)


def test_doc_made_by_libreoffice_is_read() -> None:
    data = (FILES / "miyun-2023.doc").read_bytes()
    assert sniff(data) is SourceKind.DOC
    assert shutil.which("soffice"), "LibreOffice (libreoffice-writer-nogui) is installed by .ci/run"
    got = read_bytes(data, name="miyun-2023.doc")
    assert got.same_numbers(MIYUN)
    assert any("LibreOffice" in n.message for n in got.notes)


def test_doc_without_libreoffice_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_reader, "soffice", lambda: None)
    with pytest.raises(ReportReadError, match="libreoffice-writer-nogui"):
        read_bytes((FILES / "miyun-2023.doc").read_bytes(), name="old.doc")


# ---------------------------------------------------------------------------------------------
# Scanned
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned() -> AnnualReport:
    """The sample report printed to PDF, scanned at 150 dpi (grey, JPEG), read by OCR (once)."""
    return read_report(FILES / "miyun-2023-scanned-150dpi.pdf")


def test_scanned_pdf_is_read_by_ocr_with_no_wrong_number(scanned: AnnualReport) -> None:
    right, total, wrong = score(MIYUN, scanned)
    assert wrong == 0
    assert wrong_table2(MIYUN, scanned) == []
    # Table 二 has no arithmetic to confirm an OCR read: its cells stay blank, and the note gives
    # what both reads agreed on (the scan's ruled cells), for the supervisor to compare.
    t2_total = sum(len(values) for values in MIYUN.table2.values())
    assert all(v is None for values in scanned.table2.values() for v in values.values())
    assert right / (total + t2_total) >= 0.95, f"{right}/{total + t2_total}"
    (note,) = [n for n in scanned.notes if n.table is not None and n.table.value == "二"]
    assert "两次独立识别" in note.message
    agreed = [str(v) for values in MIYUN.table2.values() for v in values.values() if v is not None]
    assert all(f"”{v}" in note.message for v in agreed)
    assert (scanned.agency, scanned.year) == (MIYUN.agency, MIYUN.year)
    assert any("文字识别" in n.message for n in scanned.notes)


def test_scanned_numbers_that_do_not_add_up_are_blank() -> None:
    """An OCR misread that the arithmetic cannot pin down is blanked, never kept."""
    from gongkai.core.report.model import ReadNote
    from gongkai.core.report.readers.verify import keep_what_adds_up

    report = AnnualReport.from_dict(MIYUN.to_dict())
    report.table3["granted"] = [17, 0, 0, 0, 0, 0, 17]  # "12" misread as "17" twice: the row adds up
    report.table3["partial"][1] = 8  # a second misread in another row and column
    keep_what_adds_up(report)
    assert report.table3["granted"][0] is None and report.table3["granted"][6] is None
    assert report.table3["partial"][1] is None
    assert any(isinstance(n, ReadNote) and "识别" in n.message for n in report.notes)
    one = AnnualReport.from_dict(MIYUN.to_dict())
    one.table3["unavailable_not_held"][0] = 6  # "9" read as "6": its row and column both say 9
    keep_what_adds_up(one)
    assert one.table3["unavailable_not_held"][0] == 9
    assert any("确定为 9" in n.message for n in one.notes)


def test_scan_without_ocr_installed_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_reader, "available", lambda: False)
    with pytest.raises(ReportReadError, match=r"\[ocr\]"):
        read_bytes((FILES / "miyun-2023-scanned-150dpi.pdf").read_bytes(), name="scan.pdf")
    with pytest.raises(ReportReadError, match="rapidocr"):
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, name="scan.png")


# ---------------------------------------------------------------------------------------------
# 2019 format: 本年增/减 in two columns; money with its unit
# ---------------------------------------------------------------------------------------------


def _table2_2019(report: AnnualReport, amount: str) -> str:
    """Table 二 of the 2019 format with 本年增/减 as two sub-columns 增 and 减."""
    rows = ['<table border="1">']
    rows.append("<tr><td colspan='5'>第二十条第（一）项</td></tr>")
    rows.append(
        "<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td colspan='2'>对外公开总数量</td></tr>"
    )
    for key, label in (("regulations", "规章"), ("normative_documents", "规范性文件")):
        v = report.table2[key]
        rows.append(
            f"<tr><td>{label}</td><td>{v['made']}</td><td>{v['published']}</td><td colspan='2'>{v['total_public']}</td></tr>"
        )
    blocks = [
        ("第二十条第（五）项", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")]),
        ("第二十条第（六）项", [("punishment", "行政处罚"), ("coercion", "行政强制")]),
    ]
    for block, keys in blocks:
        rows.append(f"<tr><td colspan='5'>{block}</td></tr>")
        rows.append(
            "<tr><td rowspan='2'>信息内容</td><td rowspan='2'>上一年项目数量</td>"
            "<td colspan='2'>本年增/减</td><td rowspan='2'>处理决定数量</td></tr><tr><td>增</td><td>减</td></tr>"
        )
        for key, label in keys:
            v = report.table2[key]
            change = v["items_change"]
            up, down = (str(change), "") if change >= 0 else ("", str(-change))
            rows.append(
                f"<tr><td>{label}</td><td>{v['items_last_year']}</td><td>{up}</td><td>{down}</td><td>{v['decisions']}</td></tr>"
            )
    v = report.table2["fees"]
    rows.append("<tr><td colspan='5'>第二十条第（八）项</td></tr>")
    rows.append("<tr><td>信息内容</td><td>上一年项目数量</td><td colspan='3'>本年增/减</td></tr>")
    rows.append(
        f"<tr><td>行政事业性收费</td><td>{v['items_last_year']}</td><td colspan='3'>{v['items_change']}</td></tr>"
    )
    v = report.table2["procurement"]
    rows.append("<tr><td colspan='5'>第二十条第（九）项</td></tr>")
    rows.append("<tr><td>信息内容</td><td colspan='2'>采购项目数量</td><td colspan='2'>采购总金额</td></tr>")
    rows.append(f"<tr><td>政府集中采购</td><td colspan='2'>{v['projects']}</td><td colspan='2'>{amount}</td></tr>")
    rows.append("</table>")
    return "".join(rows)


@pytest.mark.parametrize(("amount", "factor", "unit_note"), [("", 1, None), ("万元", 1, "万元"), ("元", 10000, "元")])
def test_2019_increase_and_decrease_columns_and_money_units(amount: str, factor: int, unit_note: str | None) -> None:
    from gongkai.core.report.writers import render_html

    report = next(r for r in CONSISTENT if r.name == "r08-2019-basic").report
    page = render_html(report)
    start = page.index("<table")
    end = page.index("</table>", start) + len("</table>")
    printed = report.table2["procurement"]["amount"] * factor
    got = read_bytes(
        (page[:start] + _table2_2019(report, f"{printed}{amount}") + page[end:]).encode(), name="2019.html"
    )
    assert got.table2 == report.table2
    assert got.same_numbers(report)
    assert any("增减之差" in n.message for n in got.notes)
    unit = [n for n in got.notes if n.row == "procurement" and n.column == "amount"]
    assert bool(unit) == (unit_note is not None)
    if unit_note:
        assert f"“{unit_note}”" in unit[0].message or f"单位{unit_note}" in unit[0].message


def test_gongkai_parse_reads_our_own_xlsx(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Issue 17 item 5: the report's tables as our own writer writes them come back through the CLI."""
    from gongkai.cli import main

    path = tmp_path / "report.xlsx"
    path.write_bytes(render_xlsx(MIYUN))
    assert main(["parse", "--json", str(path)]) == 0
    got = AnnualReport.from_json(capsys.readouterr().out)
    assert (got.agency, got.year) == (MIYUN.agency, MIYUN.year)
    assert got.table3 == MIYUN.table3 and got.table4 == MIYUN.table4
    assert wrong_table2(MIYUN, got) == []
