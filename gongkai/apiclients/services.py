"""Use cases of API clients: create (the token shown once), revoke, set the webhook, replay.

Each is audited with who did it; the token and the webhook secret are never recorded.
The actor is a user of ``API_CLIENT_MANAGER_ROLES`` of the client's agency, a system
administrator, or None for the command line (``gongkai api-client``), which runs as the system.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from gongkai.accounts.models import API_CLIENT_MANAGER_ROLES
from gongkai.apiclients import tokens
from gongkai.apiclients.errors import ApiClientError
from gongkai.apiclients.models import ApiClient, WebhookDelivery
from gongkai.apiclients.safety import check_webhook_url
from gongkai.apiclients.webhooks import deliver_soon
from gongkai.audit.services import record
from gongkai.core.api_scopes import DeliveryState, Scope

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency

_NAME = re.compile(r"^[\w\-. ()（）\u4e00-\u9fff]{2,60}$")


class ApiClientAudit(StrEnum):
    CREATED = "api_client.created"
    REVOKED = "api_client.revoked"
    WEBHOOK_SET = "api_client.webhook_set"
    DELIVERY_REPLAYED = "api_client.delivery_replayed"


def may_manage(actor: User | None, agency_id: int) -> bool:
    """True for the command line (None), a system administrator, or a manager of that agency."""
    if actor is None:
        return True
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_system_admin:
        return True
    return actor.role in API_CLIENT_MANAGER_ROLES and actor.agency_id == agency_id


def _require_manager(actor: User | None, agency_id: int) -> None:
    if not may_manage(actor, agency_id):
        raise PermissionDenied("只有本机关负责人或系统管理员可以管理接口客户端")


def parse_scopes(values: list[str]) -> list[str]:
    """The scopes as stored (sorted, each once); an unknown one is refused naming it."""
    known = {s.value for s in Scope}
    wrong = [v for v in values if v not in known]
    if wrong:
        raise ApiClientError(f"权限范围“{'、'.join(wrong)}”不存在；可选：{'、'.join(sorted(known))}")
    if not values:
        raise ApiClientError("权限范围：至少选择一项")
    return sorted(set(values))


@transaction.atomic
def create_client(
    *,
    actor: User | None,
    agency: Agency,
    name: str,
    scopes: list[str],
    now: dt.datetime,
    expires_at: dt.datetime | None = None,
    rate_per_minute: int = 120,
) -> tuple[ApiClient, str]:
    """A new client and its token; the token is returned once and only its digest is stored."""
    _require_manager(actor, agency.pk)
    name = " ".join(name.split())
    if not _NAME.match(name):
        raise ApiClientError("名称：2 至 60 个汉字、字母、数字、空格或 - . ( )")
    if expires_at is not None and expires_at <= now:
        raise ApiClientError("有效期至：应晚于现在")
    if not 1 <= rate_per_minute <= 10000:
        raise ApiClientError("每分钟调用上限：应为 1 至 10000")
    if ApiClient.objects.filter(name=name).exists():
        raise ApiClientError(f"名称“{name}”已被使用")
    token, prefix, token_digest = tokens.new_token()
    client = ApiClient(
        name=name,
        agency=agency,
        scopes=parse_scopes(scopes),
        expires_at=expires_at,
        token_prefix=prefix,
        token_hash=token_digest,
        rate_per_minute=rate_per_minute,
        created_by=actor,
        created_at=now,
    )
    try:
        with transaction.atomic():
            client.save(force_insert=True)
    except IntegrityError:
        raise ApiClientError(f"名称“{name}”已被使用") from None
    record(
        actor=actor,
        action=ApiClientAudit.CREATED,
        target=client,
        changes={"name": name, "scopes": client.scopes, "expires_at": expires_at, "prefix": prefix},
    )
    return client, token


@transaction.atomic
def revoke_client(*, actor: User | None, client: ApiClient, now: dt.datetime) -> ApiClient:
    """Revoke at once: the next call with its token is refused (no cached authentication)."""
    _require_manager(actor, client.agency_id)
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        raise ApiClientError(f"接口客户端“{locked.name}”已于 {locked.revoked_at:%Y-%m-%d %H:%M} 吊销")
    locked.revoked_at = now
    locked.save(update_fields=["revoked_at"])
    WebhookDelivery.objects.filter(client=locked, state=DeliveryState.PENDING).update(
        state=DeliveryState.FAILED, last_error="客户端已吊销", next_attempt_at=None
    )
    record(actor=actor, action=ApiClientAudit.REVOKED, target=locked, changes={"revoked_at": now})
    return locked


@transaction.atomic
def set_webhook(*, actor: User | None, client: ApiClient, url: str, new_secret: bool = False) -> str | None:
    """Set (or clear, with an empty ``url``) the webhook; returns a new secret to show once, if any.

    A first URL gets a secret; ``new_secret`` rotates it (the old one stops signing at once).
    """
    _require_manager(actor, client.agency_id)
    url = url.strip()
    if url:
        check_webhook_url(url)
    locked = ApiClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        raise ApiClientError(f"接口客户端“{locked.name}”已吊销")
    secret = None
    if url and (new_secret or not locked.webhook_secret):
        secret = tokens.new_webhook_secret()
        locked.webhook_secret = secret
    locked.webhook_url = url
    locked.save(update_fields=["webhook_url", "webhook_secret"])
    record(
        actor=actor,
        action=ApiClientAudit.WEBHOOK_SET,
        target=locked,
        changes={"webhook_url": url, "webhook_secret": "（已更换，内容不记录）" if secret else "（未更换）"},
    )
    return secret


@transaction.atomic
def replay_delivery(*, actor: User | None, delivery: WebhookDelivery, now: dt.datetime) -> WebhookDelivery:
    """Send a delivery again from the start (a new round of attempts), whatever its state."""
    _require_manager(actor, delivery.client.agency_id)
    if delivery.client.revoked_at is not None:
        raise ApiClientError(f"接口客户端“{delivery.client.name}”已吊销，不能重新投递")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, attempts=0, next_attempt_at=now, last_error=""
    )
    delivery.refresh_from_db()
    record(
        actor=actor,
        action=ApiClientAudit.DELIVERY_REPLAYED,
        target=delivery.client,
        changes={"delivery": delivery.pk, "event": delivery.event},
    )
    deliver_soon()
    return delivery
