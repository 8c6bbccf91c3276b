"""The archive zip: manifest hashes against the files, the index against the letters, every
document opening, personal data masked, names safe, letters keeping their dates, same bytes twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from typing import Any

import docx
import pdfplumber
import pytest

from gongkai.archives.export import INDEX_NAME, write_archive, year_cases
from gongkai.archives.names import safe_component
from gongkai.cases.models import CaseEvent
from gongkai.letters.models import LetterSettings
from tests.archives.conftest import ID_NUMBER, Story, closed_case, read_zip
from tests.conftest import Tree
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 1
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))


def _export(tree: Tree, year: int = 2025) -> bytes:
    out = io.BytesIO()
    write_archive(out, agency=tree.street_a, cases=year_cases(tree.street_a, year), generated_at=AT, year=year)
    return out.getvalue()


@pytest.fixture
def story(tree: Tree, letter_settings: LetterSettings) -> Story:
    return closed_case(tree)


@pytest.fixture
def archive(tree: Tree, story: Story) -> bytes:
    CaseFactory(actor=tree.officer_a, today=dt.date(2025, 6, 2), applicant_name="李四")  # open, no letters
    return _export(tree)


def test_manifest_hashes_and_sizes_match_every_file(archive: bytes) -> None:
    with read_zip(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        listed = {f["path"]: f for f in manifest["files"]}
        names = set(zf.namelist()) - {"manifest.json"}
        assert names == set(listed)
        for name in names:
            data = zf.read(name)
            assert hashlib.sha256(data).hexdigest() == listed[name]["sha256"], name
            assert len(data) == listed[name]["size"], name
    assert manifest["format"] == "gongkai.case-archive/1"
    assert manifest["system"].startswith("gongkai ")
    assert manifest["agency"]["code"] == "D1-A"
    assert manifest["year"] == 2025
    assert manifest["case_count"] == 2
    assert manifest["letter_count"] == 4
    assert manifest["generated_at"].startswith("2026-03-10T17:30")  # Asia/Shanghai
    assert manifest["missing"] == []


def test_the_index_lists_every_case_and_letter_with_masked_applicants(archive: bytes, story: Story) -> None:
    with read_zip(archive) as zf:
        text = _pdf_text(zf.read(INDEX_NAME))
        manifest = json.loads(zf.read("manifest.json"))
    for letter in story.letters:
        assert letter.number in text, letter.number
    assert "〔2025〕第0001号" in text and "〔2025〕第0002号" in text  # a long case number may wrap in its cell
    assert "李四" in text  # the open case is listed too
    assert "110***********1234" in text
    assert ID_NUMBER not in text
    assert "13800000000" not in text
    row = next(c for c in manifest["cases"] if c["number"] == story.case.number)
    assert [entry["number"] for entry in row["letters"]] == [letter.number for letter in story.letters]
    assert row["pages"] == sum(entry["pages"] for entry in row["letters"]) > 0


def test_every_letter_opens_as_pdf_and_docx_and_keeps_its_date(archive: bytes, story: Story) -> None:
    with read_zip(archive) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        row = next(c for c in manifest["cases"] if c["number"] == story.case.number)
        for entry, letter in zip(row["letters"], story.letters, strict=True):
            pdf_text = _pdf_text(zf.read(entry["pdf"]))
            document = docx.Document(io.BytesIO(zf.read(entry["docx"])))
            docx_text = "".join(p.text for p in document.paragraphs)
            assert letter.number in pdf_text and letter.number in docx_text
            issued = f"{letter.issued_on.year}年{letter.issued_on.month}月{letter.issued_on.day}日"
            assert issued in pdf_text and issued in docx_text
            assert "2026年3月10日" not in docx_text  # the day of the export is no letter's date
            assert entry["regenerated"] is False
            assert zf.read(entry["docx"]) == letter.file.open("rb").read()  # the .docx exactly as issued


def test_every_pdf_and_docx_in_the_zip_opens(archive: bytes) -> None:
    with read_zip(archive) as zf:
        pdfs = [n for n in zf.namelist() if n.endswith(".pdf") and "/附件/" not in n]
        docs = [n for n in zf.namelist() if n.endswith(".docx")]
        assert len(pdfs) == 5 and len(docs) == 4  # four letters and the index
        for name in pdfs:
            _pdf_text(zf.read(name))
        for name in docs:
            assert docx.Document(io.BytesIO(zf.read(name))).paragraphs


def test_records_timeline_and_attachments(archive: bytes, story: Story) -> None:
    folder = safe_component(story.case.number)
    with read_zip(archive) as zf:
        names = zf.namelist()
        facts = json.loads(zf.read(f"{folder}/案件信息.json"))
        timeline = json.loads(zf.read(f"{folder}/办理过程.json"))
        page = zf.read(f"{folder}/办理过程.html").decode()
        fees = json.loads(zf.read(f"{folder}/收费记录.json"))
        deliveries = json.loads(zf.read(f"{folder}/送达记录.json"))
        attachments = [n for n in names if "/附件/" in n]
        contents = {n: zf.read(n) for n in attachments}
    assert facts["身份证明号码"] == "110***********1234"
    assert facts["联系电话"] == "138****0000"
    assert len(timeline) == CaseEvent.objects.filter(case=story.case).count()
    assert story.case.number in page and "<script" not in page
    assert len(fees) == 1 and fees[0]["缴费日期"] == "2025-03-12"
    assert len(deliveries) == 4 and all(d["送达方式"] == "邮寄送达" for d in deliveries)
    assert len(attachments) == 2
    upload = next(n for n in attachments if "/附件/申请人提交/" in n)
    proof = next(n for n in attachments if "/附件/送达凭证/" in n)
    assert contents[upload].startswith(b"%PDF") and contents[proof].startswith(b"\x89PNG")
    assert upload.endswith("-_.._补正材料：身份证（正反面）.pdf")  # readable Chinese kept, "\\" replaced
    assert next(d for d in deliveries if d["送达凭证"])["送达凭证"] == proof


def test_no_name_escapes_the_archive(archive: bytes) -> None:
    with read_zip(archive) as zf:
        for name in zf.namelist():
            parts = name.split("/")
            assert not name.startswith("/") and "\\" not in name and ":" not in name, name
            assert all(part not in ("", ".", "..") and not part.startswith(".") for part in parts), name


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("..\\..\\a.pdf", "_.._a.pdf"),
        ("身份证（正面）.jpg", "身份证（正面）.jpg"),
        ("  .hidden ", "hidden"),
        ("CON.txt", "_CON.txt"),
        ("a\x00b\nc.pdf", "a_b_c.pdf"),
        ("", "文件"),
        ("///", "文件"),
    ],
)
def test_safe_component(raw: str, safe: str) -> None:
    assert safe_component(raw) == safe


def test_long_names_are_cut_on_a_character_keeping_the_extension() -> None:
    name = safe_component("很长的文件名" * 40 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode()) <= 150
    name.encode("utf-8").decode("utf-8")


def test_the_same_export_twice_gives_the_same_bytes(tree: Tree, story: Story) -> None:
    assert _export(tree) == _export(tree)


def test_a_case_of_another_agency_is_refused(tree: Tree, story: Story) -> None:
    with pytest.raises(ValueError, match="不属于"):
        write_archive(io.BytesIO(), agency=tree.street_b, cases=[story.case], generated_at=AT, year=2025)


def test_a_missing_stored_file_is_reported_not_fatal(tree: Tree, story: Story) -> None:
    story.letters[0].file.storage.delete(story.letters[0].file.name)
    out: Any = io.BytesIO()
    result = write_archive(out, agency=tree.street_a, cases=[story.case], generated_at=AT, case_number="x")
    with read_zip(out.getvalue()) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        entry = manifest["cases"][0]["letters"][0]
        assert entry["regenerated"] is True  # composed again from the stored text, same number and date
        text = "".join(p.text for p in docx.Document(io.BytesIO(zf.read(entry["docx"]))).paragraphs)
    assert story.letters[0].number in text
    assert result.letter_count == 4
