"""``gongkai audit-dir``: the real published PDFs and the 密云 sample, no database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gongkai.cli import main
from tests.supervision.conftest import as_text, consistent

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
REAL = SAMPLES / "real"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not REAL.is_dir():
        pytest.fail(f"samples missing: {REAL}")
    out = tmp_path_factory.mktemp("audit-dir")
    for pdf in REAL.glob("*.pdf"):
        shutil.copy(pdf, out / pdf.name)
    shutil.copy(SAMPLES / "miyun-guoyuan-2023.txt", out / "miyun-guoyuan-2023.txt")
    return out


def test_the_real_samples(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit-dir", str(folder)]) == 1  # 洪泽区 2023's table 四 totals
    out = capsys.readouterr().out
    # 洪泽区 2024 says "新收…17 件" while its table 三 says 95: a narrative contradiction is an error
    assert out.rstrip().endswith("4 份报告：一致 2，有错误 2，有警告 0，无法读取 0")
    hongze_2023 = out.split("huaian-hongze-2023.pdf（")[1].split("\n\n")[0]
    assert "有错误（2 个错误" in hongze_2023 and hongze_2023.count("[T4-TOTAL] 表四") == 2
    hongze_2024 = out.split("huaian-hongze-2024.pdf（")[1].split("\n\n")[0]
    assert "与上一年度报告" in hongze_2024 and "huaian-hongze-2023.pdf 对照" in hongze_2024
    assert "[X-NARRATIVE]" in hongze_2024 and "17 件" in hongze_2024 and "95" in hongze_2024


def test_json_and_xlsx(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_xlsx = tmp_path / "findings.xlsx"
    assert main(["audit-dir", str(folder), "--json", "--xlsx", str(out_xlsx)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"consistent": 2, "errors": 2, "warnings": 0, "unreadable": 0}
    by_name = {Path(f["file"]).name: f for f in data["files"]}
    assert Path(by_name["huaian-hongze-2024.pdf"]["previous"]).name == "huaian-hongze-2023.pdf"
    book = load_workbook(out_xlsx)
    assert book["汇总"].max_row == 5


def test_an_unreadable_file_gives_exit_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_bytes(as_text(consistent("某机关", 2023)))
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert main(["audit-dir", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "文件是空的" in out and out.rstrip().endswith("2 份报告：一致 1，有错误 0，有警告 0，无法读取 1")


def test_all_consistent_gives_0_and_a_missing_folder_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_bytes(as_text(consistent("某机关", 2023)))
    assert main(["audit-dir", str(tmp_path)]) == 0
    assert main(["audit-dir", str(tmp_path / "nope")]) == 2
    assert "不是文件夹" in capsys.readouterr().err
