"""The sign-off as a background job: the leader's confirmation queues it, the page stays usable
(no second sign-off is offered while it runs), a second run changes nothing, and the documents
and their digests are those a sign-off in the request stores."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongkai.core.report.lifecycle import ReportStatus
from gongkai.jobs.models import Job, JobStatus
from gongkai.jobs.runner import run_job
from gongkai.reports import services
from gongkai.reports.jobs import SIGN_OFF_JOB, pending_sign_off, start_sign_off
from gongkai.reports.models import DOCUMENT_FORMATS, AnnualReportRecord

pytestmark = pytest.mark.django_db


def _stored_digests(record: AnnualReportRecord) -> dict[str, str]:
    digests = {}
    for fmt in DOCUMENT_FORMATS:
        with record.document_field(fmt).open("rb") as handle:
            digests[fmt] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def test_the_confirmation_queues_a_job_and_the_page_shows_it_until_it_runs(
    tree: Any, draft: AnnualReportRecord, client: Client, settings: Any
) -> None:
    settings.JOBS_EAGER = False  # queued after commit, which a test's transaction never reaches
    client.force_login(tree.leader_a)
    url = reverse("reports:sign_off", args=[draft.pk])
    response = client.post(url, {"confirm": "yes"})
    job = Job.objects.get(kind=SIGN_OFF_JOB)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and job.status == JobStatus.QUEUED
    page = client.get(url).content.decode()
    assert "正在签发" in page and reverse("jobs:detail", args=[job.pk]) in page
    assert 'name="confirm"' not in page  # no second sign-off offered while one is pending
    again = client.post(url, {"confirm": "yes"})
    assert again["Location"] == reverse("jobs:detail", args=[job.pk]) and Job.objects.count() == 1
    assert client.get(reverse("reports:record", args=[draft.pk])).status_code == 200  # the site stays usable

    assert run_job(str(job.pk)) == JobStatus.DONE  # what the worker (or the thread) does
    draft.refresh_from_db()
    job.refresh_from_db()
    assert draft.status == ReportStatus.SIGNED_OFF and draft.signed_by == tree.leader_a
    assert job.result["next_url"] == reverse("reports:record", args=[draft.pk])
    assert job.result["digests"] == draft.file_digests == _stored_digests(draft)
    assert job.total == len(DOCUMENT_FORMATS) and job.percent == 100
    assert pending_sign_off(draft) is None
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] and status["next_url"] == reverse("reports:record", args=[draft.pk])


def test_running_again_signs_nothing_twice(tree: Any, draft: AnnualReportRecord, settings: Any) -> None:
    settings.JOBS_EAGER = False
    first = start_sign_off(actor=tree.leader_a, record=draft)
    second = Job.objects.create(
        kind=SIGN_OFF_JOB, label="重复", params=dict(first.params), created_by=tree.leader_a, agency=tree.street_a
    )
    assert run_job(str(first.pk)) == JobStatus.DONE
    draft.refresh_from_db()
    signed = (draft.signed_at, dict(draft.file_digests), draft.document_field("pdf").name)
    assert run_job(str(second.pk)) == JobStatus.DONE  # a redelivered or doubled job
    draft.refresh_from_db()
    second.refresh_from_db()
    assert second.result["already"] is True
    assert (draft.signed_at, dict(draft.file_digests), draft.document_field("pdf").name) == signed
    assert _stored_digests(draft) == draft.file_digests


def test_a_refusal_shows_on_the_page_and_queues_nothing(
    tree: Any, draft: AnnualReportRecord, client: Client, settings: Any
) -> None:
    settings.JOBS_EAGER = False
    services.save_narrative(actor=tree.officer_a, record=draft, sections={"overview": "【待填写】"})
    client.force_login(tree.leader_a)
    response = client.post(reverse("reports:sign_off", args=[draft.pk]), {"confirm": "yes"})
    assert response.status_code == 400 and "不能签发" in response.content.decode()
    assert not Job.objects.exists()


def test_the_officer_cannot_queue_a_sign_off(tree: Any, draft: AnnualReportRecord) -> None:
    with pytest.raises(PermissionDenied):
        start_sign_off(actor=tree.officer_a, record=draft)
    assert not Job.objects.exists()


def test_the_sign_off_reports_each_document(tree: Any, draft: AnnualReportRecord) -> None:
    heard: list[tuple[int, int, str]] = []
    services.sign_off(actor=tree.leader_a, record=draft, progress=lambda d, t, m: heard.append((d, t, m)))
    total = len(DOCUMENT_FORMATS)
    assert [(d, t) for d, t, _ in heard] == [(n, total) for n in range(total + 1)]
    assert "PDF" in " ".join(m for _, _, m in heard)
