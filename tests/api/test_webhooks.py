"""Webhooks (issue 18 #3): the outbox, signed deliveries to a local receiver, retries, replay."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

import pytest
from django.utils import timezone

from gongkai.apiclients import services
from gongkai.apiclients.errors import ApiClientError
from gongkai.apiclients.models import WebhookDelivery
from gongkai.apiclients.webhooks import deliver_due_webhooks
from gongkai.cases import services as case_services
from gongkai.core.api_scopes import FIRST_BACKOFF, MAX_ATTEMPTS, next_attempt
from tests.api.helpers import body_of, receiver, token_for
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _loopback(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    settings.WEBHOOK_BACKGROUND = False  # the tests call deliver_due_webhooks themselves


def subscribed(tree: Any, url: str, *scopes: str, name: str = "12345热线") -> tuple[Any, str]:
    client, _ = token_for(tree.street_a, *(scopes or ("cases:read",)), name=name)
    secret = services.set_webhook(actor=None, client=client, url=url)
    assert secret is not None
    client.refresh_from_db()
    return client, secret


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What docs/api.md tells a receiver to do."""
    expected = hmac.new(secret.encode(), headers["X-Gongkai-Timestamp"].encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("v1=" + expected.hexdigest(), headers["X-Gongkai-Signature"])


def test_status_change_reaches_the_receiver_signed(tree: Any) -> None:
    with receiver() as (url, got):
        client, secret = subscribed(tree, url)
        case = CaseFactory(actor=tree.officer_a)
        case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
        CaseFactory(actor=tree.officer_b)  # another agency's case: nothing for this client
        assert deliver_due_webhooks() == {"delivered": 1, "retry": 0, "failed": 0}
    [request] = got.requests
    headers, raw = request
    assert verify(secret, headers, raw)
    assert not verify("whsec_wrong", headers, raw)
    body = body_of(request)
    assert headers["X-Gongkai-Event"] == body["event"] == "case.status_changed"
    assert body["data"]["case_id"] == case.pk and body["data"]["status"] == "in_progress"
    assert body["agency"] == tree.street_a.code
    delivery = WebhookDelivery.objects.get(client=client)
    assert headers["X-Gongkai-Delivery"] == str(delivery.pk)
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)


def test_no_personal_data_in_events(tree: Any) -> None:
    with receiver() as (url, got):
        subscribed(tree, url)
        case = CaseFactory(actor=tree.officer_a, applicant_name="李四", phone="13900001111")
        case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
        deliver_due_webhooks()
    raw = got.requests[0][1].decode()
    assert "李四" not in raw and "13900001111" not in raw


def test_a_500_is_retried_with_backoff(tree: Any) -> None:
    with receiver() as (url, got):
        subscribed(tree, url)
        got.answers = [500]
        case = CaseFactory(actor=tree.officer_a)
        case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
        now = timezone.now()
        assert deliver_due_webhooks(now=now) == {"delivered": 0, "retry": 1, "failed": 0}
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
        assert delivery.next_attempt_at == now + FIRST_BACKOFF
        assert deliver_due_webhooks(now=now + dt.timedelta(seconds=5))["retry"] == 0  # not yet due
        assert deliver_due_webhooks(now=now + FIRST_BACKOFF)["delivered"] == 1
    assert len(got.requests) == 2
    assert got.requests[0][1] == got.requests[1][1]  # the same event, the same body
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 2)


def test_backoff_doubles_and_gives_up() -> None:
    now = timezone.now()
    waits = [next_attempt(n, now) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits[-1] is None
    gaps = [(w - now).total_seconds() for w in waits[:-1] if w is not None]
    assert gaps[:4] == [30, 60, 120, 240] and gaps == sorted(gaps)


def test_gives_up_after_max_attempts_then_replay_sends_again(tree: Any) -> None:
    with receiver() as (url, got):
        subscribed(tree, url)
        got.answers = [503] * MAX_ATTEMPTS
        case = CaseFactory(actor=tree.officer_a)
        case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
        moment = timezone.now()
        for _ in range(MAX_ATTEMPTS):
            deliver_due_webhooks(now=moment)
            moment += dt.timedelta(days=1)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts) == ("failed", MAX_ATTEMPTS)
        services.replay_delivery(actor=tree.leader_a, delivery=delivery, now=moment)
        assert deliver_due_webhooks(now=moment)["delivered"] == 1
    assert len(got.requests) == MAX_ATTEMPTS + 1
    delivery.refresh_from_db()
    assert delivery.state == "delivered"


def test_scope_decides_which_events_a_client_hears(tree: Any) -> None:
    with receiver() as (url, _got):
        subscribed(tree, url, "reports:read")
        case = CaseFactory(actor=tree.officer_a)
        case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
        assert deliver_due_webhooks()["delivered"] == 0
    assert not WebhookDelivery.objects.exists()


def test_unreachable_receiver_is_an_error_not_a_crash(tree: Any) -> None:
    with receiver() as (url, _got):
        pass  # closed again: nothing listens there now
    subscribed(tree, url)
    case = CaseFactory(actor=tree.officer_a)
    case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
    assert deliver_due_webhooks()["retry"] == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status is None and "无法连接" in delivery.last_error


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://user:pw@example.org/",
        "javascript:alert(1)",
    ],
)
def test_unsafe_urls_are_refused_always(tree: Any, url: str) -> None:
    client, _ = token_for(tree.street_a, "cases:read")
    with pytest.raises(ApiClientError, match="回调地址"):
        services.set_webhook(actor=None, client=client, url=url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://[::1]/hook"])
def test_private_addresses_refused_unless_allowed(tree: Any, settings: Any, url: str) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = False
    client, _ = token_for(tree.street_a, "cases:read")
    with pytest.raises(ApiClientError, match="内网或本机"):
        services.set_webhook(actor=None, client=client, url=url)


def test_a_redirect_is_not_followed(tree: Any) -> None:
    with receiver() as (url, got):
        subscribed(tree, url)
        got.answers = [302]
        case = CaseFactory(actor=tree.officer_a)
        case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
        assert deliver_due_webhooks()["retry"] == 1
    assert len(got.requests) == 1
    assert WebhookDelivery.objects.get().last_status == 302


def test_revoking_stops_pending_deliveries(tree: Any) -> None:
    with receiver() as (url, got):
        client, _ = subscribed(tree, url)
        case = CaseFactory(actor=tree.officer_a)
        case_services.start_processing(actor=tree.officer_a, case=case, today=TODAY)
        services.revoke_client(actor=None, client=client, now=timezone.now())
        assert deliver_due_webhooks()["delivered"] == 0
    assert not got.requests
