"""Our own documents read back: every narrative section as written (issue 17 item 5).

The opening sentence (前言) comes back under ``preamble``; the 落款 (agency, date) under section
六 is left out; a PDF's wrapped lines and page numbers do not change a section's text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import read_report
from gongkai.core.report.writers import render_docx, render_html, render_pdf, render_text

SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "miyun-guoyuan-2023.txt"
PREAMBLE = "依据《中华人民共和国政府信息公开条例》(以下简称《政府信息公开条例》)第五十条规定，编制本报告。"

WRITERS: dict[str, Callable[[AnnualReport], bytes]] = {
    "docx": render_docx,
    "html": lambda r: render_html(r).encode("utf-8"),
    "txt": lambda r: render_text(r).encode("utf-8"),
    "pdf": render_pdf,
}


@pytest.fixture(scope="module")
def report() -> AnnualReport:
    sample = read_report(SAMPLE)
    assert sample.sections.get("preamble") == PREAMBLE  # the sample's own opening sentence
    out = AnnualReport.zero(agency="北京市密云区果园街道办事处", year=2024)
    out.sections = {k: sample.sections[k] for k in ("preamble", "overview", "problems", "other")}
    out.table3["new"] = [3, 0, 0, 0, 0, 0, 3]
    out.table3["granted"] = [3, 0, 0, 0, 0, 0, 3]
    out.table3["total"] = [3, 0, 0, 0, 0, 0, 3]
    return out


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_sections_and_tables_come_back(fmt: str, report: AnnualReport, tmp_path: Path) -> None:
    path = tmp_path / f"r.{fmt}"
    path.write_bytes(WRITERS[fmt](report))
    back = read_report(path)
    assert back.table3 == report.table3 and back.table4 == report.table4
    assert set(back.sections) == set(report.sections)
    assert back.sections["preamble"] == PREAMBLE
    assert "果园街道办事处" not in back.sections["other"].splitlines()[-1]  # no 落款 in section 六
    for key, text in report.sections.items():
        if fmt == "pdf":
            # A PDF keeps no paragraph marks: a paragraph may split where a sentence ends at a line end.
            assert back.sections[key].replace("\n", "") == text.replace("\n", ""), key
        else:
            assert back.sections[key] == text, key


def test_a_pdf_keeps_short_subheadings_apart(report: AnnualReport, tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(report))
    lines = read_report(path).sections["overview"].splitlines()
    assert "（七）监督保障情况" in lines and "（一）政府信息公开工作组织机构建设情况" in lines
    assert not any(line.strip().startswith("—") for line in lines)  # page numbers dropped
