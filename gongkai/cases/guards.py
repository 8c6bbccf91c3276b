"""Checks that every write to a case's records passes first, filled by apps above cases.

``cases`` cannot import the apps above it, so an app that may forbid a change (the archive's
year lock, ``gongkai.archives``) registers a guard in its ``AppConfig.ready()``::

    register_write_guard(refuse_locked_year)

and the write paths call :func:`check_writable` once: ``cases.services._machinery.lock_case``
(every staff use case of a case), ``lock_for_applicant``, and the letters' and 送达 write paths.
A guard raises a ``GongkaiError`` subclass with the message the user sees; ``what`` names the
change ("修改", "出具文书", "登记送达").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gongkai.core.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai.cases.models import Case

WriteGuard = Callable[["Case", str], None]

_GUARDS: list[WriteGuard] = []


def register_write_guard(guard: WriteGuard) -> None:
    """Add ``guard`` (idempotent: registering the same function twice keeps one)."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


def check_writable(case: Case, what: str = "修改") -> None:
    """Run every registered guard on ``case``; the first refusal propagates."""
    for guard in _GUARDS:
        guard(case, what)


def refusal(case: Case) -> str:
    """Why a change to ``case`` would be refused now ("" when it would not): for the case page."""
    try:
        check_writable(case)
    except GongkaiError as exc:
        return str(exc)
    return ""
