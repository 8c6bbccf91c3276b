from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(connection: Any) -> None:
    """Give a SQLite connection the functions the search-index triggers call."""
    if connection.vendor != "sqlite":
        return
    from gongkai.publications.text import index_bigrams, index_ends

    connection.ensure_connection()
    connection.connection.create_function("gongkai_index_bigrams", 1, index_bigrams, deterministic=True)
    connection.connection.create_function("gongkai_index_ends", 1, index_ends, deterministic=True)


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    register_sqlite_functions(connection)


class PublicationsConfig(AppConfig):
    name = "gongkai.publications"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from django.db import connections

        from gongkai.publications.panels import panels
        from gongkai.web.panels import register_panels

        register_panels(panels)
        from gongkai.publications import public_cache

        public_cache.connect()
        # Registers the background import of items (a Celery worker needs it too).
        import gongkai.publications.import_jobs  # noqa: F401

        connection_created.connect(_on_connection_created, dispatch_uid="gongkai.publications.sqlite_functions")
        # Connections opened before this app was ready (rare) get the function too.
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_functions(connection)
