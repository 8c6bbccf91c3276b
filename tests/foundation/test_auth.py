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


def test_sessions_expire_after_inactivity() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60


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
