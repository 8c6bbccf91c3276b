"""``/healthz``, the request id on every answer and log line, JSON logs, and the shared Redis cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

REDIS = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_says_ok_and_shows_no_data(client: Client) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "not configured"}}
    assert "no-cache" in answer["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_cache_when_it_is_unreachable(client: Client, settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["checks"]["cache"] == "failed"
    assert answer.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reaches_redis_as_cache_and_broker(client: Client, settings: Any) -> None:
    settings.REDIS_URL = REDIS
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    answer = client.get("/healthz")
    assert answer.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


def test_two_nodes_share_one_count_through_redis() -> None:
    """What the portal's rate limits rely on: two cache clients (two processes) add to one counter."""
    from django.core.cache.backends.redis import RedisCache

    key = f"test-shared-{uuid.uuid4().hex}"
    node_a = RedisCache(REDIS, {"KEY_PREFIX": "gongkai"})
    node_b = RedisCache(REDIS, {"KEY_PREFIX": "gongkai"})
    assert node_a.add(key, 1, timeout=30)
    assert not node_b.add(key, 1, timeout=30)
    assert node_b.incr(key) == 2 and node_a.get(key) == 2
    node_a.delete(key)


@pytest.mark.django_db
def test_every_answer_carries_a_request_id(client: Client) -> None:
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    assert kept["X-Request-ID"] == "lb-0123456789abcdef"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert forged["X-Request-ID"] != "<script>alert(1)</script>" and len(forged["X-Request-ID"]) == 32


def test_production_logs_are_json_lines_with_the_request_id() -> None:
    env = dict(os.environ, LOG_FORMAT="json", ACCESS_LOG="true", GONGKAI_VAR_DIR=str(ROOT / "var"))
    env.pop("DATABASE_URL", None)
    code = (
        "import logging, django; django.setup();"
        "from django.test import RequestFactory;"
        "from gongkai.web.requestid import RequestIdMiddleware;"
        "from django.http import HttpResponse;"
        "view = lambda r: (logging.getLogger('gongkai.cases').warning('办理提醒：%s', '逾期'), HttpResponse('x'))[1];"
        "RequestIdMiddleware(view)(RequestFactory().get('/x', HTTP_X_REQUEST_ID='req-abcdef123456'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(env, DJANGO_SETTINGS_MODULE="gongkai.settings"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    warning = next(line for line in lines if line["logger"] == "gongkai.cases")
    assert warning["message"] == "办理提醒：逾期" and warning["level"] == "WARNING"
    assert warning["request_id"] == "req-abcdef123456"
    access = next(line for line in lines if line["logger"] == "gongkai.request")
    assert access["status"] == 200 and access["path"] == "/x" and access["request_id"] == "req-abcdef123456"
