"""A citizen and an officer in a real browser: apply online, confirm, see the due date; search;
a 涉密 item never appears."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.cases.models import Case
from gongkai.core.case_flow import Status as CaseStatus
from gongkai.publications import services
from gongkai.publications.models import Category
from tests.factories import TEST_PASSWORD
from tests.publications.helpers import make_classified, make_published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def catalogue(tree) -> dict[str, Category]:  # type: ignore[no-untyped-def]
    return {c.name: c for c in services.seed_catalogue(actor=tree.officer_a, agency=tree.street_a)}


def test_apply_confirm_and_see_the_due_date(live_server, page, tree) -> None:  # type: ignore[no-untyped-def]
    # The citizen finds the form from the home page, with the keyboard-reachable links.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="依申请公开").first.click()
    page.get_by_role("link", name=tree.street_a.name).click()
    assert page.get_by_role("heading", name="政府信息公开申请").is_visible()
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("身份证明号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("所需政府信息的名称或特征性描述").fill("请公开2023年老旧小区综合整治项目的实施方案。")
    page.get_by_role("button", name="提交申请").click()
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    case = Case.objects.get(tracking_code=code)
    assert case.status == CaseStatus.AWAITING_CONFIRMATION

    # Before confirmation the status page says so.
    page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("联系电话后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    assert page.locator("#case-status").inner_text() == "待确认收到"

    # The officer logs in and confirms receipt (条例 art 31(3)).
    officer = page.context.browser.new_context(locale="zh-CN").new_page()
    officer.goto(live_server.url + reverse("login"))
    officer.get_by_label("用户名").fill(tree.officer_a.username)
    officer.get_by_label("密码").fill(TEST_PASSWORD)
    officer.get_by_role("button", name="登录").click()
    officer.goto(live_server.url + reverse("cases:desk"))
    officer.get_by_role("link", name=case.number).first.click()
    officer.locator("summary", has_text="确认收到申请").click()
    officer.get_by_role("button", name="确认收到申请").click()
    officer.context.close()
    case.refresh_from_db()
    assert case.status != CaseStatus.AWAITING_CONFIRMATION and case.due_on is not None

    # The citizen now sees the receipt date and the due date.
    page.goto(live_server.url + reverse("portal:track") + f"?code={code}")
    page.get_by_label("联系电话后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    due = page.locator("#due-on").inner_text()
    assert f"{case.due_on.year}年{case.due_on.month}月{case.due_on.day}日" in due


def test_search_finds_a_published_item_and_never_a_classified_one(
    live_server, page, tree, catalogue, screenshots: Path
) -> None:  # type: ignore[no-untyped-def]
    item = make_published(
        tree,
        catalogue,
        title="果园街道2023年部门预算公开说明",
        formed_on=dt.date(2023, 2, 1),
        body="<p>一般公共预算财政拨款支出情况。</p><table><tr><th>项目</th><th>金额（万元）</th></tr>"
        "<tr><td>社区建设</td><td>120.5</td></tr></table>",
    )
    secret = make_classified(tree, catalogue, title="果园街道重点时期维稳预算安排", document_number="")
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.screenshot(path=str(screenshots / "portal-home.png"), full_page=True)
    search = page.get_by_label("检索政府信息")
    search.fill("预算")  # two characters, inside longer words
    search.press("Enter")
    results = page.locator("ul.items li")
    assert "找到 1 条" in page.locator("#results-h").inner_text()
    assert results.first.inner_text().startswith("果园街道2023年部门预算公开说明")
    assert "维稳" not in page.content()
    results.first.get_by_role("link").click()
    assert page.get_by_role("heading", level=1).inner_text() == item.title
    assert item.index_number in page.content()
    page.screenshot(path=str(screenshots / "portal-item.png"), full_page=True)

    # The 涉密 item: not found by its own words, not listed, not reachable by URL.
    page.goto(live_server.url + reverse("portal:search") + "?q=维稳")
    assert "找到 0 条" in page.locator("#results-h").inner_text()
    page.goto(live_server.url + reverse("portal:catalogue", args=[tree.street_a.code]))
    assert secret.title not in page.content()
    response = page.goto(live_server.url + reverse("portal:item", args=[secret.pk]))
    assert response is not None and response.status == 404


def test_portal_is_usable_on_a_phone_without_javascript(live_server, browser, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="社区便民服务指南")
    url = live_server.url + reverse("portal:agency", args=[tree.street_a.code])
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    tab = phone.new_page()
    tab.goto(url)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    phone.close()

    no_js = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740}, locale="zh-CN")
    tab = no_js.new_page()
    tab.goto(url)
    tab.get_by_label("检索政府信息").fill("便民")
    tab.get_by_role("button", name="检索").first.click()
    tab.wait_for_url("**/search/**")
    tab.wait_for_load_state()  # content() reads an empty document while the results page loads
    assert "社区便民服务指南" in tab.content()
    tab.keyboard.press("Tab")  # the first tab stop is the skip link
    assert tab.locator("a.skip").inner_text() == "跳到正文"
    no_js.close()
