"""Background jobs: inline (tests), in a thread of the web process (no broker), the job page, the
claim rules that let another worker take over a dead one's job, and the admin home's figures."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.core.errors import GongkaiError
from gongkai.jobs.models import Job, JobStatus
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.runner import run_job
from gongkai.jobs.services import start_job

RUNS: list[str] = []


def _count(context: JobContext) -> dict[str, Any]:
    n = int(context.params["n"])
    for i in range(1, n + 1):
        context.progress(i, n, f"第 {i} 步", force=True)
    RUNS.append(context.job_id)
    return {"next_url": "/office/", "sum": n * (n + 1) // 2}


def _refuse(context: JobContext) -> dict[str, Any]:
    raise GongkaiError("第 3 行：日期格式不对")


def _crash(context: JobContext) -> dict[str, Any]:
    raise ZeroDivisionError("secret internals")


def _file(context: JobContext) -> dict[str, Any]:
    name = default_storage.save(f"jobs/{context.job_id}/结果.txt", ContentFile("结果".encode()))
    return {"file": name, "filename": "结果.txt"}


for _kind in (
    JobKind("test.count", "数数", _count),
    JobKind("test.refuse", "拒绝", _refuse),
    JobKind("test.crash", "崩溃", _crash),
    JobKind("test.file", "文件", _file),
):
    register(_kind)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_job_runs_and_reports_its_result(tree: Any) -> None:
    job = start_job(actor=tree.officer_a, kind="test.count", params={"n": 4}, agency=tree.street_a)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["sum"] == 10
    assert (job.done, job.total, job.percent) == (4, 4, 100)
    assert job.attempts == 1 and job.finished_at is not None
    assert AuditEvent.objects.filter(action="job.started", object_id=str(job.pk)).exists()


def test_a_refused_job_keeps_the_message_and_a_crash_hides_internals(tree: Any) -> None:
    refused = start_job(actor=tree.officer_a, kind="test.refuse", params={})
    assert (refused.status, refused.error) == (JobStatus.FAILED, "第 3 行：日期格式不对")
    crashed = start_job(actor=tree.officer_a, kind="test.crash", params={})
    assert crashed.status == JobStatus.FAILED
    assert "secret" not in crashed.error and "内部错误" in crashed.error


def test_an_unknown_kind_is_refused_before_anything_is_stored(tree: Any) -> None:
    with pytest.raises(LookupError, match="未注册"):
        start_job(actor=tree.officer_a, kind="test.nope", params={})
    assert not Job.objects.exists()


def test_a_job_running_in_a_live_worker_is_not_run_twice_but_a_dead_ones_is_taken_over(
    tree: Any, settings: Any
) -> None:
    settings.JOBS_EAGER = False
    job = Job.objects.create(kind="test.count", label="数数", params={"n": 2}, created_by=tree.officer_a)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now(), attempts=1)
    RUNS.clear()
    assert run_job(str(job.pk)) == JobStatus.RUNNING  # the redelivered message leaves it alone
    assert RUNS == []
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    assert run_job(str(job.pk)) == JobStatus.DONE
    job.refresh_from_db()
    assert [str(job.pk)] == RUNS and job.attempts == 2
    assert run_job(str(job.pk)) == JobStatus.DONE and [str(job.pk)] == RUNS  # finished: never again


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_job_runs_in_a_thread_after_commit(settings: Any) -> None:
    from tests.factories import AgencyFactory, UserFactory

    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = ""
    user = UserFactory(username="officer_t", agency=AgencyFactory(code="T1"))
    job = start_job(actor=user, kind="test.count", params={"n": 3})
    for _ in range(100):
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.1)
    assert job.status == JobStatus.DONE and job.result["sum"] == 6


def test_the_job_page_is_its_starters_only(tree: Any, client: Client) -> None:
    job = start_job(actor=tree.officer_a, kind="test.file", params={})
    client.force_login(tree.officer_a)
    page = client.get(f"/office/jobs/{job.pk}/")
    assert page.status_code == 200 and "已完成" in page.content.decode()
    assert client.get(f"/office/jobs/{job.pk}/status.json").json()["percent"] == 100
    download = client.get(f"/office/jobs/{job.pk}/file")
    assert download.status_code == 200 and b"".join(download.streaming_content) == "结果".encode()
    for other in (tree.officer_b, tree.leader_a, tree.supervisor):
        client.force_login(other)
        assert client.get(f"/office/jobs/{job.pk}/").status_code == 404
        assert client.get(f"/office/jobs/{job.pk}/file").status_code == 404
    client.force_login(tree.admin)
    assert client.get(f"/office/jobs/{job.pk}/status.json").status_code == 200


def test_a_running_jobs_page_refreshes_itself_without_javascript(tree: Any, client: Client) -> None:
    job = Job.objects.create(
        kind="test.count", label="数数", params={"n": 9}, created_by=tree.officer_a, done=3, total=9
    )
    client.force_login(tree.officer_a)
    html = client.get(f"/office/jobs/{job.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert 'value="33"' in html and "3 / 9" in html
    assert client.get(f"/office/jobs/{job.pk}/file").status_code == 404  # nothing to download yet


def test_the_admin_home_shows_the_queue(tree: Any, client: Client) -> None:
    Job.objects.create(kind="test.count", label="数数", params={"n": 1})
    client.force_login(tree.admin)
    html = client.get("/admin/").content.decode()
    assert "后台任务：排队中" in html and "未配置" in html


def test_a_pool_thread_retries_a_busy_database_and_logs_what_it_could_not_run(monkeypatch: Any, caplog: Any) -> None:
    """The pool swallows what its threads raise: a claim that met a locked database is tried
    again, and anything else is logged instead of leaving a queued job and an empty log. Each
    run is in a thread of its own, as in the pool (its connections are the thread's own)."""
    import threading

    from django.db import OperationalError

    from gongkai.jobs import runner

    calls: list[str] = []

    def in_a_thread(target: Any, job_id: str) -> None:
        thread = threading.Thread(target=target, args=(job_id,))
        thread.start()
        thread.join(timeout=30)

    def busy_twice(job_id: str) -> str:
        calls.append(job_id)
        if len(calls) <= 2:
            raise OperationalError("database is locked")
        return JobStatus.DONE

    monkeypatch.setattr(runner, "run_job", busy_twice)
    monkeypatch.setattr(runner.time, "sleep", lambda seconds: None)
    in_a_thread(runner._in_thread, "job-1")
    assert calls == ["job-1"] * 3
    assert sum("database busy" in r.getMessage() for r in caplog.records) == 2

    def always_busy(job_id: str) -> str:
        raise OperationalError("database is locked")

    monkeypatch.setattr(runner, "run_job", always_busy)
    in_a_thread(runner._in_thread, "job-2")
    assert any("left queued" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)

    def broken(job_id: str) -> str:
        raise KeyError("kind")

    monkeypatch.setattr(runner, "run_job", broken)
    in_a_thread(runner._in_thread, "job-3")
    assert any("job-3" in r.getMessage() and r.exc_info for r in caplog.records)
