"""Password rules of our own, beside Django's (``AUTH_PASSWORD_VALIDATORS`` in settings).

Django's similarity check compares the password with the username and the Latin first/last
name; it does not know the Chinese 姓名 (``User.full_name``), and "张伟张伟张伟张伟" is not
"similar" to "张伟" by its measure. The demo logins' password is published in the README.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

#: Passwords printed in the README and by ``make run`` (``backoffice.demo.DEMO_PASSWORD``).
PUBLISHED_PASSWORDS = frozenset({"gongkai-demo-2024"})


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its refusal in Chinese: Django 5.2 reworded the message and its
    zh_Hans catalogue has no translation of the new wording, so the page showed it in English."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少包含 {self.min_length} 个字符。"


class FullNameValidator:
    """Refuse a password that contains the user's 姓名 (two characters or more), however
    often repeated and whatever surrounds it: "张伟张伟2024" is refused for 张伟."""

    def validate(self, password: str, user: Any = None) -> None:
        name = _squash(getattr(user, "full_name", "") or "")
        if len(name) >= 2 and name in _squash(password):
            raise ValidationError(f"密码不能包含本人姓名“{user.full_name}”。", code="password_contains_full_name")

    def get_help_text(self) -> str:
        return "密码不能包含本人姓名。"


class PublishedPasswordValidator:
    """Refuse the published demo password outside development (``DEBUG`` off); the demo
    loader runs with ``DEBUG`` on and does not validate."""

    def validate(self, password: str, user: Any = None) -> None:
        if not settings.DEBUG and _squash(password) in PUBLISHED_PASSWORDS:
            raise ValidationError("这是公开的演示密码，正式环境不能使用。", code="password_published")

    def get_help_text(self) -> str:
        return "不能使用公开的演示密码。"
