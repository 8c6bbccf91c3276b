"""Home-page panels: each app may offer panels for the back-office home page.

An app adds a module ``gongkai/<app>/panels.py`` with ``panels(request) -> list[Panel]``; the home
view collects them, so a new feature shows on the home page without editing this app.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def collect_panels(request: HttpRequest) -> list[Panel]:
    found: list[Panel] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongkai.") or config.name == "gongkai.backoffice":
            continue
        try:
            module = importlib.import_module(f"{config.name}.panels")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.panels":
                continue
            raise
        found.extend(module.panels(request))
    return sorted(found, key=lambda p: p.order)
