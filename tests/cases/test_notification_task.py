"""Sending the applicant's messages as a Celery task: handed to the broker when one is set (else
sent in this process at once), retried with exponential backoff, at most NOTIFICATION_MAX_ATTEMPTS
attempts, each attempt recorded on the message; a sent message is never sent twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from gongkai import clock
from gongkai.cases import notifications, tasks
from gongkai.cases.choices import MessageStatus
from gongkai.cases.models import ApplicantMessage
from gongkai.jobs import celery as celery_module
from gongkai.notifications import sms
from tests.portal.test_applicant_page import online_case

pytestmark = pytest.mark.django_db


class Retried(Exception):
    def __init__(self, **options: Any) -> None:
        self.options = options


@pytest.fixture
def retries(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The task's ``self.retry`` calls (instead of a broker message)."""
    seen: list[dict[str, Any]] = []

    def retry(**options: Any) -> Retried:
        seen.append(options)
        return Retried(**options)

    monkeypatch.setattr(tasks.deliver_messages, "retry", retry)
    return seen


def _sms_of(case: Any) -> Any:
    return ApplicantMessage.objects.filter(case=case, channel="sms").order_by("pk").first()


def test_with_a_broker_messages_go_to_the_worker_not_out_of_the_web_process(
    tree: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND = "memory"
    settings.JOBS_EAGER, settings.CELERY_BROKER_URL = False, "redis://127.0.0.1:6379/15"
    sent: list[tuple[str, Any]] = []
    monkeypatch.setattr(celery_module.app, "send_task", lambda name, args, queue: sent.append((name, args)))
    sms.outbox.clear()
    case = online_case(tree, django_capture_on_commit_callbacks)
    assert sms.outbox == []  # nothing sent by the web process
    assert sent and {name for name, _ in sent} == {notifications.DELIVER_TASK}
    queued = {pk for _, (ids,) in sent for pk in ids}
    assert queued == set(case.messages.values_list("pk", flat=True))
    assert {m.status for m in case.messages.all()} == {MessageStatus.QUEUED}


def test_without_a_broker_they_are_sent_at_once(
    tree: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND, settings.CELERY_BROKER_URL = "memory", ""
    sms.outbox.clear()
    case = online_case(tree, django_capture_on_commit_callbacks)
    assert {m.status for m in case.messages.all()} == {MessageStatus.SENT} and sms.outbox


def test_the_task_retries_with_backoff_until_the_cap(
    tree: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    retries: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.SMS_BACKEND, settings.NOTIFICATION_MAX_ATTEMPTS = "disabled", 3
    case = online_case(tree, django_capture_on_commit_callbacks)  # sent in-process: attempt 1 failed
    message = _sms_of(case)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    moment = timezone.now()
    monkeypatch.setattr(clock, "now", lambda: moment)

    with pytest.raises(Retried):  # not due yet: no attempt, a retry when the backoff has passed
        tasks.deliver_messages.run([message.pk])
    message.refresh_from_db()
    assert message.attempts == 1 and retries[-1]["args"] == [[message.pk]]
    assert abs(retries[-1]["countdown"] - (message.next_attempt_at - moment).total_seconds()) < 1

    waits = []
    for attempt in (2, 3):
        moment = message.next_attempt_at  # the backoff has passed
        waits.append(notifications.backoff(attempt - 1))
        try:
            tasks.deliver_messages.run([message.pk])
        except Retried:
            assert attempt < 3
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.FAILED, attempt)
    assert waits == [dt.timedelta(minutes=5), dt.timedelta(minutes=10)]  # doubling
    # Out of attempts: the task ends without a retry, the periodic retry leaves it too.
    moment = message.next_attempt_at + dt.timedelta(days=1)
    retried = len(retries)
    assert tasks.deliver_messages.run([message.pk]) == 0 and len(retries) == retried
    notifications.retry_failed_notifications(now=moment)  # (it retries the case's other message)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)


def test_a_sent_message_is_never_sent_again(
    tree: Any, settings: Any, retries: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    case = online_case(tree, django_capture_on_commit_callbacks)
    ids = list(case.messages.values_list("pk", flat=True))
    before = len(sms.outbox)
    assert tasks.deliver_messages.run(ids) == 0  # a redelivered task
    assert len(sms.outbox) == before and retries == []
    assert {m.attempts for m in case.messages.all()} == {1}


def test_backoff_doubles_and_is_capped() -> None:
    assert [notifications.backoff(n) for n in (1, 2, 3)] == [
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=10),
        dt.timedelta(minutes=20),
    ]
    assert notifications.backoff(30) == notifications.RETRY_CAP
