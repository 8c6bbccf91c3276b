"""Real Celery workers on Redis over the suite's PostgreSQL database: a supervision batch read in
the background, and a worker killed mid-batch whose job another worker finishes (nothing read
twice, nothing lost)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from gongkai.jobs.models import Job, JobStatus
from gongkai.supervision.models import ReadReport
from gongkai.supervision.services import batch_job, upload_batch
from tests.supervision.conftest import as_text, consistent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("GONGKAI_TEST_BROKER_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def queue(settings: Any, tmp_path: Path) -> str:
    name = f"test-{uuid.uuid4().hex[:8]}"
    settings.JOBS_EAGER = False
    settings.CELERY_BROKER_URL = BROKER
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    settings.MEDIA_ROOT = tmp_path / "media"
    return name


def _worker(queue: str, media: Path, tag: str) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=BROKER,
        CELERY_QUEUE=queue,
        GONGKAI_MEDIA_ROOT=str(media),
        JOB_VISIBILITY_SECONDS="3",
        JOB_STALE_SECONDS="3",
        DJANGO_SETTINGS_MODULE="gongkai.settings",
    )
    command = [sys.executable, "-m", "celery", "-A", "gongkai.jobs.celery", "worker", "--pool=solo", "-Q", queue]
    command += ["-n", f"{tag}-{queue}@localhost", "--without-gossip", "--without-mingle", "-l", "WARNING"]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def _stop(worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def _wait(job: Job, until: Any, seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if until(job):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.status} {job.done}/{job.total} after {seconds} s")


def _files(tree: Any, n: int) -> list[tuple[str, bytes]]:
    text = as_text(consistent(tree.street_a.name, 2023))
    return [(f"{i:04d}.txt", text) for i in range(n)]


def test_a_worker_reads_the_batch_in_the_background(tree: Any, queue: str, settings: Any) -> None:
    worker = _worker(queue, Path(settings.MEDIA_ROOT), "a")
    try:
        batch = upload_batch(actor=tree.supervisor, files=_files(tree, 12), title="后台")
        job = batch_job(batch)
        assert job is not None
        job = _wait(job, lambda j: j.finished, 90)
    finally:
        _stop(worker)
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert ReadReport.objects.filter(batch=batch).count() == 12


def test_a_worker_killed_mid_batch_leaves_the_job_to_another(tree: Any, queue: str, settings: Any) -> None:
    media = Path(settings.MEDIA_ROOT)
    first = _worker(queue, media, "first")
    second = None
    try:
        batch = upload_batch(actor=tree.supervisor, files=_files(tree, 400), title="中途")
        job = batch_job(batch)
        assert job is not None
        _wait(job, lambda j: j.done >= 10, 90)
        _stop(first, signal.SIGKILL)
        job.refresh_from_db()
        read_before = ReadReport.objects.filter(batch=batch).count()
        assert job.status == JobStatus.RUNNING and 0 < read_before < 400
        second = _worker(queue, media, "second")
        job = _wait(job, lambda j: j.finished, 180)
    finally:
        _stop(first, signal.SIGKILL)
        if second is not None:
            _stop(second)
    assert job.status == JobStatus.DONE and job.attempts == 2
    positions = list(ReadReport.objects.filter(batch=batch).values_list("position", flat=True))
    assert sorted(positions) == list(range(1, 401))  # every file once: none lost, none read twice
