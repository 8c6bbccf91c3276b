"""Login and logout leave audit records (the only signal receivers: auth has no service to call)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from gongkai.audit.services import AuditAction, record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        record(actor=user, action=AuditAction.LOGIN, target=user, agency=user.agency)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        with transaction.atomic():
            record(actor=user, action=AuditAction.LOGOUT, target=user, agency=user.agency)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        record(actor=None, action=AuditAction.LOGIN_FAILED, note=f"用户名：{username}")
