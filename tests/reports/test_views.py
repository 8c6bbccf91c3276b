"""Back-office pages: scoped to the agency (others get 404), supervisors read only, few queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.report.lifecycle import ReportStatus
from gongkai.reports import services
from gongkai.reports.models import AnnualReportRecord
from tests.reports.conftest import finished_narrative

pytestmark = pytest.mark.django_db


def test_officer_report_page_shows_tables_findings_editor_and_facts(
    tree: Any, draft: AnnualReportRecord, client: Client
) -> None:
    client.force_login(tree.officer_a)
    page = client.get(reverse("reports:record", args=[draft.pk])).content.decode()
    assert "gk-table-table3" in page and "勾稽关系核对" in page
    # No 第二十条 figures were entered: the blank rows are warnings (named by table and row), not errors.
    assert "“行政许可” 行：整行空白" in page and 'badge bad">错误' not in page
    assert 'name="overview"' in page and "保存正文" in page
    assert "记录中的事实" in page and "负责人签发" not in page  # an officer does not sign


def test_leader_sees_sign_off_button(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.leader_a)
    assert "负责人签发" in client.get(reverse("reports:record", args=[draft.pk])).content.decode()


def test_start_and_save_narrative_through_the_views(tree: Any, history_a: Any, client: Client) -> None:
    client.force_login(tree.officer_a)
    response = client.post(reverse("reports:start", args=[tree.street_a.pk, 2023]))
    record = AnnualReportRecord.objects.get(agency=tree.street_a, year=2023)
    assert response.status_code == 302 and response["Location"] == reverse("reports:record", args=[record.pk])
    assert "本年政府信息公开申请办结数4件" in record.narrative["overview"]
    response = client.post(reverse("reports:save_narrative", args=[record.pk]), finished_narrative(2023))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.narrative == finished_narrative(2023)


@pytest.mark.parametrize("name", ["record", "diff"])
def test_other_agency_record_is_404(tree: Any, draft: AnnualReportRecord, client: Client, name: str) -> None:
    client.force_login(tree.officer_b)
    assert client.get(reverse(f"reports:{name}", args=[draft.pk])).status_code == 404
    client.force_login(tree.other_supervisor)
    assert client.get(reverse(f"reports:{name}", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "status"), [("save_narrative", 404), ("sign_off", 403), ("publish", 404), ("new_version", 404)]
)
def test_other_agency_posts_are_404(
    tree: Any, draft: AnnualReportRecord, client: Client, name: str, status: int
) -> None:
    """Another agency's record is not found; signing off is for a 负责人 only (403 before any lookup)."""
    client.force_login(tree.officer_b)
    assert client.post(reverse(f"reports:{name}", args=[draft.pk]), {"overview": "x"}).status_code == status
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.narrative == finished_narrative(2023)


def test_other_agency_pages_and_downloads_are_404(tree: Any, signed: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.officer_b)
    assert client.get(reverse("reports:download", args=[signed.pk, "pdf"])).status_code == 404
    assert client.get(reverse("reports:agency_year", args=[tree.street_a.pk, 2023])).status_code == 404
    assert client.get(reverse("reports:preview_download", args=[tree.street_a.pk, 2023, "json"])).status_code == 404
    assert client.post(reverse("reports:start", args=[tree.street_a.pk, 2022])).status_code == 404


def test_supervisor_reads_but_cannot_write(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.supervisor)
    page = client.get(reverse("reports:record", args=[draft.pk])).content.decode()
    assert "gk-table-table3" in page and 'name="overview"' not in page and "负责人签发" not in page
    assert client.post(reverse("reports:save_narrative", args=[draft.pk]), {"overview": "x"}).status_code == 403
    assert client.post(reverse("reports:sign_off", args=[draft.pk])).status_code == 403
    assert client.post(reverse("reports:start", args=[tree.street_b.pk, 2023])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.narrative == finished_narrative(2023)
    assert not AnnualReportRecord.objects.filter(agency=tree.street_b).exists()


def test_supervisor_cannot_publish_or_revise(tree: Any, signed: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.supervisor)
    assert client.post(reverse("reports:publish", args=[signed.pk])).status_code == 403
    assert client.post(reverse("reports:new_version", args=[signed.pk])).status_code == 403
    signed.refresh_from_db()
    assert signed.status == ReportStatus.SIGNED_OFF


def test_downloads_serve_the_signed_files(tree: Any, signed: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.supervisor)
    for fmt, magic in (("pdf", b"%PDF-"), ("docx", b"PK"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE"), ("json", b"{")):
        response = client.get(reverse("reports:download", args=[signed.pk, fmt]))
        assert response.status_code == 200, fmt
        assert response.content.startswith(magic), fmt
        assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("reports:download", args=[signed.pk, "exe"])).status_code == 404


def test_damaged_stored_file_is_not_served(tree: Any, signed: AnnualReportRecord, client: Client) -> None:
    with open(signed.file_pdf.path, "ab") as handle:
        handle.write(b"tampered")
    client.force_login(tree.officer_a)
    assert client.get(reverse("reports:download", args=[signed.pk, "pdf"])).status_code == 409


def test_preview_without_a_record(tree: Any, history_a: Any, client: Client) -> None:
    client.force_login(tree.officer_a)
    page = client.get(reverse("reports:agency_year", args=[tree.street_a.pk, 2023])).content.decode()
    assert "开始编制2023年度报告" in page and "未编制" in page
    response = client.get(reverse("reports:preview_download", args=[tree.street_a.pk, 2023, "json"]))
    assert response.json()["table3"]["new"][6] == 5


def test_index_lists_years_with_status_and_lateness(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.officer_a)
    page = client.get(reverse("reports:index")).content.decode()
    assert "2023年" in page and "草稿" in page and "2024年1月31日" in page


def test_overview_for_supervisor_with_constant_queries(
    tree: Any, signed: AnnualReportRecord, client: Client, django_assert_max_num_queries: Any
) -> None:
    services.publish(actor=tree.officer_a, record=signed)
    client.force_login(tree.supervisor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:overview") + "?year=2023").content.decode()
    assert "测试区甲街道办事处" in page and "测试区乙街道办事处" in page and "另一区" not in page
    assert "已发布" in page and "未编制" in page
    client.force_login(tree.officer_a)
    assert client.get(reverse("reports:index")).status_code == 200


def test_home_panel(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.supervisor)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert f"{dt.date.today().year - 1}年政府信息公开工作年度报告" in page


def test_report_page_query_count_does_not_grow_with_cases(
    tree: Any, draft: AnnualReportRecord, client: Client, django_assert_max_num_queries: Any
) -> None:
    from tests.reports.history import add_cases, add_reviews, random_history

    cases, reviews = random_history(3, cases=300, first_year=2022, last_year=2023)
    add_cases(tree.street_a, cases)
    add_reviews(tree.street_a, reviews)
    client.force_login(tree.officer_a)
    # 30: + the siblings (雷同 names), items published and fee totals (the narrative check), 5 work-record kinds
    with django_assert_max_num_queries(30):
        assert client.get(reverse("reports:record", args=[draft.pk])).status_code == 200
