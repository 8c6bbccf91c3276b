"""Demo history for the trends pages (called by gongkai.backoffice.demo.load_all)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    """Idempotent: a second run adds nothing."""
