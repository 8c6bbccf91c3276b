"""年报监督 pages: upload through the form, the batch, a report, years compared, the export; scoping."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.supervision.models import ReadStatus, ReportBatch
from gongkai.supervision.services import upload_batch
from gongkai.supervision.xlsx import FINDING_COLUMNS, FINDINGS_SHEET, SUMMARY_SHEET
from tests.supervision.conftest import as_text, broken, consistent, zipped

pytestmark = pytest.mark.django_db


def login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


@pytest.fixture
def batch(tree) -> ReportBatch:  # type: ignore[no-untyped-def]
    files = [
        ("a-2022.txt", as_text(consistent(tree.street_a.name, 2022, overview="主动公开信息300条。"))),
        ("a-2023.txt", as_text(consistent(tree.street_a.name, 2023, new=12, overview="主动公开信息330条。"))),
        ("b-2023.txt", as_text(broken(tree.street_b.name, 2023))),
        ("junk.txt", b""),
    ]
    return upload_batch(actor=tree.supervisor, files=files, title="测试批次")


def test_upload_through_the_form_with_several_files_and_a_zip(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    login(client, tree.supervisor)
    response = client.post(
        reverse("supervision:index"),
        {
            "title": "一批",
            "documents": [
                SimpleUploadedFile("a.txt", as_text(consistent(tree.street_a.name, 2023))),
                SimpleUploadedFile(
                    "all.zip", zipped({"b.txt": as_text(broken(tree.street_b.name, 2023)), "x.pdf": b"%PDF"})
                ),
            ],
        },
    )
    batch = ReportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supervision:batch", args=[batch.pk])
    assert dict(batch.files.values_list("file_name", "status")) == {
        "a.txt": ReadStatus.CONSISTENT,
        "all.zip/b.txt": ReadStatus.ERRORS,
        "all.zip/x.pdf": ReadStatus.UNREADABLE,
    }
    page = client.get(response["Location"]).content.decode()
    assert "一致" in page and "有错误" in page and "无法读取" in page and "测试区乙街道办事处" in page


def test_an_upload_without_files_shows_the_form_again(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    login(client, tree.supervisor)
    response = client.post(reverse("supervision:index"), {"title": "x"})
    assert response.status_code == 200 and not ReportBatch.objects.exists()
    assert "documents" in response.context["form"].errors


def test_the_batch_page_lists_every_file_with_its_status(
    client: Client, tree, batch, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    login(client, tree.supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("supervision:batch", args=[batch.pk]))
    page = response.content.decode()
    for name in ("a-2022.txt", "a-2023.txt", "b-2023.txt", "junk.txt"):
        assert name in page
    assert "文件是空的" in page
    assert reverse("supervision:export", args=[batch.pk]) in page


def test_the_report_page_renders_tables_with_flagged_cells(client: Client, tree, batch) -> None:  # type: ignore[no-untyped-def]
    row = batch.files.get(file_name="b-2023.txt")
    login(client, tree.supervisor)
    page = client.get(reverse("supervision:report", args=[row.pk])).content.decode()
    assert "T4-TOTAL" in page and "表四 “行政复议” 组 “总计” 列" in page
    assert page.count('class="gk-flag gk-flag-error"') == 1
    assert "gk-table-table3" in page


def test_the_comparison_page_shows_years_side_by_side(client: Client, tree, batch) -> None:  # type: ignore[no-untyped-def]
    login(client, tree.supervisor)
    response = client.get(reverse("supervision:compare"), {"agency": tree.street_a.pk})
    assert response.status_code == 200
    assert response.context["comparison"].years == (2022, 2023)
    page = response.content.decode()
    assert "2022年" in page and "+2" in page and "+30" in page  # 新收 10 → 12, 主动公开 300 → 330


def test_the_export_opens_with_openpyxl(client: Client, tree, batch) -> None:  # type: ignore[no-untyped-def]
    login(client, tree.supervisor)
    response = client.get(reverse("supervision:export", args=[batch.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary, problems = book[SUMMARY_SHEET], book[FINDINGS_SHEET]
    assert summary.max_row == 5  # header + 4 files
    statuses = {summary.cell(row=r, column=1).value: summary.cell(row=r, column=5).value for r in range(2, 6)}
    assert statuses == {"a-2022.txt": "一致", "a-2023.txt": "一致", "b-2023.txt": "有错误", "junk.txt": "无法读取"}
    assert [c.value for c in problems[1]] == list(FINDING_COLUMNS)
    rules = [problems.cell(row=r, column=5).value for r in range(2, problems.max_row + 1)]
    assert rules == ["T4-TOTAL"]
    assert problems.cell(row=2, column=6).value == "表四 “行政复议” 组 “总计” 列"


@pytest.mark.parametrize(("who", "status"), [("other_supervisor", 404), ("officer_a", 403), ("officer_b", 403)])
def test_other_agencies_never_see_a_batch(client: Client, tree, batch, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    """Another agency's supervisor: not found (scope). Agency staff: not for their role (403)."""
    login(client, getattr(tree, who))
    row = batch.files.get(file_name="b-2023.txt")
    for url in (
        reverse("supervision:batch", args=[batch.pk]),
        reverse("supervision:export", args=[batch.pk]),
        reverse("supervision:report", args=[row.pk]),
    ):
        assert client.get(url).status_code == status, url
    assert client.post(reverse("supervision:recheck", args=[batch.pk])).status_code == status
    assert client.get(reverse("supervision:compare"), {"agency": tree.street_a.pk}).status_code == status
    index = client.get(reverse("supervision:index"))
    assert index.status_code == (200 if status == 404 else 403)
    assert "测试批次" not in index.content.decode()


def test_the_uploader_and_the_admin_see_it(client: Client, tree, batch) -> None:  # type: ignore[no-untyped-def]
    for user in (tree.supervisor, tree.admin):
        login(client, user)
        assert client.get(reverse("supervision:batch", args=[batch.pk])).status_code == 200
        assert "测试批次" in client.get(reverse("supervision:index")).content.decode()


def test_anonymous_users_are_sent_to_login(client: Client, batch) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("supervision:batch", args=[batch.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_home_page_panel_is_for_supervisors(client: Client, tree, batch) -> None:  # type: ignore[no-untyped-def]
    login(client, tree.supervisor)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert "年报监督" in page and "测试批次" in page
    login(client, tree.officer_a)
    assert "测试批次" not in client.get(reverse("backoffice:home")).content.decode()


def test_recheck_uses_reports_uploaded_later(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    first = upload_batch(actor=tree.supervisor, files=[("2023.txt", as_text(consistent(tree.street_a.name, 2023)))])
    upload_batch(
        actor=tree.supervisor, files=[("2022.txt", as_text(consistent(tree.street_a.name, 2022, carried_forward=1)))]
    )
    login(client, tree.supervisor)
    assert client.post(reverse("supervision:recheck", args=[first.pk])).status_code == 302
    row = first.files.get()
    assert row.status == ReadStatus.ERRORS and row.previous is not None and row.previous.year == 2022
