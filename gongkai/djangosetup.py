"""Django set-up for the command line: a sub-command that needs the database calls it first.

A root module of its own so that any layer's command-line entry (``gongkai.commands.*``) can set
Django up without importing ``gongkai.cli``, the top of the command line.
"""

from __future__ import annotations

import os


def setup_django() -> None:
    """Configure Django for a command that needs the database (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
