"""The 适老化 display mode (issue 12 item 8): a plain link sets a cookie for a year and goes back
to the page; an outside ``next`` is refused; the portal pages carry the class while it is set."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.portal.display import COOKIE, ONE_YEAR

pytestmark = pytest.mark.django_db

URL = reverse("portal:display_mode")


def test_large_mode_sets_a_year_long_cookie_and_goes_back(client: Client) -> None:
    response = client.get(URL, {"mode": "large", "next": "/search/?q=预算"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=%E9%A2%84%E7%AE%97"
    cookie = response.cookies[COOKIE]
    assert cookie.value == "large" and int(cookie["max-age"]) == ONE_YEAR
    assert cookie["path"] == "/" and cookie["samesite"] == "Lax" and cookie["httponly"]


def test_normal_mode_clears_the_cookie(client: Client) -> None:
    client.cookies[COOKIE] = "large"
    response = client.get(URL, {"mode": "normal", "next": "/track/"})
    assert response.status_code == 302 and response["Location"] == "/track/"
    assert response.cookies[COOKIE].value == "" and response.cookies[COOKIE]["max-age"] == 0


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example", "", "/a\nb"]
)
def test_an_outside_next_goes_to_the_portal_home(client: Client, target: str) -> None:
    response = client.get(URL, {"mode": "large", "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("portal:index")


def test_only_get(client: Client) -> None:
    assert client.post(URL, {"mode": "large"}).status_code == 405


@pytest.mark.parametrize("name", ["portal:index", "portal:search", "portal:apply_choose", "portal:track"])
def test_the_class_and_the_toggle_follow_the_cookie(client: Client, name: str, tree: Any) -> None:
    page = client.get(reverse(name)).content.decode()
    assert "large-mode" not in page and "大字号 / 高对比" in page
    assert f'href="{URL}?mode=large&amp;next=' in page
    client.cookies[COOKIE] = "large"
    page = client.get(reverse(name)).content.decode()
    assert 'class="portal large-mode"' in page and "标准字号 / 标准配色" in page
    assert f'href="{URL}?mode=normal&amp;next=' in page


def test_the_agency_page_too(client: Client, tree: Any) -> None:
    client.cookies[COOKIE] = "large"
    page = client.get(reverse("portal:agency", args=[tree.street_a.code])).content.decode()
    assert 'class="portal large-mode"' in page
