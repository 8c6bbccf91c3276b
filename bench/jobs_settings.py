"""Settings of the background-job benches' gunicorn (bench/web_jobs.py): production settings
(DEBUG off) on plain HTTP over loopback, so the client's cookies need no TLS."""

from gongkai.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
