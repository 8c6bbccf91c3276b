"""The import of 主动公开 items from a spreadsheet as a background job, like the ledger import: a
file of thousands of rows takes longer than a web worker may hold a request, so the upload is
stored and a job imports it (all rows or none, through ``imports.import_items``) while its page
shows the progress; the import page then shows the outcome (``?job=``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.jobs.models import Job
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.services import start_job
from gongkai.publications.errors import ImportFileError
from gongkai.publications.imports import import_items

ITEMS_IMPORT_JOB = "publications.items_import"


def start_items_import(*, actor: Any, agency: Agency, data: bytes, filename: str) -> Job:
    """Store the uploaded file and queue its import into ``agency`` (the actor's own)."""
    path = default_storage.save(f"publication-imports/{uuid.uuid4().hex}.bin", ContentFile(data))
    return start_job(
        actor=actor,
        kind=ITEMS_IMPORT_JOB,
        params={"path": path, "filename": filename, "agency": agency.pk},
        label=f"导入主动公开信息“{filename}”",
        agency=agency,
    )


def _run(context: JobContext) -> dict[str, Any]:
    params = context.params
    earlier = Job.objects.get(pk=context.job_id).result
    if earlier.get("ok"):
        return dict(earlier)  # an earlier run committed the items, then its worker died
    next_url = f"{reverse('publications:items_import')}?job={context.job_id}"
    with default_storage.open(params["path"], "rb") as handle:
        data = handle.read()
    agency = Agency.objects.get(pk=params["agency"])
    try:
        with transaction.atomic():
            created = import_items(
                actor=context.actor, agency=agency, data=data, filename=params["filename"], progress=context.progress
            )
            result: dict[str, Any] = {"next_url": next_url, "ok": True, "created": len(created)}
            # Committed with the items: a run after a crash finds it and imports nothing twice.
            Job.objects.filter(pk=context.job_id).update(result=result)
    except ImportFileError as exc:
        result = {"next_url": next_url, "ok": False, "errors": list(exc.errors)}
    finally:  # an unreadable file ends the job too (its error on the page): the upload goes
        default_storage.delete(params["path"])
    return result


register(JobKind(name=ITEMS_IMPORT_JOB, label="导入主动公开信息", run=_run))
