"""Errors of the cases app, in the core's hierarchy (``gongkai.core.errors.GongkaiError``).

Permission refusals are Django's ``PermissionDenied`` (403); everything here is a user error
with a Chinese message naming the case.
"""

from __future__ import annotations

from gongkai.core.errors import ConcurrentChange, GongkaiError


class StaleCaseError(ConcurrentChange):
    """The case changed since the form was loaded (optimistic lock on ``Case.version``)."""

    MESSAGE = "该案件已被他人修改，请刷新后重试"

    def __init__(self, number: str = "") -> None:
        self.number = number
        super().__init__(f"{self.MESSAGE}（{number}）" if number else self.MESSAGE)


class CaseInputError(GongkaiError):
    """Input a service cannot accept (a date in the future, a department of another agency…)."""
