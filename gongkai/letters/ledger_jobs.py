"""The 依申请公开台账 import as a background job: a 20,000-row ledger takes longer than a web
worker may hold a request, so the upload is stored and a job imports it (all rows or none, 条例
art 45, through ``gongkai.cases.ledger_io.import_ledger``) while its page shows the progress."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from gongkai.cases.ledger_io import import_ledger
from gongkai.jobs.models import Job
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.services import start_job

LEDGER_IMPORT_JOB = "letters.ledger_import"
#: Imported cases listed on the result page (the rest are in the case list).
LISTED = 1000


def start_ledger_import(*, actor: Any, data: bytes, filename: str, today: dt.date) -> Job:
    """Store the uploaded ledger and queue its import into the actor's agency."""
    path = default_storage.save(f"ledger-imports/{uuid.uuid4().hex}.bin", ContentFile(data))
    return start_job(
        actor=actor,
        kind=LEDGER_IMPORT_JOB,
        params={"path": path, "filename": filename, "agency": actor.agency_id, "today": today.isoformat()},
        label=f"导入台账“{filename}”",
        agency=actor.agency,
    )


def _run(context: JobContext) -> dict[str, Any]:
    params = context.params
    actor = context.actor
    with default_storage.open(params["path"], "rb") as handle:
        data = handle.read()
    result = import_ledger(
        actor=actor,
        agency=actor.agency,
        data=data,
        filename=params["filename"],
        today=dt.date.fromisoformat(params["today"]),
        progress=context.progress,
    )
    default_storage.delete(params["path"])
    imported = [
        {"line": c.line, "ledger_number": c.ledger_number, "case_number": c.case_number, "case_id": c.case_id}
        for c in result.imported[:LISTED]
    ]
    return {
        "next_url": f"{reverse('letters:ledger_import')}?job={context.job_id}",
        "ok": result.ok,
        "summary": result.summary(),
        "errors": [str(issue) for issue in result.errors],
        "warnings": [str(issue) for issue in result.warnings],
        "imported": imported,
        "imported_count": len(result.imported),
    }


register(JobKind(name=LEDGER_IMPORT_JOB, label="导入台账", run=_run))
