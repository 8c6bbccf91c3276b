"""``gongkai parse`` and ``gongkai check`` through ``gongkai.cli.main``, with the real readers.

Reports are written as ``gongkai.annual-report/1`` JSON (built in code from ``AnnualReport.zero()``)
or taken from the real text sample; the readers' ``read_report`` reads both.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.cli import main
from gongkai.core.report.csvform import BOM, HEADER, to_csv
from gongkai.core.report.findings import Rule
from gongkai.core.report.model import AnnualReport, ReadNote
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    FORMAT_LABELS,
    ROWS_ABSENT_IN_2019,
    TABLE3_KEYS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TOTAL_COLUMN,
    ReportFormat,
    table2_rows,
    table3_row_label,
)
from tests.core.report.test_checks import CARRIED_OVER, consistent

SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "miyun-guoyuan-2023.txt"


def write(tmp_path: Path, name: str, report: AnnualReport) -> Path:
    path = tmp_path / name
    path.write_text(report.to_json(), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A consistent report, one with warnings only, one with an error, and two unreadable files."""
    warned = consistent()
    warned.notes = [ReadNote("数字模糊", "三", "granted", "0")]
    broken = consistent()
    broken.table3["granted"][0] = (broken.table3["granted"][0] or 0) + 1  # 总计 column not updated
    not_a_report = tmp_path / "not-a-report.txt"
    not_a_report.write_text("关于开展春季植树活动的通知\n各单位：请于三月十二日前报名。\n", encoding="utf-8")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"schema": "gongkai.annual-report/1", "year": "二〇二三"}', encoding="utf-8")
    return {
        "ok": write(tmp_path, "ok.json", consistent()),
        "warned": write(tmp_path, "warned.json", warned),
        "broken": write(tmp_path, "broken.json", broken),
        "ok2019": write(tmp_path, "ok2019.json", consistent(ReportFormat.F2019, year=2020)),
        "not_a_report": not_a_report,
        "bad_json": bad_json,
        "missing": tmp_path / "no-such-file.pdf",
    }


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


# ---------------------------------------------------------------------------------------------
# gongkai parse
# ---------------------------------------------------------------------------------------------


def test_parse_one_file_as_json_is_one_object(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, err = run(capsys, "parse", "--json", files["ok"])
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, dict)
    assert AnnualReport.from_dict(data).same_numbers(consistent())


def test_parse_several_files_with_an_unreadable_one(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, err = run(capsys, "parse", "--json", files["ok"], files["not_a_report"], files["ok2019"])
    assert status == 2
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 2  # the readable files, in the order given
    assert AnnualReport.from_dict(data[0]).same_numbers(consistent())
    assert AnnualReport.from_dict(data[1]).same_numbers(consistent(ReportFormat.F2019, year=2020))
    assert str(files["not_a_report"]) in err or files["not_a_report"].name in err
    assert str(files["ok"]) not in err


@pytest.mark.parametrize("which", ["not_a_report", "bad_json", "missing"])
def test_parse_names_the_unreadable_file(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], which: str
) -> None:
    status, out, err = run(capsys, "parse", files[which])
    assert status == 2
    assert out == ""
    assert files[which].name in err
    assert err.startswith("gongkai parse: ")
    assert "Traceback" not in err


def test_parse_summary_in_chinese(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, err = run(capsys, "parse", files["ok"], files["missing"])
    assert status == 2
    report = consistent()
    assert str(files["ok"]) in out
    assert report.agency is not None and report.agency in out
    assert FORMAT_LABELS[ReportFormat.F2021] in out
    for key in ("new", "carried_over", "total", "carried_forward"):
        value = report.table3[key][TOTAL_COLUMN]
        assert f"{table3_row_label(key)} {value}" in out
    assert "2015" in out  # 行政处罚 decisions
    assert files["missing"].name in err


def test_parse_summary_shows_blank_as_blank(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = consistent()
    report.table3["carried_forward"][TOTAL_COLUMN] = None
    status, out, _ = run(capsys, "parse", write(tmp_path, "r.json", report))
    assert status == 0
    assert f"{table3_row_label('carried_forward')} 空白" in out


def test_parse_csv_one_row_per_cell(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, err = run(capsys, "parse", "--csv", files["ok"], files["ok2019"], files["not_a_report"])
    assert status == 2
    assert out.startswith(BOM)
    rows = list(csv.reader(io.StringIO(out[len(BOM) :])))
    assert tuple(rows[0]) == HEADER
    body = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]

    cells_2021 = sum(len(r.fields) for r in table2_rows(ReportFormat.F2021)) + 25 * COLUMN_COUNT + 3 * 5
    printed_2019 = len(TABLE3_KEYS) - len(ROWS_ABSENT_IN_2019)
    cells_2019 = sum(len(r.fields) for r in table2_rows(ReportFormat.F2019)) + printed_2019 * COLUMN_COUNT + 3 * 5
    assert [r["file"] for r in body].count(str(files["ok"])) == cells_2021
    assert [r["file"] for r in body].count(str(files["ok2019"])) == cells_2019
    assert files["not_a_report"].name in err

    report = consistent()
    new_total = next(
        r
        for r in body
        if r["file"] == str(files["ok"]) and (r["table"], r["row_key"], r["column_key"]) == ("三", "new", "6")
    )
    assert new_total["value"] == str(report.table3["new"][TOTAL_COLUMN])
    assert (new_total["row_label"], new_total["column_label"]) == (table3_row_label("new"), "总计")
    fee = next(r for r in body if r["file"] == str(files["ok"]) and r["row_key"] == "fees")
    assert fee["value"] == "12.50"
    assert {r["year"] for r in body} == {"2023", "2020"}


def test_parse_json_and_csv_together_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["parse", "--json", "--csv", str(files["ok"])])
    assert exit_info.value.code == 2
    assert "--csv" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# CSV form
# ---------------------------------------------------------------------------------------------


def test_csv_keeps_blank_apart_from_zero_and_escapes_formulas() -> None:
    report = AnnualReport.zero(agency="=HYPERLINK(1)", year=None)
    report.table3["granted"][2] = None
    text = to_csv([("-x.json", report)], bom=False)
    rows = [dict(zip(HEADER, row, strict=True)) for row in list(csv.reader(io.StringIO(text)))[1:]]
    granted = {r["column_key"]: r["value"] for r in rows if r["row_key"] == "granted"}
    assert granted["2"] == "" and granted["1"] == "0"
    assert {r["agency"] for r in rows} == {"'=HYPERLINK(1)"}
    assert {r["file"] for r in rows} == {"'-x.json"}
    assert {r["year"] for r in rows} == {""}
    table4 = [(r["row_key"], r["column_key"]) for r in rows if r["table"] == "四"]
    assert table4 == [(g.value, f) for g in TABLE4_GROUPS for f in TABLE4_FIELDS]


def test_csv_of_2019_keeps_signed_change_and_names_the_single_other_row() -> None:
    report = consistent(ReportFormat.F2019, year=2020)
    rows = list(csv.reader(io.StringIO(to_csv([("r", report)], bom=False))))[1:]
    by_key = {(r[4], r[5], r[7]): r for r in rows}
    assert by_key[("二", "licensing", "items_change")][9] == "-2"
    assert by_key[("三", "other_other", "0")][6] == "（六）其他处理"
    assert not any(r[5] in ROWS_ABSENT_IN_2019 for r in rows)


# ---------------------------------------------------------------------------------------------
# gongkai check
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "status"),
    [
        (["ok"], 0),
        (["ok", "ok2019"], 0),
        (["ok", "warned"], 0),
        (["ok", "broken"], 1),
        (["ok", "broken", "not_a_report"], 2),
        (["missing", "ok"], 2),
        (["bad_json"], 2),
    ],
)
def test_check_exit_status(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], names: list[str], status: int
) -> None:
    got, out, err = run(capsys, "check", *(files[n] for n in names))
    assert got == status
    for name in names:
        if name in {"not_a_report", "missing", "bad_json"}:
            assert files[name].name in err
        else:
            assert str(files[name]) in out  # every readable file is still checked and printed


def test_check_prints_findings_per_file(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, _ = run(capsys, "check", files["ok"], files["broken"], files["warned"])
    assert status == 1
    blocks = out.strip().split("\n\n")
    assert [b.splitlines()[0].split("（")[0] for b in blocks] == [str(files[n]) for n in ("ok", "broken", "warned")]
    ok, broken, warned = blocks
    assert len(ok.splitlines()) == 1 and "勾稽关系一致" in ok
    broken_lines = broken.splitlines()[1:]
    assert {line.split("[")[1].split("]")[0] for line in broken_lines} == {"T3-ROW", "T3-TOTAL"}
    assert all(line.startswith("  错误 ") for line in broken_lines)
    report = consistent()
    granted = report.table3["granted"]
    row_line = next(line for line in broken_lines if "[T3-ROW]" in line)
    assert f"“{table3_row_label('granted')}” 行 “总计” 列" in row_line
    assert f"之和为 {sum(v or 0 for v in granted[:TOTAL_COLUMN]) + 1}，总计填报为 {granted[TOTAL_COLUMN]}" in row_line
    assert "警告 [STRUCT-UNREAD-CELL]" in warned and "数字模糊" in warned


def test_check_json(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, err = run(capsys, "check", "--json", files["broken"], files["ok"], files["not_a_report"])
    assert status == 2
    broken, ok, unreadable = json.loads(out)
    assert broken["file"] == str(files["broken"])
    assert broken["consistent"] is False and broken["errors"] == len(broken["findings"]) == 2
    assert {f["rule"] for f in broken["findings"]} == {Rule.T3_ROW.value, Rule.T3_TOTAL.value}
    total = next(f for f in broken["findings"] if f["rule"] == Rule.T3_TOTAL.value)
    assert (total["table"], total["row"], total["column"]) == ("三", "total", "0")
    assert total["expected"] == total["actual"] + 1
    assert ok["consistent"] is True and ok["findings"] == []
    assert unreadable["file"] == str(files["not_a_report"]) and unreadable["error"]
    assert files["not_a_report"].name in err


def test_check_json_of_one_file_is_one_object(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    status, out, _ = run(capsys, "check", "--json", files["warned"])
    assert status == 0
    data: dict[str, Any] = json.loads(out)
    assert data["consistent"] is True and data["warnings"] == 1 and data["errors"] == 0


def _previous(tmp_path: Path, carried_forward_0: int) -> Path:
    previous = consistent(year=2022)
    previous.table3["carried_forward"] = [
        carried_forward_0,
        *CARRIED_OVER[1:],
        carried_forward_0 + sum(CARRIED_OVER[1:]),
    ]
    current = consistent()
    for key in ("regulations", "normative_documents"):
        now = current.table2[key]
        assert isinstance(now["in_force"], int) and isinstance(now["issued"], int) and isinstance(now["abolished"], int)
        previous.table2[key]["in_force"] = now["in_force"] - now["issued"] + now["abolished"]
    return write(tmp_path, "previous.json", previous)


def test_check_with_previous_year(capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path) -> None:
    agreeing = _previous(tmp_path, CARRIED_OVER[0])
    assert run(capsys, "check", files["ok"], "--previous", agreeing)[0] == 0

    differing = _previous(tmp_path, CARRIED_OVER[0] + 4)
    status, out, _ = run(capsys, "check", files["ok"], "--previous", differing)
    assert status == 1
    assert "[T3-CARRY]" in out
    assert f"为 {CARRIED_OVER[0] + 4}，本年填报为 {CARRIED_OVER[0]}" in out


def test_check_with_unreadable_previous_still_checks(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    status, out, err = run(capsys, "check", files["ok"], "--previous", files["not_a_report"])
    assert status == 2
    assert files["not_a_report"].name in err
    assert "勾稽关系一致" in out


# ---------------------------------------------------------------------------------------------
# The real sample (北京市密云区果园街道办事处 2023), read by the real readers
# ---------------------------------------------------------------------------------------------


def test_sample_is_read_and_consistent(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "parse", "--json", SAMPLE)
    assert (status, err) == (0, "")
    data = json.loads(out)
    # numbers as printed in the document's table 三 and table 二
    assert data["agency"] == "北京市密云区果园街道办事处" and data["year"] == 2023
    assert data["table3"]["new"] == [29, 0, 0, 0, 0, 0, 29]
    assert data["table3"]["total"] == [29, 0, 0, 0, 0, 0, 29]
    assert data["table2"]["punishment"]["decisions"] == 2015

    status, out, _ = run(capsys, "check", SAMPLE)
    assert status == 0, out
    assert "勾稽关系一致" in out


def test_sample_with_a_changed_total_fails_the_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "parse", "--json", SAMPLE)
    assert status == 0
    data = json.loads(out)
    data["table3"]["total"] = [28, 0, 0, 0, 0, 0, 28]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    status, out, _ = run(capsys, "check", SAMPLE, changed)
    assert status == 1
    assert "表三 “（七）总计” 行 “自然人” 列：各办理结果之和为 29，总计填报为 28" in out


REAL = SAMPLE.parent / "real"


def test_real_report_with_a_published_error_fails_the_check(capsys: pytest.CaptureFixture[str]) -> None:
    """洪泽区 2023 as published: 行政复议 维持10 纠正1 but 总计0; 复议后起诉 维持5 but 总计0 (samples/README)."""
    status, out, _ = run(capsys, "check", "--json", REAL / "huaian-hongze-2023.pdf", REAL / "huaian-city-2024.pdf")
    assert status == 1
    hongze, city = json.loads(out)
    errors = [f for f in hongze["findings"] if f["severity"] == "error"]
    assert {(f["rule"], f["table"], f["row"], f["expected"], f["actual"]) for f in errors} == {
        (Rule.T4_TOTAL.value, "四", "reconsideration", 11, 0),
        (Rule.T4_TOTAL.value, "四", "litigation_after_reconsideration", 5, 0),
    }
    assert city["consistent"] is True  # "All checks pass" (its known.json notes)
