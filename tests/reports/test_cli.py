"""``gongkai report``: the computed report as JSON or a document, from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from gongkai.cli import main
from gongkai.reports import services

pytestmark = pytest.mark.django_db


def test_json_to_stdout_by_name_or_code(tree: Any, history_a: Any, capsysbinary: Any) -> None:
    assert main(["report", "--agency", "测试区甲街道办事处", "--year", "2023"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert data["schema"] == "gongkai.annual-report/1"
    assert (data["agency"], data["year"], data["table3"]["new"][6]) == ("测试区甲街道办事处", 2023, 5)
    assert main(["report", "--agency", "D1-A", "--year", "2023"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["table3"]["carried_forward"][6] == 1


def test_includes_the_narrative_of_the_newest_version(tree: Any, draft: Any, capsysbinary: Any) -> None:
    assert main(["report", "--agency", "D1-A", "--year", "2023"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["sections"]["overview"].startswith("2023年度")


def test_unknown_agency_exits_2_with_a_message(tree: Any, capsys: Any) -> None:
    assert main(["report", "--agency", "不存在的机关", "--year", "2023"]) == 2
    assert "没有名称或代码为“不存在的机关”的机构" in capsys.readouterr().err


def test_binary_format_refuses_a_terminal(tree: Any, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", "--agency", "D1-A", "--year", "2023", "--format", "pdf"]) == 2
    assert "-o" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fmt", "magic"), [("docx", b"PK"), ("pdf", b"%PDF-"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE")]
)
def test_documents_to_a_file(tree: Any, history_a: Any, tmp_path: Path, fmt: str, magic: bytes) -> None:
    target = tmp_path / f"report.{fmt}"
    assert main(["report", "--agency", "D1-A", "--year", "2023", "-o", str(target)]) == 0
    assert target.read_bytes().startswith(magic)


def test_signed_version(tree: Any, draft: Any, capsysbinary: Any) -> None:
    assert main(["report", "--agency", "D1-A", "--year", "2023", "--signed"]) == 2
    services.sign_off(actor=tree.leader_a, record=draft)
    capsysbinary.readouterr()
    assert main(["report", "--agency", "D1-A", "--year", "2023", "--signed"]) == 0
    assert json.loads(capsysbinary.readouterr().out)["table3"]["new"][6] == 5
