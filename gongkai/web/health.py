"""``/healthz``: whether this node can reach what it needs (database, cache, broker), for a load
balancer or a monitor. It shows no data: only "ok" or the name of what failed, and 503 then."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)
OK = "ok"
FAILED = "failed"
NOT_CONFIGURED = "not configured"


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def _cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, 1, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return OK if found == 1 else FAILED


def _broker() -> str:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return NOT_CONFIGURED
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return OK if client.ping() else FAILED
    finally:
        client.close()


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # any failure is "failed"; the details go to the log only
            logger.exception("healthz: %s unreachable", name)
            results[name] = FAILED
    healthy = all(value != FAILED for value in results.values())
    return JsonResponse({"status": OK if healthy else FAILED, "checks": results}, status=200 if healthy else 503)
