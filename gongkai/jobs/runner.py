"""Running a job: claim it, run its kind, record the outcome. The same function runs in a Celery
worker (``gongkai.jobs.tasks``), in a thread of the web process (no broker), or inline (tests)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import OperationalError, close_old_connections, connection, connections
from django.db.models import F, Q
from django.utils import timezone

from gongkai.core.errors import GongkaiError
from gongkai.jobs.models import Job, JobStatus
from gongkai.jobs.registry import JobContext, Progress, kind

logger = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None
_THREAD_ATTEMPTS = 5


def _cache() -> Any:
    """The cache every process of the site shares (``CACHES["jobs"]``: Redis, or a file cache)."""
    return caches["jobs"]


def _alive_key(job_id: str) -> str:
    return f"gongkai:job-alive:{job_id}"


def _progress_key(job_id: str) -> str:
    return f"gongkai:job-progress:{job_id}"


def live_progress(job_id: str) -> dict[str, Any] | None:
    """The progress a running job reported from inside a transaction (the cache sees it at once)."""
    value = _cache().get(_progress_key(job_id))
    return value if isinstance(value, dict) else None


def _claim(job_id: str) -> bool:
    """Take the job: a queued one, or a running one whose worker stopped reporting (killed)."""
    if _cache().get(_alive_key(job_id)):
        return False  # its worker reported within JOB_STALE_SECONDS, maybe from inside a transaction
    now = timezone.now()
    stale = now - dt.timedelta(seconds=getattr(settings, "JOB_STALE_SECONDS", 120))
    return bool(
        Job.objects.filter(pk=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale))
        .update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1)
    )


def _report(job_id: str) -> Any:
    stale = getattr(settings, "JOB_STALE_SECONDS", 120)

    def report(done: int, total: int, message: str) -> None:
        values = {"done": max(0, done), "total": max(0, total), "message": message[:300]}
        # The cache first: a job that works inside one transaction (an import, all rows or none)
        # cannot show its progress through the database until it commits.
        _cache().set(_progress_key(job_id), values, timeout=stale * 10)
        _cache().set(_alive_key(job_id), 1, timeout=stale)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=job_id).update(**values, heartbeat_at=timezone.now())

    return report


def run_job(job_id: str) -> str:
    """Run one job to its end; returns its status afterwards. A job already finished, or running
    in a worker that still reports progress, is left alone (a redelivered message does no harm)
    and its current status is returned."""
    if not _claim(job_id):
        return str(Job.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing")
    job = Job.objects.select_related("created_by").get(pk=job_id)
    context = JobContext(
        job_id=str(job.pk), params=dict(job.params), actor=job.created_by, progress=Progress(_report(str(job.pk)))
    )
    try:
        result = kind(job.kind).run(context)
    except GongkaiError as exc:
        Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=str(exc), finished_at=timezone.now())
        _cache().delete_many([_alive_key(job_id), _progress_key(job_id)])
        return JobStatus.FAILED
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job.kind)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            error="任务因内部错误中止，已记录日志；请稍后重试或联系系统管理员",
            finished_at=timezone.now(),
        )
        return JobStatus.FAILED
    reported = (live_progress(job_id) or {}).get("total")  # last reported from inside a transaction
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        result=result or {},
        total=reported if reported is not None else F("total"),
        done=reported if reported is not None else F("total"),
        message="",
        finished_at=timezone.now(),
    )
    _cache().delete_many([_alive_key(job_id), _progress_key(job_id)])
    return JobStatus.DONE


def _in_thread(job_id: str) -> None:
    """Run the job in a pool thread. The pool swallows what a thread raises, so this logs it; a
    claim that met a locked database (SQLite: another connection of this process holds a table
    lock, which its busy timeout does not wait on) is tried again a few times before giving up,
    rather than leaving the job queued with nothing in the log."""
    for attempt in range(1, _THREAD_ATTEMPTS + 1):
        close_old_connections()
        try:
            run_job(job_id)
            return
        except OperationalError:
            logger.warning("job %s: database busy (attempt %s of %s)", job_id, attempt, _THREAD_ATTEMPTS, exc_info=True)
            time.sleep(0.2 * attempt)
        except Exception:
            logger.exception("job %s: the thread running it failed", job_id)
            return
        finally:
            connections.close_all()
    logger.error("job %s: left queued, the database stayed busy for %s attempts", job_id, _THREAD_ATTEMPTS)


def dispatch(job_id: str) -> None:
    """Hand the job to the broker (REDIS_URL set), else to a thread of this process, or run it
    now (JOBS_EAGER, the tests)."""
    global _executor
    if getattr(settings, "JOBS_EAGER", False):
        run_job(job_id)
    elif getattr(settings, "CELERY_BROKER_URL", ""):
        from gongkai.jobs.celery import app

        # By name (gongkai.jobs.tasks.run_job_task), so this module need not import the task's.
        app.send_task("gongkai.jobs.run", args=[job_id], queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    else:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=getattr(settings, "JOBS_THREADS", 2), thread_name_prefix="gongkai-job"
            )
        _executor.submit(_in_thread, job_id)


def run_task(name: str, args: list[Any], *, here: Callable[[], Any]) -> None:
    """Hand the Celery task ``name`` (with ``args``) to the broker when REDIS_URL is set; without
    a broker (or with JOBS_EAGER) call ``here()``, which does the same work in this process now.

    By name, so the caller need not import Celery or the task's module (a domain app's task
    module imports Celery; the web process without a broker never does)."""
    if getattr(settings, "CELERY_BROKER_URL", "") and not getattr(settings, "JOBS_EAGER", False):
        from gongkai.jobs.celery import app

        app.send_task(name, args=args, queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    else:
        here()
