"""Webhook retry policy and the scopes' table (gongkai.core.api_scopes), without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.api_scopes import EVENT_SCOPES, MAX_ATTEMPTS, Scope, WebhookEvent, next_attempt

NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (1, dt.timedelta(seconds=30)),
        (2, dt.timedelta(minutes=1)),
        (3, dt.timedelta(minutes=2)),
        (4, dt.timedelta(minutes=4)),
        (7, dt.timedelta(minutes=32)),
        (MAX_ATTEMPTS, None),
        (MAX_ATTEMPTS + 3, None),
    ],
)
def test_backoff(attempts: int, wait: dt.timedelta | None) -> None:
    assert next_attempt(attempts, NOW) == (None if wait is None else NOW + wait)


def test_every_event_names_its_scope_and_label() -> None:
    assert set(EVENT_SCOPES) == set(WebhookEvent)
    assert all(event.label for event in WebhookEvent) and all(scope.label for scope in Scope)
    assert EVENT_SCOPES[WebhookEvent.REPORT_PUBLISHED] is Scope.REPORTS_READ
