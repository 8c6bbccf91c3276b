"""Settings of bench/portal_http.py's gunicorn: production settings (DEBUG off) plus one bare
"hello" view, the floor the portal's pages are compared with (bench/http_urls.py)."""

from gongkai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http_urls"
# One load generator sends every request from one address: lift the search rate limit.
PORTAL_RATE_LIMITS = {"search": (10**9, 60)}
