"""Home-page panel of 主动公开 (registered with gongkai.web.panels): what waits for review or publication."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from gongkai.accounts.models import AGENCY_STAFF_ROLES
from gongkai.core.publication_flow import ItemStatus
from gongkai.publications.models import Item
from gongkai.web.panels import Panel


def panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated or user.role not in AGENCY_STAFF_ROLES or user.agency_id is None:
        return []
    counts = dict(
        Item.objects.filter(
            agency_id=user.agency_id, status__in=[ItemStatus.DRAFT, ItemStatus.PENDING_REVIEW, ItemStatus.CLEARED]
        )
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    context = {
        "drafts": counts.get(ItemStatus.DRAFT.value, 0),
        "pending": counts.get(ItemStatus.PENDING_REVIEW.value, 0),
        "cleared": counts.get(ItemStatus.CLEARED.value, 0),
    }
    return [Panel("主动公开", "publications/panel.html", context, order=20)]
