"""Home-page panel for supervisors: the latest 年报监督 batches and what they found."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.accounts.models import Role
from gongkai.supervision.selectors import batches_for
from gongkai.web.panels import Panel

PANEL_ROWS = 5


def panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated or user.role != Role.SUPERVISOR:
        return []
    batches = list(batches_for(user)[:PANEL_ROWS])
    return [Panel(title="年报监督", template="supervision/panel.html", context={"batches": batches}, order=45)]
