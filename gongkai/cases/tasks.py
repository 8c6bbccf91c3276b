"""Periodic work of the cases app on Celery beat (``gongkai remind`` stays the manual command):
the daily T-2/overdue reminders to officers and the retries of applicants' messages that failed."""

from __future__ import annotations

from celery import shared_task

from gongkai import clock
from gongkai.cases.notifications import retry_failed_notifications
from gongkai.cases.reminders import send_reminders


@shared_task(name="gongkai.cases.remind")  # type: ignore[misc]
def remind() -> list[str]:
    return send_reminders(today=clock.today(), dry_run=False).lines()


@shared_task(name="gongkai.cases.retry_messages")  # type: ignore[misc]
def retry_messages() -> list[str]:
    return retry_failed_notifications(now=clock.now()).lines()
