"""The optional applicant account in a real browser (issue 12 item 4): sign in with a phone on
record and the SMS code, see the applications at two agencies (not a neighbour's), open one
without the second factor, sign out; the same with JavaScript off and in the large-text mode."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.notifications import sms
from gongkai.portal.display import COOKIE
from tests.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()


def _last_code() -> str:
    found = re.search(r"验证码为 (\d{6})", sms.outbox[-1].text)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(("mode", "javascript"), [("normal", True), ("large", False)])
def test_sign_in_list_open_and_sign_out(  # type: ignore[no-untyped-def]
    live_server, browser, tree, screenshots, mode, javascript
) -> None:
    mine_a = CaseFactory(actor=tree.officer_a, phone="139-1234-5678", email="")
    mine_b = CaseFactory(actor=tree.officer_b, phone="+86 13912345678", email="")
    neighbour = CaseFactory(actor=tree.officer_a, phone="13912345679", email="")
    base = live_server.url
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1100, "height": 900}, java_script_enabled=javascript
    )
    context.set_default_timeout(15_000)
    if mode == "large":
        context.add_cookies([{"name": COOKIE, "value": "large", "url": base}])
    page = context.new_page()
    page.goto(base + reverse("portal:index"))
    page.get_by_role("link", name="我的申请").click()
    assert page.url.endswith(reverse("portal:account_login"))
    page.get_by_label("手机号码或电子邮箱").fill("139 1234 5678")
    page.get_by_role("button", name="获取验证码").click()
    assert "验证码已发送" in page.locator("#notice").inner_text()
    page.screenshot(path=str(screenshots / f"account-code-{mode}.png"), full_page=True)
    page.get_by_label("验证码").fill(_last_code())
    page.get_by_role("button", name="登录", exact=True).click()
    main = page.locator("main").inner_text()
    assert mine_a.number in main and mine_b.number in main and neighbour.number not in main
    assert tree.street_a.name in main and tree.street_b.name in main
    page.screenshot(path=str(screenshots / f"account-list-{mode}.png"), full_page=True)
    page.get_by_role("link", name=mine_b.number, exact=True).click()
    assert "办理进度" in page.locator("h1").inner_text() and mine_b.number in page.locator("main").inner_text()
    page.locator("#back-to-account").click()
    page.get_by_role("button", name="退出登录").click()
    assert page.url.endswith(reverse("portal:account_login"))
    page.goto(base + reverse("portal:track_case"))
    assert page.url.endswith(reverse("portal:track"))  # the opened case left with the account
    context.close()
