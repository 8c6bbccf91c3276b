"""Web hardening (issue 11): lockout behind the proxy, portal search limits, headers, bad values.

Each test performs the attack through the test client and asserts the safe outcome.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # the TLS proxy: every request reaches Django from here


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _login(client: Client, username: str, password: str, address: str) -> Any:
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {address}",
    )


# --- hole 4: lockout behind the proxy ---------------------------------------------------------


def test_a_stranger_cannot_lock_out_a_user_behind_the_proxy(tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    stranger, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _login(stranger, "officer_a", "wrong", "203.0.113.66")
    refused = _login(stranger, "officer_a", TEST_PASSWORD, "203.0.113.66")
    assert refused.status_code == 429
    # The real user, through the same proxy from their own desk, logs in.
    response = _login(colleague, "officer_a", TEST_PASSWORD, "192.0.2.10")
    assert response.status_code == 302
    assert colleague.get(reverse("backoffice:home")).status_code == 200


def test_the_per_user_ceiling_locks_guessing_from_many_addresses(tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.LOGIN_FAILURE_CEILING = 12
    attacker = Client()
    for n in range(11):  # 3 tries from each address: never the per-address limit of 5
        assert _login(attacker, "officer_a", "wrong", f"203.0.113.{n // 3 + 1}").status_code == 200
    assert _login(attacker, "officer_a", "wrong", "203.0.113.9").status_code == 429  # the 12th
    response = _login(Client(), "officer_a", TEST_PASSWORD, "192.0.2.10")
    assert response.status_code == 429
    body = response.content.decode()
    assert "所有地址" in body and "15 分钟后再试" in body


def test_the_lockout_page_says_how_long_to_wait(tree, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer_a", "password": TEST_PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "请在 15 分钟后再试" in body and "其他地址的登录不受影响" in body
    assert response["Retry-After"] == "900"


# --- hole 7: portal search rate limit --------------------------------------------------------


def test_search_is_limited_per_client_address(tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PORTAL_RATE_LIMITS = {"search": (5, 60)}
    flooder, citizen = Client(), Client()

    def search(client: Client, address: str) -> Any:
        return client.get(reverse("portal:search"), {"q": "预算"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    assert all(search(flooder, "203.0.113.66").status_code == 200 for _ in range(5))
    refused = search(flooder, "203.0.113.66")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "检索过于频繁" in body and "每分钟最多5次" in body
    assert refused["Retry-After"] == "60"
    assert search(citizen, "192.0.2.10").status_code == 200  # another citizen behind the same proxy
    # Browsing without a query is never limited.
    assert (
        flooder.get(reverse("portal:search"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 200
    )
