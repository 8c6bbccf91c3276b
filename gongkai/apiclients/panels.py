"""Home-page panel for whoever manages the agency's API clients: the clients and failed deliveries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.apiclients.models import ApiClient, WebhookDelivery
from gongkai.apiclients.services import may_manage
from gongkai.core.api_scopes import DeliveryState
from gongkai.web.panels import Panel


def panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated or not (user.is_system_admin or may_manage(user, user.agency_id or 0)):
        return []
    clients = ApiClient.objects.managed_by(user)
    context = {
        "active": clients.active().count(),
        "failed": WebhookDelivery.objects.filter(client__in=clients, state=DeliveryState.FAILED).count(),
    }
    return [Panel(title="接口客户端", template="apiclients/panel.html", context=context, order=90)]
