"""The back office's API client pages in a real browser (issue 18): a leader creates a client and
sees the token once, sets a webhook, sends a test event, reads the delivery log, replays, revokes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from gongkai.apiclients import tokens
from gongkai.apiclients.models import ApiClient, WebhookDelivery
from gongkai.apiclients.webhooks import deliver_due_webhooks
from tests.api.helpers import receiver
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_leader_manages_a_client(live_server: Any, page: Any, tree: Any, settings: Any, screenshots: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE, settings.WEBHOOK_BACKGROUND = True, False
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(tree.leader_a.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + reverse("backoffice:home"))
    page.get_by_role("link", name="管理接口客户端（令牌、回调）").click()

    page.get_by_label("名称").fill("12345热线")
    page.get_by_label("cases:read：读取本机关的依申请公开案件（个人信息遮蔽）").check()
    page.get_by_role("button", name="新建并生成令牌").click()
    token = page.locator("#token").input_value()
    page.screenshot(path=str(screenshots / "api-client-created.png"), full_page=True)
    client = ApiClient.objects.get(name="12345热线")
    assert client.agency == tree.street_a and client.token_hash == tokens.digest(token)
    page.reload()  # the token is not shown again: the answer was the POST's own
    assert token not in page.content()

    with receiver() as (url, got):
        page.goto(live_server.url + reverse("apiclients:detail", args=[client.pk]))
        page.get_by_label("回调地址").fill(url)
        page.get_by_role("button", name="保存回调地址").click()
        assert page.locator("#secret").input_value().startswith("whsec_")
        page.goto(live_server.url + reverse("apiclients:detail", args=[client.pk]))
        assert page.locator("#secret").count() == 0
        got.answers = [500]
        page.get_by_role("button", name="发送测试事件").click()
        deliver_due_webhooks()
        page.reload()
        assert "HTTP 500" in page.locator("table").first.inner_text()
        page.get_by_role("button", name="重新投递").first.click()
        deliver_due_webhooks()
        page.reload()
        page.screenshot(path=str(screenshots / "api-client-deliveries.png"), full_page=True)
    assert len(got.requests) == 2
    assert WebhookDelivery.objects.get().state == "delivered"

    page.get_by_role("button", name="吊销（令牌立即失效）").click()
    assert "已吊销" in page.content()
    assert ApiClient.objects.get(pk=client.pk).revoked_at is not None


def test_officer_may_not_open_the_pages(live_server: Any, page: Any, tree: Any) -> None:
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(tree.officer_a.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(live_server.url + reverse("backoffice:home"))
    assert page.goto(live_server.url + reverse("apiclients:index")).status == 403
