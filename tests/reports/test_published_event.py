"""API clients hear of a published annual report once per version (``report.published``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.apiclients.models import WebhookDelivery
from gongkai.apiclients.services import set_webhook
from gongkai.reports import services
from gongkai.reports.models import ReportLocked
from tests.api.helpers import token_for

pytestmark = pytest.mark.django_db


def test_publishing_a_signed_report_is_one_event(tree: Any, signed: Any, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE, settings.WEBHOOK_BACKGROUND = True, False
    api_client, _ = token_for(tree.street_a, "reports:read")
    set_webhook(actor=None, client=api_client, url="http://127.0.0.1:9/hook")
    assert not WebhookDelivery.objects.filter(event="report.published").exists()  # signing is not publishing
    published = services.publish(actor=tree.officer_a, record=signed, now=dt.datetime(2024, 1, 20, 9, tzinfo=dt.UTC))
    sent = WebhookDelivery.objects.filter(event="report.published")
    assert sent.count() == 1
    data = sent.get().payload["data"]
    assert (data["report_id"], data["year"], data["version"]) == (published.pk, 2023, 1)
    with pytest.raises(ReportLocked, match="已发布，不能修改"):  # and a published version is never saved again
        published.save()


def test_another_agencys_client_and_one_without_the_scope_hear_nothing(tree: Any, signed: Any, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE, settings.WEBHOOK_BACKGROUND = True, False
    other_client, _ = token_for(tree.street_b, "reports:read")
    set_webhook(actor=None, client=other_client, url="http://127.0.0.1:9/hook")
    cases_only, _ = token_for(tree.street_a, "cases:read", name="只读案件")
    set_webhook(actor=None, client=cases_only, url="http://127.0.0.1:9/hook")
    services.publish(actor=tree.officer_a, record=signed)
    assert not WebhookDelivery.objects.filter(event="report.published").exists()
