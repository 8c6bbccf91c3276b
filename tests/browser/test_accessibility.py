"""适老化 and accessibility of the citizen pages (issue 12 item 8), in a real browser.

axe-core (vendored, MPL-2.0, ``vendor/axe-core``) is injected into each page as a same-origin
script, so the strict Content-Security-Policy (``script-src 'self'``) still holds: Playwright
answers ``/__axe__.js`` from the vendored file. Every page is scanned in the normal and in the
large-text / high-contrast mode; no violation of impact serious or critical may remain.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai import clock
from gongkai.cases import services
from gongkai.cases.models import Case
from gongkai.notifications import sms
from gongkai.portal.display import COOKIE
from gongkai.publications import services as publications
from tests.publications.helpers import make_published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_PATH = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary)}));
}"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def serious_violations(page: Any, base: str) -> list[dict[str, Any]]:
    page.route("**/__axe__.js", lambda route: route.fulfill(path=str(AXE_PATH), content_type="application/javascript"))
    page.add_script_tag(url=base + "/__axe__.js")
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return [v for v in found if v["impact"] in ("serious", "critical")]


def apply_online(page: Any, base: str, code: str) -> str:
    page.goto(base + reverse("portal:apply", args=[code]))
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("身份证明号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("所需政府信息的名称或特征性描述").fill("请公开2023年老旧小区综合整治项目的实施方案。")
    page.get_by_role("button", name="提交申请").click()
    return str(page.locator("#tracking-code").inner_text().strip())


@pytest.mark.parametrize("mode", ["normal", "large"])
def test_axe_finds_no_serious_violation_on_the_citizen_pages(  # type: ignore[no-untyped-def]
    live_server, browser, tree, mode, screenshots
) -> None:
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    if mode == "large":
        context.add_cookies([{"name": COOKIE, "value": "large", "url": base}])
    page = context.new_page()
    agency = tree.street_a.code
    catalogue = {c.name: c for c in publications.seed_catalogue(actor=tree.officer_a, agency=tree.street_a)}
    item = make_published(
        tree,
        catalogue,
        title="果园街道2023年部门预算公开说明",
        formed_on=dt.date(2023, 2, 1),
        body="<p>一般公共预算财政拨款支出情况。</p><table><tr><th>项目</th><th>金额（万元）</th></tr>"
        "<tr><td>社区建设</td><td>120.5</td></tr></table>",
    )
    pages = {
        "home": reverse("portal:index"),
        "agency": reverse("portal:agency", args=[agency]),
        "search": reverse("portal:search") + "?q=预算",
        "item": reverse("portal:item", args=[item.pk]),
        "guide": reverse("portal:guide", args=[agency]),
        "apply": reverse("portal:apply", args=[agency]),
        "track": reverse("portal:track"),
    }
    report: dict[str, list[dict[str, Any]]] = {}
    for name, path in pages.items():
        page.goto(base + path)
        assert ("large-mode" in (page.locator("body").get_attribute("class") or "")) == (mode == "large")
        report[name] = serious_violations(page, base)
        if name == "search":
            assert "果园街道2023年部门预算公开说明" in page.locator("main").inner_text()
    # The applicant's own pages: the receipt after applying, then the tracking result.
    code = apply_online(page, base, agency)
    report["apply_done"] = serious_violations(page, base)
    case = Case.objects.get(tracking_code=code)
    services.confirm_online_application(actor=tree.officer_a, case=case, today=clock.today())
    page.goto(base + reverse("portal:track") + f"?code={code}")
    page.get_by_label("联系电话后四位").fill("5678")
    page.get_by_role("button", name="查询", exact=True).click()
    assert "办理进度" in page.locator("main").inner_text()
    report["track_result"] = serious_violations(page, base)
    page.screenshot(path=str(screenshots / f"a11y-track-{mode}.png"), full_page=True)
    # The applicant account: the sign-in form, the code form, the list of applications.
    page.goto(base + reverse("portal:account_login"))
    report["account_login"] = serious_violations(page, base)
    page.get_by_label("手机号码或电子邮箱").fill("13912345678")
    page.get_by_role("button", name="获取验证码").click()
    report["account_code"] = serious_violations(page, base)
    found = re.search(r"验证码为 (\d{6})", sms.outbox[-1].text)
    assert found is not None
    page.get_by_label("验证码").fill(found.group(1))
    page.get_by_role("button", name="登录", exact=True).click()
    assert case.number in page.locator("main").inner_text()
    report["account"] = serious_violations(page, base)
    context.close()
    assert {name: found for name, found in report.items() if found} == {}


def test_the_scan_really_runs(live_server, page, tree) -> None:  # type: ignore[no-untyped-def]
    """A guard against a silently empty scan: faults put into the page are reported."""
    page.goto(live_server.url + reverse("portal:index"))
    page.evaluate(
        """() => {
      const img = document.createElement("img"); img.src = "/static/none.png"; document.querySelector("main").append(img);
      const p = document.createElement("p"); p.textContent = "浅灰色文字"; p.style.color = "#bbb";
      document.querySelector("main").append(p);
    }"""
    )
    found = {v["id"] for v in serious_violations(page, live_server.url)}
    assert {"image-alt", "color-contrast"} <= found


def test_the_mode_toggle_works_without_javascript_and_persists(live_server, browser, tree, screenshots) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(base + reverse("portal:search") + "?q=预算")
    assert "large-mode" not in (page.locator("body").get_attribute("class") or "")
    page.get_by_role("link", name="大字号 / 高对比").click()
    assert page.url == base + reverse("portal:search") + "?q=%E9%A2%84%E7%AE%97"  # back where it was
    assert "large-mode" in (page.locator("body").get_attribute("class") or "")
    size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(size.removesuffix("px")) >= 20
    page.screenshot(path=str(screenshots / "a11y-large-search.png"), full_page=True)
    page.goto(base + reverse("portal:agency", args=[tree.street_a.code]))  # another page: still on
    assert "large-mode" in (page.locator("body").get_attribute("class") or "")
    page.reload()
    assert "large-mode" in (page.locator("body").get_attribute("class") or "")
    page.get_by_role("link", name="标准字号 / 标准配色").click()
    assert "large-mode" not in (page.locator("body").get_attribute("class") or "")
    assert "/a/" in page.url
    context.close()


def test_keyboard_reaches_the_skip_link_first_and_the_toggle_early(live_server, page, tree) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + reverse("portal:index"))
    focused = []
    for _ in range(4):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert focused[0] == "跳到正文"
    assert "大字号 / 高对比" in focused
    # The skip link is visible when focused and moves focus into <main>.
    page.keyboard.press("Shift+Tab")
    while page.evaluate("document.activeElement.textContent.trim()") != "跳到正文":
        page.keyboard.press("Shift+Tab")
    assert page.locator(".skip").bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # The toggle works by keyboard too.
    page.goto(live_server.url + reverse("portal:index"))
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "大字号 / 高对比":
            break
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "large-mode" in (page.locator("body").get_attribute("class") or "")
