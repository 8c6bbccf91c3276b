"""Sessions that expire after inactivity without a database write on every request.

Django's ``SESSION_SAVE_EVERY_REQUEST`` renews the idle clock by writing the session row on every
request, a progress poll every second included. On SQLite that write waits for any long write
transaction (a 20,000-row ledger import holds the one write lock until it commits), so the
progress bar froze while the import ran; on PostgreSQL it is one needless UPDATE per request.
Renewing at most once every ``SESSION_RENEW_SECONDS`` keeps the idle timeout within that margin
(30 minutes idle becomes 29–30) and leaves read-only requests read-only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from gongkai import clock

#: Where the session keeps the time (epoch seconds) its expiry was last renewed.
RENEWED_KEY = "_gongkai_renewed_at"


class SessionRenewalMiddleware:
    """After ``SessionMiddleware``: marks a signed-in session modified when its last renewal is
    older than ``settings.SESSION_RENEW_SECONDS``, so ``SessionMiddleware`` saves it (and pushes
    its expiry ``SESSION_COOKIE_AGE`` on). An empty session (an anonymous visitor) is left alone:
    the portal never creates a session for a reader."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(clock.now().timestamp())
        if session.modified or now - int(session.get(RENEWED_KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
            session[RENEWED_KEY] = now
        return response
