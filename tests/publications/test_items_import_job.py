"""The import of items as a background job: the upload queues it, its page shows the progress,
the import page then shows the outcome; all rows or none; a second run imports nothing twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.core.publication_flow import ItemStatus
from gongkai.jobs.models import Job, JobStatus
from gongkai.jobs.runner import run_job
from gongkai.publications.import_jobs import ITEMS_IMPORT_JOB, start_items_import
from gongkai.publications.models import Item
from tests.publications.test_attachments_and_import import _sheet

pytestmark = pytest.mark.django_db

GOOD = [
    ["公开目录", "标题", "成文日期"],
    ["财政信息/预算", "2023年部门预算", "2023-02-01"],
    ["领导信息", "领导班子分工", "2023-01-10"],
]
BAD = [["公开目录", "标题", "成文日期"], ["财政信息/预算", "正确的一行", "2023-02-01"], ["不存在的目录", "", "明天"]]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def _post(client: Client, rows: list[list[object]]) -> Any:
    upload = SimpleUploadedFile("目录.xlsx", _sheet(rows))
    return client.post(reverse("publications:items_import"), {"file": upload})


def test_the_upload_queues_a_job_and_the_page_shows_its_outcome(
    tree: Any, catalogue: Any, client: Client, settings: Any
) -> None:
    settings.JOBS_EAGER = False
    client.force_login(tree.clerk_a)
    response = _post(client, GOOD)
    job = Job.objects.get(kind=ITEMS_IMPORT_JOB)
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and not Item.objects.exists()
    outcome = f"{reverse('publications:items_import')}?job={job.pk}"
    assert client.get(outcome)["Location"] == reverse("jobs:detail", args=[job.pk])  # not finished yet
    assert run_job(str(job.pk)) == JobStatus.DONE
    job.refresh_from_db()
    assert job.result["next_url"] == outcome and job.result["created"] == 2
    assert sorted(Item.objects.values_list("title", flat=True)) == ["2023年部门预算", "领导班子分工"]
    assert {i.status for i in Item.objects.all()} == {ItemStatus.DRAFT}
    assert not default_storage.exists(job.params["path"])  # the upload is not kept
    page = client.get(outcome, follow=True).content.decode()
    assert "已导入2条信息" in page
    client.force_login(tree.officer_b)  # another agency's officer: not their job
    assert client.get(outcome).status_code == 404


def test_a_file_with_errors_writes_nothing_and_lists_every_error(tree: Any, catalogue: Any, client: Client) -> None:
    client.force_login(tree.clerk_a)  # jobs run inline in the tests: the outcome at once
    response = _post(client, BAD)
    assert response.status_code == 400
    body = response.content.decode()
    assert "未写入任何数据" in body and "第3行 A列（公开目录）" in body and "第3行 C列（成文日期）" in body
    assert not Item.objects.exists()
    assert Job.objects.get(kind=ITEMS_IMPORT_JOB).result["ok"] is False


def test_a_second_run_imports_nothing_twice(tree: Any, catalogue: Any, settings: Any) -> None:
    settings.JOBS_EAGER = False
    job = start_items_import(actor=tree.clerk_a, agency=tree.street_a, data=_sheet(GOOD), filename="目录.xlsx")
    assert run_job(str(job.pk)) == JobStatus.DONE
    # The worker died after the import committed, before the job was marked done: run again.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert run_job(str(job.pk)) == JobStatus.DONE
    assert Item.objects.count() == 2
