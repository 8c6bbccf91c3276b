"""Login lockout (django-axes): per user and client address, with a ceiling per user.

Five wrong passwords for one username from one client address (``gongkai.web.client``, so behind
the TLS proxy each citizen or colleague has their own address) lock that pair for the cool-off
time; a stranger elsewhere cannot lock out a user who logs in from their own desk. Guessing one
password from many addresses is stopped by the ceiling: ``LOGIN_FAILURE_CEILING`` failures within
the cool-off time from any address lock the username everywhere.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongkai.web.client import client_ip


def _ceiling() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_CEILING", 50))


def _recent(username: str, request: HttpRequest) -> QuerySet[AccessAttempt]:
    attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no type hints
    """Axes' database handler, plus the per-username ceiling over every address."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_address = int(super().get_failures(request, credentials))
        username = get_client_username(request, credentials)
        if username and _failures(_recent(username, request)) >= _ceiling():
            return max(per_address, int(get_failure_limit(request, credentials)))
        return per_address


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The locked-out page (429), saying for how many minutes and whether for this address only."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    recent = _recent(username, request)
    everywhere = _failures(recent) >= _ceiling()
    attempts = recent if everywhere else recent.filter(ip_address=client_ip(request) or None)
    last: datetime | None = attempts.aggregate(last=Max("attempt_time"))["last"]
    minutes = 1
    if cool_off is not None:
        remaining = (last + cool_off - timezone.now()) if last is not None else cool_off
        minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "everywhere": everywhere, "failure_limit": get_failure_limit(request, credentials)},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
