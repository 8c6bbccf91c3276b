"""Celery tasks of the cases app. Periodic, on Celery beat (``gongkai remind`` stays the manual
command): the daily T-2/overdue reminders to officers and the retries of applicants' messages
that failed. On demand: sending the applicant's messages of a step, retried with backoff."""

from __future__ import annotations

from celery import shared_task

from gongkai import clock
from gongkai.cases.notifications import DELIVER_TASK, deliver, next_retry, retry_failed_notifications
from gongkai.cases.reminders import send_reminders


@shared_task(name="gongkai.cases.remind")  # type: ignore[misc]
def remind() -> list[str]:
    return send_reminders(today=clock.today(), dry_run=False).lines()


@shared_task(name="gongkai.cases.retry_messages")  # type: ignore[misc]
def retry_messages() -> list[str]:
    return retry_failed_notifications(now=clock.now()).lines()


# Each due retry records an attempt and the attempts are capped, so the chain ends; max_retries
# is a guard against a clock that never lets the backoff pass (beat's periodic retry remains).
@shared_task(name=DELIVER_TASK, bind=True, acks_late=True, max_retries=50)  # type: ignore[misc]
def deliver_messages(self, ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Send the messages ``ids``; those that fail are tried again when their backoff has passed
    (5 min, 10 min, 20 min … at most 6 h), each at most ``NOTIFICATION_MAX_ATTEMPTS`` times in
    all. Safe to run twice: a sent message is never sent again, each attempt is recorded on it."""
    now = clock.now()
    sent = deliver(ids, now=now, only_due=True)
    again = next_retry(ids, now=now)
    if again is not None:
        waiting, seconds = again
        raise self.retry(args=[waiting], countdown=seconds)
    return sent
