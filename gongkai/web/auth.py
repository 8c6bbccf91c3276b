"""The logged-in back-office user of a request, typed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from gongkai.accounts.models import User


def staff(request: HttpRequest | Request) -> User:
    """``request.user`` as an ``accounts.User``, for views behind ``login_required`` (and API views
    behind ``IsAuthenticated``); an anonymous request is refused (403) rather than passed on."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("请先登录")
    return user
