"""Home-page panels: a registry that domain apps fill and the back office reads.

A domain app offers panels with a function ``panels(request) -> list[Panel]`` (in its
``panels.py``) and registers it in its ``AppConfig.ready()``::

    def ready(self) -> None:
        from gongkai.cases.panels import panels
        from gongkai.web.panels import register_panels

        register_panels(panels)

The back-office home page shows ``collect_panels(request)``: every registered provider's panels,
by ``order``. The registry sits below the apps, so no app imports the back office.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelProvider = Callable[[HttpRequest], list[Panel]]

_providers: list[PanelProvider] = []


def register_panels(provider: PanelProvider) -> None:
    """Add ``provider`` to the home page (once: ``ready()`` may run more than once in tests)."""
    if provider not in _providers:
        _providers.append(provider)


def collect_panels(request: HttpRequest) -> list[Panel]:
    """The panels of every registered provider for ``request``, sorted by ``order``."""
    found = [panel for provider in _providers for panel in provider(request)]
    return sorted(found, key=lambda p: p.order)
