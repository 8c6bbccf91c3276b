"""Sign-off refuses a narrative its tables contradict (issue 17 item 1), and the submit step (item 4).

The 2023 narrative of 果园街道 (../shared/samples) pasted into the 2025 report, whose tables are all
0 (no case in 2025): refused through the service, the view, the admin and the API, with the
sentence and the cell named, until the text is fixed or the officer explains why.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.readers import read_report
from gongkai.reports import services
from gongkai.reports.errors import SignOffRefused
from gongkai.reports.models import AnnualReportRecord, ReportLocked
from gongkai.reports.narrative import NARRATIVE_SECTIONS

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "miyun-guoyuan-2023.txt"
TODAY = dt.date(2026, 1, 10)
SENTENCE = "2023年新收政府信息公开申请数量29件"
CELL = "填报为 0"


@pytest.fixture(scope="module")
def narrative_2023() -> dict[str, str]:
    sections = read_report(SAMPLE).sections
    return {k: v for k, v in sections.items() if k in NARRATIVE_SECTIONS}


@pytest.fixture
def submitted(tree: Any, narrative_2023: dict[str, str]) -> AnnualReportRecord:
    record = services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=2025, today=TODAY)
    record = services.save_narrative(actor=tree.officer_a, record=record, sections=narrative_2023)
    return services.submit_for_sign_off(actor=tree.officer_a, record=record)


def _unchanged(record: AnnualReportRecord, status: ReportStatus = ReportStatus.SUBMITTED) -> None:
    record.refresh_from_db()
    assert record.status == status and record.signed_by is None and record.snapshot is None


def test_the_service_refuses_naming_the_sentence_and_the_cell(tree: Any, submitted: AnnualReportRecord) -> None:
    with pytest.raises(SignOffRefused) as refused:
        services.sign_off(actor=tree.leader_a, record=submitted)
    text = " ".join(refused.value.reasons)
    assert SENTENCE in text and CELL in text and "一、本年新收政府信息公开申请数量" in text
    assert "主动公开信息 325 条" in text and "本系统记录本年主动公开 0 条" in text  # the records' count
    assert "正文称发出收费通知 2 件，本系统记录本年发出收费通知 0 件" in text  # fee notices and amounts
    assert "正文称收费总金额 38280 元" in text
    assert {f.rule.value for f in refused.value.findings} == {"X-NARRATIVE"}
    _unchanged(submitted)


def test_the_view_refuses_with_the_sentence_on_the_page(
    tree: Any, submitted: AnnualReportRecord, client: Client
) -> None:
    client.force_login(tree.leader_a)
    url = reverse("reports:sign_off", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert SENTENCE in page and "须改正正文或说明原因" in page
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "不能签发" in body and SENTENCE in body and CELL in body
    _unchanged(submitted)


def test_the_admin_cannot_sign_it(tree: Any, submitted: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.admin)
    url = f"/admin/reports/annualreportrecord/{submitted.pk}/change/"
    response = client.post(url, {"status": ReportStatus.SIGNED_OFF, "signed_by": tree.leader_a.pk})
    assert response.status_code == 403
    response = client.post(
        "/admin/reports/annualreportrecord/", {"action": "delete_selected", "_selected_action": [submitted.pk]}
    )
    assert response.status_code in (200, 302, 403)
    _unchanged(submitted)


def test_the_api_cannot_sign_it(tree: Any, submitted: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.leader_a)
    url = f"/api/reports/records/{submitted.pk}/"
    for method in (client.patch, client.put, client.post):
        response = method(url, {"status": ReportStatus.SIGNED_OFF}, content_type="application/json")
        assert response.status_code == 405
    assert client.get(url).json()["status"] == ReportStatus.SUBMITTED
    _unchanged(submitted)


def test_an_explanation_lets_it_be_signed_and_the_supervisor_sees_it(
    tree: Any, submitted: AnnualReportRecord, client: Client
) -> None:
    with pytest.raises(ReportLocked):  # a submitted draft is not edited: returned first
        services.explain_contradictions(actor=tree.officer_a, record=submitted, reason="正文沿用上年模板，待核")
    record = services.return_to_draft(actor=tree.leader_a, record=submitted, note="正文数字与表格不符")
    with pytest.raises(ValidationError):
        services.explain_contradictions(actor=tree.officer_a, record=record, reason="误")
    reason = "正文第（三）部分所述为2023年数据，系按上级要求保留的对比说明，本年度申请数以表三为准。"
    record = services.explain_contradictions(actor=tree.officer_a, record=record, reason=reason)
    record = services.submit_for_sign_off(actor=tree.officer_a, record=record)
    signed = services.sign_off(actor=tree.leader_a, record=record)
    assert signed.status == ReportStatus.SIGNED_OFF
    explained = [f for f in signed.findings if f.get("explanation")]
    assert explained and all(f["explanation"] == reason and f["rule"] == "X-NARRATIVE" for f in explained)
    client.force_login(tree.supervisor)
    page = client.get(reverse("reports:record", args=[signed.pk])).content.decode()
    assert reason in page and SENTENCE in page


def test_an_explanation_covers_only_what_it_was_given_for(
    tree: Any, submitted: AnnualReportRecord, narrative_2023: dict[str, str]
) -> None:
    record = services.return_to_draft(actor=tree.officer_a, record=submitted)
    record = services.explain_contradictions(
        actor=tree.officer_a, record=record, reason="正文所述为上年数据，本年度以统计表为准，特此说明。"
    )
    changed = narrative_2023["overview"].replace("申请数量29件", "申请数量31件")
    record = services.save_narrative(actor=tree.officer_a, record=record, sections={"overview": changed})
    record = services.submit_for_sign_off(actor=tree.officer_a, record=record)
    with pytest.raises(SignOffRefused) as refused:
        services.sign_off(actor=tree.leader_a, record=record)
    assert "申请数量31件" in " ".join(refused.value.reasons)


def test_fixing_the_text_lets_it_be_signed(tree: Any, submitted: AnnualReportRecord) -> None:
    record = services.return_to_draft(actor=tree.leader_a, record=submitted)
    fixed = {
        "preamble": "依据《中华人民共和国政府信息公开条例》第五十条规定，编制本报告。",
        "overview": "（三）依申请公开情况\n2025年新收政府信息公开申请数量0件，本年政府信息公开申请办结数0件。",
        "problems": "（一）主要问题\n本年度未收到申请，依申请公开渠道的宣传不足。",
        "other": "本年度未发出收费通知。",
    }
    record = services.save_narrative(actor=tree.officer_a, record=record, sections=fixed)
    record = services.submit_for_sign_off(actor=tree.officer_a, record=record)
    assert services.sign_off(actor=tree.leader_a, record=record).status == ReportStatus.SIGNED_OFF


def test_submission_steps(tree: Any, narrative_2023: dict[str, str], client: Client) -> None:
    record = services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=2025, today=TODAY)
    with pytest.raises(SignOffRefused, match="待填写"):  # the first draft still has 【待填写】 marks
        services.submit_for_sign_off(actor=tree.officer_a, record=record)
    record = services.save_narrative(actor=tree.officer_a, record=record, sections=narrative_2023)
    client.force_login(tree.officer_a)
    response = client.post(reverse("reports:submit", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ReportStatus.SUBMITTED and record.submitted_by == tree.officer_a
    with pytest.raises(ReportLocked, match="先撤回"):
        services.save_narrative(actor=tree.officer_a, record=record, sections={"other": "改"})
    client.force_login(tree.leader_a)
    home = client.get(reverse("backoffice:home")).content.decode()
    assert "待签发的年度报告" in home and reverse("reports:sign_off", args=[record.pk]) in home
    client.post(reverse("reports:return_draft", args=[record.pk]), {"note": "请核对数字"})
    record.refresh_from_db()
    assert record.status == ReportStatus.DRAFT and record.submitted_by is None
    assert "待签发的年度报告" not in client.get(reverse("backoffice:home")).content.decode()
