"""``gongkai check`` runs the narrative-versus-table checks too (issue 15 item 9, issue 17).

A number the text states that its table cell contradicts is an error: exit status 1, with the
sentence and the cell named. The same rules ``audit-dir`` and the sign-off use
(``core.report.crosscheck.check_narrative``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.cli import main
from gongkai.core.report.crosscheck import check_narrative, narrative_contradictions
from gongkai.core.report.crosscheck.narrative import FeeTotals, check_fee_records
from gongkai.core.report.findings import Rule, Severity
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.writers import render_text

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"


def _report(*, new: int, carried_over: int, text: str) -> AnnualReport:
    report = AnnualReport.zero(agency="某县某镇人民政府", year=2023)
    closed = new + carried_over
    for key, value in (("new", new), ("carried_over", carried_over), ("granted", closed), ("total", closed)):
        report.table3[key] = [value, 0, 0, 0, 0, 0, value]
    report.sections = {"overview": text}
    return report


def test_text_258_against_table_272_plus_3_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.txt"
    path.write_text(
        render_text(_report(new=272, carried_over=3, text="本年度共收到政府信息公开申请258件，上年结转3件。")),
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "[X-NARRATIVE]" in out and "258 件" in out and "填报为 272" in out
    assert "本年度共收到政府信息公开申请258件" in out  # the sentence is quoted


def test_a_consistent_text_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.txt"
    path.write_text(render_text(_report(new=272, carried_over=3, text="本年度新收申请272件。")), encoding="utf-8")
    assert main(["check", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["consistent"] is True and data["findings"] == []


def test_the_real_hongze_2024_report_says_17_where_table_3_says_95(capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES / "real" / "huaian-hongze-2024.pdf"
    assert path.is_file(), path
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    [line] = [x for x in out.splitlines() if "[X-NARRATIVE]" in x]
    assert "17 件" in line and "95" in line and line.strip().startswith("错误")


def test_severities_of_the_narrative_rules() -> None:
    assert Rule.NARRATIVE.severity is Severity.ERROR  # the text and the table say two things
    assert Rule.NARRATIVE_FEE.severity is Severity.WARNING  # a notice may date from the year before
    [finding] = check_narrative(_report(new=5, carried_over=0, text="本年新收申请6件。"))
    assert finding.is_error and finding.quote == "本年新收申请6件"


FEES = "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出收费通知2件，总金额38280元，实际收取的总金额0元。"


@pytest.mark.parametrize(
    ("notices", "amount", "collected", "rows"),
    [
        (2, "38280", "0", []),
        (0, "0", "0", ["fee_notices", "fee_amount"]),
        (2, "38280.5", "100", ["fee_amount", "fee_collected"]),
    ],
)
def test_fee_sentence_against_the_records(notices: int, amount: str, collected: str, rows: list[str]) -> None:
    report = _report(new=1, carried_over=0, text="")
    report.sections = {"other": FEES}
    findings = check_fee_records(report, FeeTotals(notices, Decimal(amount), Decimal(collected)))
    assert [f.row for f in findings] == rows
    assert all(f.is_error and f.quote and "正文与记录不符" in f.message for f in findings)
    assert narrative_contradictions(report) == []  # without the records nothing is compared
