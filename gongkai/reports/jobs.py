"""The sign-off of an annual report as a background job.

Signing renders the Word, PDF, web and Excel documents (PDF with its CJK font takes seconds, more
on a busy machine), so the leader's confirmation queues a job and the page shows its progress
while the site stays usable. The job calls the one write path, ``services.sign_off``: the
documents and their SHA-256 digests are exactly those of a sign-off in the request.

The job is safe to run again: a report already signed (the same record, by an earlier run or a
second click) is left as it is and the job ends on its page. A worker killed mid-job rolls the
transaction back, leaving at most temporary files (``staging``), and the next run signs anew.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core.report.lifecycle import LOCKED_STATUSES
from gongkai.jobs.models import Job, JobStatus
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.services import start_job
from gongkai.reports import services
from gongkai.reports.models import AnnualReportRecord

SIGN_OFF_JOB = "reports.sign_off"


def pending_sign_off(record: AnnualReportRecord) -> Job | None:
    """The sign-off job of ``record`` still queued or running, if any."""
    return (
        Job.objects.filter(
            kind=SIGN_OFF_JOB, params__record=record.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
        )
        .order_by("created_at")
        .first()
    )


def start_sign_off(*, actor: Any, record: AnnualReportRecord) -> Job:
    """Queue the sign-off of ``record`` by ``actor`` after the checks pass here.

    Refused at once (``PermissionDenied``, :class:`SignOffRefused`) like the sign-off itself; the
    job checks again under the row lock. A second request while one is pending gets that job.
    """
    if not services.can_sign_off(actor, record.agency):
        raise PermissionDenied("只有本机关负责人可以签发年度报告")
    services.check_signable(record)
    pending = pending_sign_off(record)
    if pending is not None:
        return pending
    return start_job(
        actor=actor,
        kind=SIGN_OFF_JOB,
        params={"record": record.pk, "version": record.version},
        label=f"签发{record}",
        agency=record.agency,
    )


def _run(context: JobContext) -> dict[str, Any]:
    record = AnnualReportRecord.objects.select_related("agency").get(pk=context.params["record"])
    next_url = reverse("reports:record", args=[record.pk])
    if record.status in LOCKED_STATUSES:
        return {"next_url": next_url, "already": True}  # signed by an earlier run: nothing to do
    context.progress(0, len(services.WRITERS), "正在核对报告", force=True)
    signed = services.sign_off(actor=context.actor, record=record, progress=context.progress)
    return {"next_url": next_url, "digests": dict(signed.file_digests)}


register(JobKind(name=SIGN_OFF_JOB, label="签发年度报告", run=_run))
