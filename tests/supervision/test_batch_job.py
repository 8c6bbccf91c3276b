"""The batch job at scale: a reader that fails, a worker killed mid-batch, stored files, paging."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from gongkai.jobs import services as job_services
from gongkai.jobs.models import Job, JobStatus
from gongkai.jobs.registry import JobContext, Progress
from gongkai.jobs.runner import run_job
from gongkai.supervision import services
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch
from gongkai.supervision.services import SupervisionError, batch_job, upload_batch
from gongkai.supervision.views import FILES_PER_PAGE
from tests.supervision.conftest import as_text, consistent, zipped

pytestmark = pytest.mark.django_db


def _reports(tree: Any, n: int) -> list[tuple[str, bytes]]:
    names = [tree.street_a.name, tree.street_b.name]
    return [(f"{i:03d}.txt", as_text(consistent(names[i % 2], 2000 + i // 2, new=i))) for i in range(n)]


def test_a_reader_that_raises_marks_its_file_unreadable_and_the_batch_goes_on(tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = services.read_bytes

    def flaky(data: bytes, name: str) -> Any:
        if name == "001.txt":
            raise ZeroDivisionError("a bug in a reader")
        return real(data, name)

    monkeypatch.setattr(services, "read_bytes", flaky)
    batch = upload_batch(actor=tree.supervisor, files=_reports(tree, 3))
    rows = {r.file_name: r for r in batch.files.all()}
    assert rows["001.txt"].status == ReadStatus.UNREADABLE and rows["001.txt"].report is None
    assert "ZeroDivisionError" in rows["001.txt"].read_error and "a bug in a reader" in rows["001.txt"].read_error
    assert rows["000.txt"].status == rows["002.txt"].status == ReadStatus.CONSISTENT
    assert batch_job(batch).status == JobStatus.DONE  # type: ignore[union-attr]


class Killed(BaseException):
    """What a worker killed mid-batch looks like to the code after it: nothing more runs."""


def test_a_batch_killed_mid_way_is_continued_by_a_rerun_each_file_read_once(tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "READ_CHUNK", 4)
    monkeypatch.setattr(job_services, "dispatch", lambda job_id: None)  # queued, not run yet
    batch = upload_batch(actor=tree.supervisor, files=_reports(tree, 11))
    job = batch_job(batch)
    assert job is not None and job.status == JobStatus.QUEUED
    real, calls = services.read_bytes, []

    def dies_at_the_tenth(data: bytes, name: str) -> Any:
        calls.append(name)
        if len(calls) == 10:
            raise Killed
        return real(data, name)

    monkeypatch.setattr(services, "read_bytes", dies_at_the_tenth)
    context = JobContext(str(job.pk), dict(job.params), tree.supervisor, Progress(lambda *a: None))
    with pytest.raises(Killed):
        services._read_batch(context)
    assert batch.files.count() == 8  # two chunks of 4 were saved, the third died with the worker
    calls.clear()
    monkeypatch.setattr(services, "read_bytes", real)
    monkeypatch.setattr(services, "read_bytes", lambda data, name: (calls.append(name), real(data, name))[1])
    assert run_job(str(job.pk)) == JobStatus.DONE
    assert calls == ["008.txt", "009.txt", "010.txt"]  # only the files the dead worker did not save
    assert sorted(batch.files.values_list("position", flat=True)) == list(range(1, 12))
    assert set(batch.files.values_list("status", flat=True)) == {ReadStatus.CONSISTENT}
    assert services._read_batch(context)  # a third run (a redelivered message) changes nothing
    assert batch.files.count() == 11 and calls == ["008.txt", "009.txt", "010.txt"]
    assert not any(default_storage.exists(f["path"]) for f in job.params["files"])  # cleaned up at the end


def test_progress_moves_by_chunks_through_reading_and_checking(tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(services, "READ_CHUNK", 3)
    monkeypatch.setattr(services, "CHECK_CHUNK", 4)
    monkeypatch.setattr(job_services, "dispatch", lambda job_id: None)
    batch = upload_batch(actor=tree.supervisor, files=[*_reports(tree, 9), ("x.txt", b"")])
    job = batch_job(batch)
    assert job is not None
    seen: list[tuple[int, int]] = []
    context = JobContext(
        str(job.pk), dict(job.params), tree.supervisor, Progress(lambda d, t, m: seen.append((d, t)), interval=0)
    )
    services._read_batch(context)
    # reads: 3, 6, 9, 10 of 20; checks (9 readable files, by 4): 0, 4, 8, 9 scaled onto the other 10
    assert seen == [(3, 20), (6, 20), (9, 20), (10, 20), (10, 20), (14, 20), (18, 20), (20, 20)]


def test_a_zip_bomb_member_is_refused_alone_and_the_rest_is_read(tree) -> None:  # type: ignore[no-untyped-def]
    archive = zipped({"a.txt": as_text(consistent(tree.street_a.name, 2023)), "bomb.txt": b"0" * 5_000_000})
    batch = upload_batch(actor=tree.supervisor, files=[("all.zip", archive)])
    rows = {r.file_name: r for r in batch.files.all()}
    assert rows["all.zip/a.txt"].status == ReadStatus.CONSISTENT
    assert (
        rows["all.zip/bomb.txt"].status == ReadStatus.UNREADABLE and "压缩炸弹" in rows["all.zip/bomb.txt"].read_error
    )


def test_a_refused_archive_leaves_no_stored_file(tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    saved: list[str] = []
    real_save = default_storage.save
    monkeypatch.setattr(
        default_storage, "save", lambda name, content: saved.append(real_save(name, content)) or saved[-1]
    )
    files = [("a.txt", b"x"), ("many.zip", zipped({f"{i}.txt": b"x" for i in range(2001)}))]
    with pytest.raises(SupervisionError, match="最多"):
        upload_batch(actor=tree.supervisor, files=files)
    assert saved and not any(default_storage.exists(p) for p in saved)  # stored while unpacking, then removed
    assert not ReportBatch.objects.exists() and not Job.objects.exists()


def test_the_batch_page_lists_the_files_by_pages_of_100(client: Client, tree, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    batch = upload_batch(actor=tree.supervisor, files=[(f"{i:03d}.txt", b"") for i in range(FILES_PER_PAGE + 5)])
    assert batch.files.count() == 105
    client.force_login(tree.supervisor)
    url = reverse("supervision:batch", args=[batch.pk])
    with django_assert_max_num_queries(14):
        first = client.get(url).content.decode()
    assert "000.txt" in first and "099.txt" in first and "100.txt" not in first
    assert "第1/2页" in first and "?page=2" in first
    second = client.get(url + "?page=2").content.decode()
    assert "100.txt" in second and "104.txt" in second and "099.txt" not in second
    assert ReadReport.objects.filter(batch=batch, status=ReadStatus.UNREADABLE).count() == 105
