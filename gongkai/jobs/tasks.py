"""Celery tasks of the jobs app.

Late acknowledgement: a worker killed mid-job leaves the message to the broker, which hands it
to another worker after the visibility timeout; that worker takes the job over once the dead
one's heartbeat is stale (``JOB_STALE_SECONDS``). A message that finds its job still running
elsewhere checks again later, so a job is never left "running" by a dead worker.
"""

from __future__ import annotations

from django.conf import settings

from gongkai.jobs.celery import app
from gongkai.jobs.models import JobStatus
from gongkai.jobs.runner import run_job


@app.task(  # type: ignore[misc]  # Celery ships no type hints
    name="gongkai.jobs.run", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None
)
def run_job_task(self, job_id: str) -> str:  # type: ignore[no-untyped-def]
    status = run_job(job_id)
    if status == JobStatus.RUNNING:
        raise self.retry(countdown=getattr(settings, "JOB_STALE_SECONDS", 120))
    return status
