"""A year's case archive as a background job: a year with many letters takes minutes to lay out
(each letter's PDF), longer than a web request may run, so the export is a job whose page shows
the progress and offers the zip when it is ready (the same archive ``gongkai archive`` writes)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from gongkai import clock
from gongkai.archives import services
from gongkai.archives.export import archive_filename, write_archive, year_cases
from gongkai.cases.models import Case
from gongkai.core.errors import GongkaiError
from gongkai.jobs.models import Job
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.services import start_job

YEAR_EXPORT_JOB = "archives.year_export"


class NothingToArchive(GongkaiError):
    """The year has no case the user may read."""


def start_year_export(*, actor: Any, year: int) -> Job:
    """Queue the export of ``year``'s archive of the actor's agency."""
    agency = actor.agency
    if not year_cases(agency, year, within=Case.objects.visible_to(actor)).exists():
        raise NothingToArchive(f"{year}年度没有案件")
    return start_job(
        actor=actor,
        kind=YEAR_EXPORT_JOB,
        params={"agency": agency.pk, "year": year},
        label=f"生成{agency.short_name or agency.name}{year}年度案卷",
        agency=agency,
    )


def _run(context: JobContext) -> dict[str, Any]:
    actor = context.actor
    agency = actor.agency
    year = int(context.params["year"])
    if agency is None or agency.pk != context.params["agency"]:
        raise NothingToArchive("发起人已不属于该机关，未生成案卷")
    cases = year_cases(agency, year, within=Case.objects.visible_to(actor))
    total = cases.count()

    def counted() -> Iterator[Case]:
        for index, case in enumerate(cases.iterator(chunk_size=200), start=1):
            context.progress(index - 1, total + 1, f"正在整理第 {index} / {total} 件：{case.number}")
            yield case

    name = archive_filename(agency, year=year)
    with tempfile.TemporaryFile() as handle:
        result = write_archive(handle, agency=agency, cases=counted(), generated_at=clock.now(), year=year)
        handle.seek(0)
        path = default_storage.save(f"archives/exports/{context.job_id}/{name}", File(handle, name=name))
    with transaction.atomic():
        services.record_export(
            actor=actor,
            agency=agency,
            year=year,
            case=None,
            case_count=result.case_count,
            letter_count=result.letter_count,
            file_count=result.file_count,
            manifest_sha256=result.manifest_sha256,
        )
    return {"file": path, "filename": name, "next_url": reverse("archives:index")}


register(JobKind(name=YEAR_EXPORT_JOB, label="生成年度案卷", run=_run))
