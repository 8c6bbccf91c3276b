"""The letters pages under /office/letters/: a case's letters, download, ledger export and import."""

from __future__ import annotations

import datetime as dt
import io
import time
from typing import Any

import pytest
from django.test import Client
from docx import Document

from gongkai.cases.models import Case
from gongkai.core.approval import DraftStatus
from gongkai.core.deadlines import Channel
from gongkai.core.ledger import LedgerRow, read_ledger, write_ledger
from gongkai.core.letters import LetterType
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType
from gongkai.letters.models import Letter, LetterDraft, LetterSettings
from tests.conftest import Tree
from tests.factories import CaseFactory, ClosedCase, InProgressCase

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.letters.urls")]

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_page_issues_and_lists_letters(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)
    client = _client(tree.officer_a)
    page = client.get(f"/office/letters/case/{case.pk}/")
    assert page.status_code == 200 and "尚未出具文书" in page.content.decode()

    preview = client.post(f"/office/letters/case/{case.pk}/", {"kind": LetterType.RECEIPT.value, "preview": "1"})
    assert preview.status_code == 200 and "（签发后编号）" in preview.content.decode()
    assert not Letter.objects.exists()

    issued = client.post(f"/office/letters/case/{case.pk}/", {"kind": LetterType.RECEIPT.value}, follow=True)
    assert "已出具 测甲街公开〔2026〕1号 登记回执" in issued.content.decode()
    letter = Letter.objects.get()
    assert letter.issued_on == case.received_on  # dated by the act (the receipt), not the day printed


def test_a_letter_whose_act_is_not_recorded_is_not_offered(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)
    client = _client(tree.officer_a)
    page = client.get(f"/office/letters/case/{case.pk}/").content.decode()
    assert 'value="receipt"' in page and 'value="correction"' not in page  # no 补正 recorded yet
    response = client.post(f"/office/letters/case/{case.pk}/", {"kind": LetterType.CORRECTION.value})
    assert response.status_code == 200 and not Letter.objects.exists()


def test_answer_letter_of_an_open_case_is_drafted_not_issued(tree: Tree, letter_settings: LetterSettings) -> None:
    case = InProgressCase(actor=tree.officer_a)
    response = _client(tree.officer_a).post(
        f"/office/letters/case/{case.pk}/", {"kind": LetterType.ANSWER_GRANTED.value, "access_method": "见附件"}
    )
    assert response.status_code == 302 and not Letter.objects.exists()
    draft = LetterDraft.objects.get(case=case)
    assert draft.status == DraftStatus.SIGN_OFF  # 予以公开: no step before 签发 by default
    case.refresh_from_db()
    assert case.closed_on is None  # the answer is made at 签发, not at 拟稿


def test_answer_letter_of_a_closed_case_only_for_its_outcome(tree: Tree, letter_settings: LetterSettings) -> None:
    case = ClosedCase(actor=tree.officer_a, outcome=Outcome.GRANTED)
    response = _client(tree.officer_a).post(
        f"/office/letters/case/{case.pk}/", {"kind": LetterType.ANSWER_WITHHELD_STATE_SECRET.value}
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Letter.objects.exists() and not LetterDraft.objects.exists()
    assert "不在可用的选项中" in body and 'value="answer_withheld_state_secret"' not in body


def test_other_agency_gets_404_and_a_reader_cannot_issue(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)
    assert _client(tree.officer_b).get(f"/office/letters/case/{case.pk}/").status_code == 404
    supervisor = _client(tree.supervisor)
    page = supervisor.get(f"/office/letters/case/{case.pk}/")
    assert page.status_code == 200 and "出具或送审签批" not in page.content.decode()
    assert supervisor.post(f"/office/letters/case/{case.pk}/", {"kind": "receipt"}).status_code == 403


def test_download_returns_the_docx(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)
    _client(tree.officer_a).post(f"/office/letters/case/{case.pk}/", {"kind": LetterType.RECEIPT.value})
    letter = Letter.objects.get()
    response = _client(tree.officer_a).get(f"/office/letters/{letter.pk}/download/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert document.paragraphs[0].text == "政府信息公开申请登记回执"
    assert _client(tree.officer_b).get(f"/office/letters/{letter.pk}/download/").status_code == 404


def test_ledger_export_page_and_file(tree: Tree) -> None:
    CaseFactory(actor=tree.officer_a)
    client = _client(tree.officer_a)
    form = client.get("/office/letters/ledger/export/")
    assert form.status_code == 200 and "导出依申请公开台账" in form.content.decode()
    response = client.get("/office/letters/ledger/export/", {"agency": tree.street_a.pk, "year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert len(read_ledger(response.content, "x.xlsx").rows) == 1
    # An agency outside the user's scope is not a choice.
    refused = client.get("/office/letters/ledger/export/", {"agency": tree.street_b.pk, "year": 2026})
    assert refused.status_code == 200 and "application/vnd" not in refused["Content-Type"]


def _upload(rows: list[LedgerRow]) -> io.BytesIO:
    upload = io.BytesIO(write_ledger(rows, unmasked=True))
    upload.name = "台账.xlsx"
    return upload


def test_ledger_import_page(tree: Tree) -> None:
    row = LedgerRow("X-1", dt.date(2026, 3, 2), Channel.IN_PERSON, ApplicantType.NATURAL_PERSON, "张三", "某文件")
    client = _client(tree.officer_a)
    assert client.get("/office/letters/ledger/import/").status_code == 200
    ok = client.post("/office/letters/ledger/import/", {"file": _upload([row])})
    assert ok.status_code == 200 and "已导入 1 件申请" in ok.content.decode()
    assert Case.objects.get().applicant_name == "张三"

    bad = client.post("/office/letters/ledger/import/", {"file": _upload([row, row])})
    body = bad.content.decode()
    assert bad.status_code == 422
    assert "第 3 行，“申请编号”列：申请编号“X-1”与第 2 行重复" in body
    assert "未导入任何记录" in body
    assert Case.objects.count() == 1


def test_ledger_import_refuses_readers(tree: Tree) -> None:
    assert _client(tree.supervisor).get("/office/letters/ledger/import/").status_code == 403


def test_pages_need_login(tree: Tree) -> None:
    response = Client().get("/office/letters/ledger/export/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_a_ledger_import_runs_in_the_background_and_its_page_shows_the_result(settings: Any, tmp_path: Any) -> None:
    """Without a broker the import runs in a thread after the upload's commit; the upload answers
    at once with the job's page, whose result link shows what was imported."""
    from gongkai.accounts.models import Role
    from gongkai.jobs.models import Job
    from tests.factories import AgencyFactory, UserFactory

    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    settings.MEDIA_ROOT = tmp_path
    agency = AgencyFactory(code="T-LEDGER")
    officer = UserFactory(username="ledger_officer", agency=agency, role=Role.OFFICER)
    rows = [
        LedgerRow(
            f"X-{i}", dt.date(2026, 3, 2), Channel.IN_PERSON, ApplicantType.NATURAL_PERSON, f"申请人{i}", "某文件"
        )
        for i in range(1, 41)
    ]
    client = _client(officer)
    answer = client.post("/office/letters/ledger/import/", {"file": _upload(rows)})
    assert answer.status_code == 302 and answer["Location"].startswith("/office/jobs/")
    job = Job.objects.get()
    for _ in range(300):
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.1)
    assert job.status == "done" and job.result["imported_count"] == 40
    page = client.get(job.result["next_url"])
    assert page.status_code == 200 and "已导入 40 件申请" in page.content.decode()
    assert Case.objects.filter(agency=agency).count() == 40
    assert not list(tmp_path.joinpath("ledger-imports").iterdir())  # the stored upload is gone
    # Another officer cannot open the result.
    other = UserFactory(username="ledger_other", agency=agency, role=Role.OFFICER)
    assert _client(other).get(job.result["next_url"]).status_code == 404
