"""Loading a year from the web runs as a background job: its page, its result, and a worker killed
mid-reflow whose job another worker takes over and finishes exactly (issue 16)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEvent
from gongkai.cases import due_dates
from gongkai.cases.calendar_jobs import CALENDAR_LOAD_JOB
from gongkai.cases.choices import CaseNote
from gongkai.cases.clock import compute_case_clock
from gongkai.cases.models import Case
from gongkai.core.calendar import parse_calendar_file
from gongkai.jobs.models import Job, JobStatus
from gongkai.jobs.runner import run_job
from gongkai.workcalendar.models import LoadedYear
from tests.factories import ConsultingCase, InProgressCase
from tests.workcalendar.test_loading import BRIDGE_DAY, DAYS_2027, calendar_text

pytestmark = pytest.mark.django_db

D = dt.date
TEXT = calendar_text(DAYS_2027 + BRIDGE_DAY)


def _post(client: Client) -> Any:
    return client.post(
        reverse("workcalendar:upload"), {"file": SimpleUploadedFile("2027.toml", TEXT.encode("utf-8")), "load": "1"}
    )


def _cases(tree: Any) -> list[Case]:
    """Open cases whose due dates run into 2027 (provisional until it is loaded), and one that does not."""
    made = [
        InProgressCase(actor=tree.officer_a, today=D(2026, 12, 21)),
        InProgressCase(actor=tree.officer_a, today=D(2026, 12, 18)),
        ConsultingCase(actor=tree.officer_b, today=D(2026, 12, 14)),
        InProgressCase(actor=tree.officer_b, today=D(2026, 12, 22)),
        InProgressCase(actor=tree.officer_a, today=D(2026, 3, 2)),
    ]
    return [Case.objects.get(pk=c.pk) for c in made]


def test_the_upload_queues_a_job_whose_page_leads_to_the_result(tree: Any, client: Client, settings: Any) -> None:
    settings.JOBS_EAGER = False  # no broker, no thread in a test transaction: the job waits
    crossing = InProgressCase(actor=tree.officer_a, today=D(2026, 12, 21))
    client.force_login(tree.admin)

    response = _post(client)

    job = Job.objects.get(kind=CALENDAR_LOAD_JOB)
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.created_by == tree.admin
    assert LoadedYear.objects.count() == 0  # nothing loaded before the job runs
    waiting = client.get(f"{reverse('workcalendar:upload')}?job={job.pk}")
    assert waiting.status_code == 302 and waiting["Location"] == reverse("jobs:detail", args=[job.pk])

    assert run_job(str(job.pk)) == JobStatus.DONE

    job.refresh_from_db()
    assert job.result["next_url"] == f"{reverse('workcalendar:upload')}?job={job.pk}"
    assert job.result["moved"] == 1 and job.done == job.total == 1
    done = client.get(job.result["next_url"])
    assert done.status_code == 302 and done["Location"] == reverse("workcalendar:year_detail", args=[2027])
    page = client.get(done["Location"]).content.decode()
    assert "已加载2027年节假日安排" in page and "2027-01-19（暂定） → 2027-01-20" in page
    crossing.refresh_from_db()
    assert crossing.due_on == D(2027, 1, 20)
    # another administrator's job is not found; nonsense is a 404, not a 500
    assert client.get(f"{reverse('workcalendar:upload')}?job=not-a-uuid").status_code == 404
    client.force_login(tree.officer_a)
    assert client.get(f"{reverse('workcalendar:upload')}?job={job.pk}").status_code == 403


def test_a_failed_load_says_why_on_the_upload_page(tree: Any, client: Client, settings: Any) -> None:
    settings.JOBS_EAGER = False
    client.force_login(tree.admin)
    _post(client)
    job = Job.objects.get(kind=CALENDAR_LOAD_JOB)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "text": "year = "})  # unreadable by now
    assert run_job(str(job.pk)) == JobStatus.FAILED
    page = client.get(f"{reverse('workcalendar:upload')}?job={job.pk}")
    assert page.status_code == 422 and "加载未完成" in page.context["error"]
    assert LoadedYear.objects.count() == 0


class WorkerKilled(BaseException):
    """What the job sees of a SIGKILL: it stops where it is; nothing of its own code runs after."""


def test_a_worker_killed_mid_reflow_leaves_nothing_and_the_next_worker_finishes_exactly(
    tree: Any, client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.JOBS_EAGER = False
    cases = _cases(tree)
    today = timezone.localdate()
    before = {c.pk: (c.due_on, c.due_is_provisional, c.due_note, c.version) for c in cases}
    client.force_login(tree.admin)
    _post(client)
    job = Job.objects.get(kind=CALENDAR_LOAD_JOB)
    monkeypatch.setattr(due_dates, "BATCH_SIZE", 2)  # three rounds; the worker dies in the second
    real_round = due_dates._recompute_round
    rounds: list[int] = []

    def dying_round(*args: Any, **kwargs: Any) -> list[due_dates.DueDateChange]:
        rounds.append(1)
        if len(rounds) == 2:
            raise WorkerKilled
        return real_round(*args, **kwargs)

    monkeypatch.setattr(due_dates, "_recompute_round", dying_round)
    with pytest.raises(WorkerKilled):
        run_job(str(job.pk))

    # The first round's writes went with the transaction: nothing is half done.
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING  # as a dead worker leaves it
    assert LoadedYear.objects.count() == 0
    assert {c.pk: (c.due_on, c.due_is_provisional, c.due_note, c.version) for c in Case.objects.all()} == before
    assert not AuditEvent.objects.filter(action="case.due_date_changed").exists()
    assert not AuditEvent.objects.filter(action="calendar.year_loaded").exists()

    # Another worker: refused while the dead one's heartbeat is fresh, takes over once it is stale.
    monkeypatch.setattr(due_dates, "_recompute_round", real_round)
    assert run_job(str(job.pk)) == JobStatus.RUNNING
    caches["jobs"].clear()  # the dead worker's "alive" mark expires …
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)  # … and so does its heartbeat
    assert run_job(str(job.pk)) == JobStatus.DONE

    job.refresh_from_db()
    assert job.attempts == 2
    calendar_2027 = parse_calendar_file(TEXT, "2027.toml")
    assert LoadedYear.objects.get().year == calendar_2027.year
    moved = 0
    for case in Case.objects.all():
        one_by_one = compute_case_clock(case, today=today)
        assert (case.due_on, case.due_is_provisional, case.due_note) == (
            one_by_one.due_on,
            one_by_one.provisional,
            one_by_one.note,
        )
        changed = (case.due_on, case.due_is_provisional, case.due_note) != before[case.pk][:3]
        moved += changed
        assert case.version == before[case.pk][3] + changed
        assert AuditEvent.objects.for_object(case).filter(action="case.due_date_changed").count() == changed
        assert case.events.filter(kind=CaseNote.DUE_DATE_CHANGED).count() == changed
    assert moved >= 3 and job.result["moved"] == moved
    assert AuditEvent.objects.filter(action="calendar.year_loaded").count() == 1
    assert run_job(str(job.pk)) == JobStatus.DONE  # finished: a redelivered message does nothing
    assert AuditEvent.objects.filter(action="case.due_date_changed").count() == moved
