"""``gongkai archive``: a year or a case to a zip; clear errors with their exit codes; audited;
and the demo's 2023 (``load_demo``) archived with every letter opening."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from django.core.management import call_command

from gongkai.archives.services import ArchiveAudit
from gongkai.audit.models import AuditEvent
from gongkai.cli import main
from gongkai.letters.models import Letter, LetterSettings
from tests.archives.conftest import Story, closed_case
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(tree: Tree, letter_settings: LetterSettings) -> Story:
    return closed_case(tree)


def _check_zip(path: Path) -> dict:  # type: ignore[type-arg]
    """Every manifest hash matches; every letter opens as PDF (with its number) and .docx."""
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        files = {f["path"]: f for f in manifest["files"]}
        assert set(zf.namelist()) - {"manifest.json"} == set(files)
        for name, entry in files.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == entry["sha256"], name
        for case in manifest["cases"]:
            for letter in case["letters"]:
                with pdfplumber.open(io.BytesIO(zf.read(letter["pdf"]))) as pdf:
                    text = "".join(page.extract_text() or "" for page in pdf.pages)
                assert letter["number"] in "".join(text.split()), letter["pdf"]
                document = docx.Document(io.BytesIO(zf.read(letter["docx"])))
                assert any(letter["number"] in p.text for p in document.paragraphs), letter["docx"]
    return manifest  # type: ignore[no-any-return]


def test_a_year_to_a_zip(tree: Tree, story: Story, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "案卷 2025.zip"
    assert main(["archive", "--agency", "D1-A", "--year", "2025", "-o", str(target)]) == 0
    manifest = _check_zip(target)
    assert manifest["case_count"] == 1 and manifest["letter_count"] == 4
    assert "案件 1 件，文书 4 份" in capsys.readouterr().err
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    event = AuditEvent.objects.get(action=ArchiveAudit.EXPORTED)
    assert event.actor is None and "命令行" in event.note and event.changes["year"] == 2025


def test_one_case_by_number(tree: Tree, story: Story, tmp_path: Path) -> None:
    target = tmp_path / "one.zip"
    assert main(["archive", "--agency", tree.street_a.name, "--case", story.case.number, "-o", str(target)]) == 0
    assert _check_zip(target)["case"] == story.case.number


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--agency", "NO-SUCH", "--year", "2025"], 3, "没有代码或名称为“NO-SUCH”的机构"),
        (["--agency", "D1-A", "--case", "不存在的编号"], 3, "没有编号为“不存在的编号”的案件"),
        (["--agency", "D1-A", "--year", "2019"], 4, "2019年度没有依申请公开案件"),
        (["--agency", "D1-B", "--year", "2025"], 4, "没有依申请公开案件"),
    ],
)
def test_clear_errors(
    tree: Tree,
    story: Story,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    code: int,
    message: str,
) -> None:
    target = tmp_path / "a.zip"
    assert main(["archive", *argv, "-o", str(target)]) == code
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_an_unwritable_output(tree: Tree, story: Story, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", "--agency", "D1-A", "--year", "2025", "-o", str(tmp_path / "no" / "dir" / "a.zip")]) == 5
    assert "无法写入" in capsys.readouterr().err
    assert main(["archive", "--agency", "D1-A", "--year", "2025", "-o", str(tmp_path)]) == 5
    assert "这是一个目录" in capsys.readouterr().err
    assert not AuditEvent.objects.filter(action=ArchiveAudit.EXPORTED).exists()


def test_usage_errors_exit_2(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["archive", "--agency", "D1-A", "--year", "2025", "--case", "x", "-o", "a.zip"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["archive", "--agency", "D1-A", "-o", "a.zip"])
    assert exited.value.code == 2


def test_the_demo_2023_archive_opens_every_letter(tmp_path: Path, settings: object) -> None:
    """``load_demo`` then ``gongkai archive --agency BJ-MY-GY --year 2023 -o a.zip`` (issue 13 Done means)."""
    call_command("load_demo", stdout=io.StringIO())
    target = tmp_path / "a.zip"
    assert main(["archive", "--agency", "BJ-MY-GY", "--year", "2023", "-o", str(target)]) == 0
    manifest = _check_zip(target)
    letters = Letter.objects.filter(case__agency__code="BJ-MY-GY", case__year=2023)
    assert manifest["case_count"] == 29
    assert manifest["letter_count"] == letters.count() >= 2 * 29  # a receipt and an answer per case at least
    assert all(case["letters"] for case in manifest["cases"])
    with zipfile.ZipFile(target) as zf, pdfplumber.open(io.BytesIO(zf.read("案卷目录.pdf"))) as pdf:
        index = "".join("".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert all(letter.number in index for letter in letters)
