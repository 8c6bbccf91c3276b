"""In a real browser: a 本机关管理员 creates a user and hands over the one-time password link, the
new user sets a password and logs in; an officer transfers a case (条例 art 36(5)) and the
receiving agency's officer opens the new case, which names where it came from."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Department
from gongkai.cases.models import CaseTransfer
from tests.factories import TEST_PASSWORD, InProgressCase, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    cache.clear()
    yield
    cache.clear()


def _login(page: Any, base: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_manager_creates_a_user_who_sets_a_password(live_server, browser, page, tree, screenshots) -> None:  # type: ignore[no-untyped-def]
    Department.objects.create(agency=tree.street_a, name="民生保障办公室")
    UserFactory(username="manager_a", agency=tree.street_a, role=Role.MANAGER)
    _login(page, live_server.url, "manager_a")
    page.get_by_role("link", name="人员与科室").click()
    page.get_by_role("link", name="新建用户").click()
    page.get_by_label("用户名").fill("liu_xin")
    page.get_by_label("姓名").fill("刘新")
    page.get_by_label("角色").select_option("officer")
    page.get_by_label("科室").select_option(label="民生保障办公室")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="生成设置密码链接").click()
    link = page.locator("#link").input_value()
    page.screenshot(path=str(screenshots / "staff-1-link.png"), full_page=True)
    assert "/password/set/" in link

    other = browser.new_context(locale="zh-CN").new_page()
    other.goto(link)
    other.get_by_label("新密码", exact=True).fill("Liu-2026-longpass!")
    other.get_by_label("再次输入新密码").fill("Liu-2026-longpass!")
    other.get_by_role("button", name="保存密码").click()
    _login(other, live_server.url, "liu_xin", "Liu-2026-longpass!")
    assert "刘新" in other.locator(".who").inner_text()
    other.goto(link)
    assert "此链接无效" in other.content()
    assert User.objects.get(username="liu_xin").check_password("Liu-2026-longpass!")


def test_the_leader_transfers_and_the_receiver_opens_the_new_case(
    live_server, browser, page, tree, screenshots
) -> None:  # type: ignore[no-untyped-def]
    tree.street_b.phone = "010-66660000"
    tree.street_b.save()
    case = InProgressCase(actor=tree.officer_a)
    # The 36(5) 告知 is an answer: the 负责人 signs it under the default 签批 policy.
    _login(page, live_server.url, "leader_a")
    page.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    page.locator("summary", has_text="转办／告知负责公开的机关").click()
    form = page.locator("form[action$='/act/transfer/']")
    form.locator("[name=to_agency]").select_option(label=tree.street_b.name)
    form.locator("[name=reason]").fill("该信息由乙街道制作并保存。")
    form.get_by_role("button", name="转办／告知负责公开的机关").click()
    page.screenshot(path=str(screenshots / "transfer-1-sent.png"), full_page=True)
    received = CaseTransfer.objects.get(from_case=case).to_case
    assert received is not None and received.number in page.content()

    other = browser.new_context(locale="zh-CN").new_page()
    _login(other, live_server.url, "officer_b")
    other.goto(live_server.url + reverse("cases:desk"))
    other.get_by_role("link", name=received.number).first.click()
    other.screenshot(path=str(screenshots / "transfer-2-received.png"), full_page=True)
    text = other.content()
    assert f"由<strong>{tree.street_a.name}</strong>转送" in text and case.number in text
    assert "该信息由乙街道制作并保存" not in text
