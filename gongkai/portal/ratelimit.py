"""Per-address rate limits for the public forms, on Django's cache (no third-party captcha).

Fixed windows counted with ``cache.add`` + ``cache.incr``. The cache is
``settings.PORTAL_RATE_LIMIT_CACHE`` (default ``"default"``). Django's default cache is LocMem,
which is per process: fine for tests and a single process, but with several gunicorn workers
each worker counts on its own (limits multiply by the number of workers). In production point
it at a shared cache: a FileBasedCache under var/ (one host) or Redis/Memcached.

The client address comes from :func:`gongkai.web.client.client_ip` (``REMOTE_ADDR``, or behind
a reverse proxy the header named by ``settings.PORTAL_CLIENT_IP_HEADER``), the same rule as the
login lockout.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches


@dataclass(frozen=True, slots=True)
class Limit:
    scope: str
    count: int
    seconds: int

    @property
    def window_text(self) -> str:
        if self.seconds % 86400 == 0:
            return "每天" if self.seconds == 86400 else f"每{self.seconds // 86400}天"
        if self.seconds % 3600 == 0:
            return "每小时" if self.seconds == 3600 else f"每{self.seconds // 3600}小时"
        return "每分钟" if self.seconds == 60 else f"每{self.seconds // 60}分钟"


#: Defaults; ``settings.PORTAL_RATE_LIMITS`` ({scope: (count, seconds)}) overrides.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "apply_hour": (10, 3600),  # submitted applications per address
    "apply_day": (30, 86400),
    "apply_post": (60, 3600),  # any POST of the form, valid or not
    "track": (30, 600),  # tracking look-ups
    "search": (60, 60),  # portal searches per address
    "track_code": (5, 600),  # one-time codes sent (each an SMS or e-mail)
    "track_forgot": (5, 3600),  # "忘记查询码" requests
    "track_reply": (20, 3600),  # online 补正 and payment proofs
    "account_code": (5, 600),  # sign-in codes asked for (each an SMS or e-mail)
    "account_verify": (10, 600),  # sign-in codes tried
}


def limit(scope: str) -> Limit:
    count, seconds = {**DEFAULT_LIMITS, **getattr(settings, "PORTAL_RATE_LIMITS", {})}[scope]
    return Limit(scope, int(count), int(seconds))


def _cache() -> BaseCache:
    return caches[getattr(settings, "PORTAL_RATE_LIMIT_CACHE", "default")]


def _key(rule: Limit, who: str, now: float) -> str:
    return f"gongkai:rl:{rule.scope}:{who}:{int(now // rule.seconds)}"


def exceeded(rule: Limit, who: str, *, now: float | None = None) -> bool:
    """Whether ``who`` has already used up ``rule`` in the current window (does not count)."""
    value = _cache().get(_key(rule, who, now if now is not None else time.time()), 0)
    return int(value) >= rule.count


def release(rule: Limit, who: str, *, now: float | None = None) -> None:
    """Give back one use counted by :func:`hit` (the use did not happen: the form was refused)."""
    key = _key(rule, who, now if now is not None else time.time())
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
        _cache().decr(key)


def hit(rule: Limit, who: str, *, now: float | None = None) -> bool:
    """Count one use; False when this use is over the limit."""
    cache = _cache()
    key = _key(rule, who, now if now is not None else time.time())
    if cache.add(key, 1, timeout=rule.seconds + 5):
        return rule.count >= 1
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rule.seconds + 5)
        value = 1
    return int(value) <= rule.count
