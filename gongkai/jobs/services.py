"""Starting a background job (one use case: the starter, the kind, its parameters; audited)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction

from gongkai.audit.services import record
from gongkai.jobs.models import Job
from gongkai.jobs.registry import kind as job_kind
from gongkai.jobs.runner import dispatch


class JobAudit(StrEnum):
    STARTED = "job.started"


@transaction.atomic
def start_job(*, actor: Any, kind: str, params: dict[str, Any], label: str = "", agency: Any = None) -> Job:
    """Queue ``kind`` with ``params`` (JSON values only); it starts once this transaction commits."""
    registered = job_kind(kind)
    job = Job.objects.create(
        kind=kind,
        label=(label or registered.label)[:200],
        params=params,
        created_by=actor if getattr(actor, "pk", None) else None,
        agency=agency,
    )
    record(actor=actor, action=JobAudit.STARTED, target=job, agency=agency, changes={"kind": kind})
    job_id = str(job.pk)
    if getattr(settings, "JOBS_EAGER", False):
        dispatch(job_id)  # inline, inside this transaction: what the tests see at once
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: dispatch(job_id))
    return job
