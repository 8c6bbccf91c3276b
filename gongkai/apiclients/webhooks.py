"""Webhooks: events into the outbox in the write's own transaction, then signed deliveries.

The domain apps know nothing of this module: ``apps.ApiClientsConfig.ready`` connects the
receivers below to their models' ``post_save`` (a case's timeline entry with a new status, a
letter, a delivery with a date of receipt, a published report). Each receiver writes one
:class:`WebhookDelivery` per client of the object's agency that has a webhook and the event's
scope, in the same transaction as the change: a rolled-back change sends nothing, and a change
that commits is never lost. After the commit a background thread sends what is due; the command
``gongkai webhooks deliver`` (and later a Celery beat) calls the same :func:`deliver_due_webhooks`.

Each request is a POST of the JSON payload, signed with the client's secret:
``X-Gongkai-Signature: v1=<hex HMAC-SHA256 over "<X-Gongkai-Timestamp>.<body>">``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gongkai.apiclients import tokens
from gongkai.apiclients.errors import ApiClientError
from gongkai.apiclients.models import ApiClient, IdempotentSubmission, WebhookDelivery
from gongkai.apiclients.safety import check_webhook_url
from gongkai.core.api_scopes import EVENT_SCOPES, DeliveryState, WebhookEvent, next_attempt

log = logging.getLogger(__name__)

#: Seconds a receiver has to answer.
TIMEOUT = 5
#: Deliveries sent per run of :func:`deliver_due_webhooks`.
BATCH = 100


def _subscribers(event: WebhookEvent, agency_id: int) -> list[ApiClient]:
    scope = EVENT_SCOPES[event]
    clients = ApiClient.objects.active().filter(agency_id=agency_id).exclude(webhook_url="")
    return [c for c in clients if scope is None or scope.value in c.scope_set]


def enqueue(event: WebhookEvent, *, agency_id: int, key: str, data: dict[str, Any], case_id: int | None = None) -> int:
    """Put ``event`` in the outbox of every subscribed client of the agency (once per ``key``).

    Returns how many deliveries were written. Call inside the change's transaction.
    """
    written = 0
    for client in _subscribers(event, agency_id):
        body = dict(data)
        payload: dict[str, Any] = {
            "event": event.value,
            "occurred_at": timezone.now().isoformat(),
            "agency": client.agency.code,
            "data": body,
        }
        if case_id is not None:
            reference = (
                IdempotentSubmission.objects.filter(client=client, case_id=case_id)
                .values_list("source_reference", flat=True)
                .first()
            )
            if reference is not None:
                body["source_reference"] = reference
        try:
            with transaction.atomic():
                WebhookDelivery.objects.create(
                    client=client,
                    event=event.value,
                    dedup_key=key[:120],
                    payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:
            continue  # this event was already queued for this client
        written += 1
    if written:
        transaction.on_commit(deliver_soon)
    return written


def ping(client: ApiClient) -> WebhookDelivery:
    """A test event to the client's webhook (the back office's "发送测试事件")."""
    if not client.webhook_url:
        raise ApiClientError(f"接口客户端“{client.name}”没有回调地址")
    delivery = WebhookDelivery.objects.create(
        client=client,
        event=WebhookEvent.PING.value,
        dedup_key=f"ping:{uuid.uuid4().hex}",
        payload={"event": WebhookEvent.PING.value, "occurred_at": timezone.now().isoformat(), "data": {}},
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(deliver_soon)
    return delivery


# --- sending -------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an invitation: following it could reach an internal host."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def signed_request(delivery: WebhookDelivery, *, now: dt.datetime) -> urllib.request.Request:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "gongkai-webhooks/1",
        "X-Gongkai-Event": delivery.event,
        "X-Gongkai-Delivery": str(delivery.pk),
        "X-Gongkai-Timestamp": timestamp,
        "X-Gongkai-Signature": tokens.sign(delivery.client.webhook_secret, timestamp, body),
    }
    return urllib.request.Request(delivery.client.webhook_url, data=body, headers=headers, method="POST")  # noqa: S310


def _send(delivery: WebhookDelivery, *, now: dt.datetime) -> tuple[int | None, str]:
    """POST one delivery: ``(status, error)``; a 2xx is success."""
    try:
        check_webhook_url(delivery.client.webhook_url)  # again at sending: DNS may have changed
    except ApiClientError as exc:
        return None, str(exc)
    try:
        with _OPENER.open(signed_request(delivery, now=now), timeout=TIMEOUT) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"接收方答复 HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"无法连接：{reason}"[:300]


def deliver_due_webhooks(*, now: dt.datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Send every pending delivery whose time has come; back off and retry the failures.

    Each delivery is claimed in a short transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on
    PostgreSQL) so two workers never send one twice at once. Returns counts by outcome.
    """
    moment = now or timezone.now()
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    due = WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=moment)
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            claim = WebhookDelivery.objects.filter(pk=pk, state=DeliveryState.PENDING, next_attempt_at__lte=moment)
            if connection.features.has_select_for_update_skip_locked:
                claim = claim.select_for_update(skip_locked=True)
            delivery = claim.select_related("client").first()
            if delivery is None:
                continue
            # Hold the row by moving its next attempt past this run while it is being sent.
            WebhookDelivery.objects.filter(pk=pk).update(next_attempt_at=moment + dt.timedelta(seconds=TIMEOUT * 6))
        status, error = _send(delivery, now=moment)
        attempts = delivery.attempts + 1
        if status is not None and 200 <= status < 300:
            changes = {"state": DeliveryState.DELIVERED, "delivered_at": moment, "next_attempt_at": None}
            counts["delivered"] += 1
        else:
            retry_at = next_attempt(attempts, moment)
            if retry_at is None:
                changes = {"state": DeliveryState.FAILED, "next_attempt_at": None}
                counts["failed"] += 1
            else:
                changes = {"next_attempt_at": retry_at}
                counts["retry"] += 1
        WebhookDelivery.objects.filter(pk=pk).update(
            attempts=attempts, last_status=status, last_error=error[:300], **changes
        )
    return counts


_lock = threading.Lock()


def _run_in_background() -> None:
    try:
        with _lock:
            deliver_due_webhooks()
    except Exception:  # a background sender must never take the process down
        log.exception("webhook delivery failed")
    finally:
        connection.close()


def deliver_soon() -> None:
    """After a commit: send what is due in a background thread (``WEBHOOK_BACKGROUND``), so a
    receiver hears of a change within seconds; ``gongkai webhooks deliver`` retries the rest."""
    if getattr(settings, "WEBHOOK_BACKGROUND", True):
        threading.Thread(target=_run_in_background, name="gongkai-webhooks", daemon=True).start()
