"""The Celery application: ``celery -A gongkai.jobs.celery worker`` and ``… beat``.

Imported only by the worker, beat, and the web process when it hands a job to the broker
(REDIS_URL set); ``gongkai`` commands and a broker-less site never load Celery.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["gongkai.jobs", "gongkai.cases"])
