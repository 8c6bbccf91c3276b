"""Login in Chinese, throttling after repeated failures, sessions that expire when idle."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client: Client) -> None:
    body = client.get(reverse("login")).content.decode()
    assert "登录" in body and "用户名" in body and "密码" in body
    assert 'lang="zh-Hans"' in body


def test_login_works_and_is_audited(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("login"), {"username": "officer_a", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("backoffice:home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=tree.officer_a).exists()


def test_repeated_failures_lock_the_login(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
        assert response.status_code in (200, 429)
    # Now even the right password is refused until the cool-off ends.
    response = client.post(reverse("login"), {"username": "officer_a", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert client.get(reverse("backoffice:home")).status_code == 302
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_sessions_expire_after_inactivity_and_are_renewed_without_a_write_per_request(
    tree, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A request renews the idle clock, but writes the session at most once a
    SESSION_RENEW_SECONDS: a progress poll every second must not write (SQLite would make it wait
    for a long import's write lock). A session idle past SESSION_COOKIE_AGE is gone."""
    import datetime as dt

    from django.contrib.sessions.models import Session

    from gongkai import clock

    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60
    assert 0 < settings.SESSION_RENEW_SECONDS < settings.SESSION_COOKIE_AGE / 10
    client.post(reverse("login"), {"username": "officer_a", "password": TEST_PASSWORD})
    start = clock.now()
    assert client.get(reverse("backoffice:home")).status_code == 200
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(seconds=settings.SESSION_RENEW_SECONDS // 2))
    assert client.get(reverse("backoffice:home")).status_code == 200
    assert Session.objects.get(pk=key).expire_date == first  # not written
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(seconds=settings.SESSION_RENEW_SECONDS + 1))
    assert client.get(reverse("backoffice:home")).status_code == 200
    assert Session.objects.get(pk=key).expire_date > first  # renewed
    Session.objects.filter(pk=key).update(expire_date=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    gone = client.get(reverse("backoffice:home"))
    assert gone.status_code == 302 and "/login/" in gone["Location"]


def test_an_anonymous_reader_gets_no_session(client: Client) -> None:
    from django.contrib.sessions.models import Session

    assert client.get("/").status_code == 200
    assert not Session.objects.exists() and "sessionid" not in client.cookies


def test_home_differs_per_role(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.supervisor)
    body = client.get(reverse("backoffice:home")).content.decode()
    assert "主管范围内的机构" in body and "测试区甲街道办事处" in body and "另一区人民政府" not in body
    client.force_login(tree.officer_a)
    body = client.get(reverse("backoffice:home")).content.decode()
    assert "主管范围内的机构" not in body


def test_password_change(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    page = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in page
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Xq7-unusual-pass-2026",
            "new_password2": "Xq7-unusual-pass-2026",
        },
    )
    assert response.status_code == 302
    tree.officer_a.refresh_from_db()
    assert tree.officer_a.check_password("Xq7-unusual-pass-2026")
    too_short = client.post(
        reverse("password_change"),
        {"old_password": "Xq7-unusual-pass-2026", "new_password1": "abc", "new_password2": "abc"},
    )
    assert too_short.status_code == 200 and "error" in too_short.content.decode()
