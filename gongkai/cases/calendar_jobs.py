"""Loading a calendar year from the web as a background job (legal spec §5.4; issue 16).

Loading a year recomputes every open case's due date: 100,000 open cases take seconds, longer
than a web worker should hold a request, so the administrator's upload queues a job that runs
``gongkai.cases.due_dates.load_calendar_year`` while its page shows the progress. The command
line (``gongkai calendar load``) runs the same use case inline and prints its progress.

Safe to run again from the start: the use case is one transaction (the year stored and every
moved case's date, timeline entry and audit record, all or nothing), so a worker killed mid-way
leaves nothing behind and the worker that takes the job over does it all; a job run again after
it committed stores the same year again and finds no date left to move.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from gongkai.cases.due_dates import load_calendar_year
from gongkai.jobs.models import Job
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.services import start_job
from gongkai.workcalendar.services import parse_upload

CALENDAR_LOAD_JOB = "cases.calendar_load"
#: Moved cases listed on the page after the load (all of them are in the audit trail).
LISTED = 50


def start_calendar_load(*, actor: Any, text: str, file_name: str, today: dt.date) -> Job:
    """Queue the load of an uploaded year (a few KB of text, kept in the job's parameters)."""
    return start_job(
        actor=actor,
        kind=CALENDAR_LOAD_JOB,
        params={"text": text, "file_name": file_name, "today": today.isoformat()},
        label=f"加载节假日安排“{file_name}”",
    )


def _run(context: JobContext) -> dict[str, Any]:
    params = context.params
    data = parse_upload(params["text"], params["file_name"])  # CalendarDataError: the job fails with it
    result = load_calendar_year(
        actor=context.actor,
        data=data,
        text=params["text"],
        file_name=params["file_name"],
        today=dt.date.fromisoformat(params["today"]),
        progress=context.progress,
    )
    return {
        "next_url": f"{reverse('workcalendar:upload')}?job={context.job_id}",
        "year": result.year,
        "summary": result.summary(),
        "lines": result.moved_lines()[:LISTED],
        "moved": len(result.moved),
        "problems": len(result.problems),
    }


register(JobKind(name=CALENDAR_LOAD_JOB, label="加载节假日安排", run=_run))
