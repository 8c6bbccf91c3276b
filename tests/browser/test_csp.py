"""Hole 14 in a real browser: the back office and the portal work under the Content-Security-Policy
without a single violation, and the policy really blocks an inline script."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import TEST_PASSWORD, InProgressCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Collects every CSP violation the page reports (runs before the page's own scripts).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _watched(browser: Any) -> tuple[Any, list[str]]:
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(15_000)
    context.add_init_script(WATCH)
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    return tab, console


def _violations(tab: Any, console: list[str]) -> list[str]:
    reported = list(tab.evaluate("window.__cspViolations"))
    return reported + [text for text in console if "Content Security Policy" in text]


def test_back_office_and_portal_report_no_csp_violation(live_server, browser, tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    tab, console = _watched(browser)
    tab.goto(live_server.url + reverse("login"))
    assert _violations(tab, console) == []
    tab.get_by_label("用户名").fill(tree.officer_a.username)
    tab.get_by_label("密码").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="登录").click()
    tab.wait_for_url(live_server.url + reverse("backoffice:home"))
    pages = [
        reverse("backoffice:home"),
        reverse("cases:desk"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:deadline", args=[case.pk]),
        reverse("reports:agency_year", args=[tree.street_a.pk, 2025]),
        "/",
        reverse("portal:search") + "?q=预算",
        reverse("portal:agency", args=[tree.street_a.code]),
        reverse("portal:apply", args=[tree.street_a.code]),
        reverse("portal:track"),
    ]
    for url in pages:
        response = tab.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"], url
        assert _violations(tab, console) == [], url
        if url == reverse("cases:deadline", args=[case.pk]):
            # The print button comes from a static script, allowed by script-src 'self'.
            assert tab.get_by_role("button", name="打印").is_visible()


def test_the_policy_blocks_an_inline_script(live_server, browser, tree) -> None:  # type: ignore[no-untyped-def]
    tab, console = _watched(browser)
    tab.goto(live_server.url + "/")
    tab.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    tab.wait_for_function("window.__cspViolations.length > 0")
    assert tab.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in _violations(tab, console))


def test_admin_and_the_browsable_api_report_no_csp_violation(live_server, browser, tree) -> None:  # type: ignore[no-untyped-def]
    tab, console = _watched(browser)
    tab.goto(live_server.url + reverse("login"))
    tab.get_by_label("用户名").fill(tree.admin.username)
    tab.get_by_label("密码").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="登录").click()
    tab.wait_for_load_state()
    for url in [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{tree.officer_a.pk}/change/",
        "/admin/agencies/agency/add/",
        "/api/cases/",
    ]:
        response = tab.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        assert _violations(tab, console) == [], url
