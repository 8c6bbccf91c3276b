"""Errors of the letter templates, in the core hierarchy (``gongkai.core.errors.GongkaiError``).

Messages are Chinese and name the template (e.g. ``answer_granted.body``) and the field.
"""

from __future__ import annotations

from gongkai.core.errors import GongkaiError


class LetterError(GongkaiError):
    """A letter that cannot be produced as asked."""

    def __init__(self, message: str, *, template: str | None = None, field: str | None = None) -> None:
        self.template = template
        self.field = field
        super().__init__(message)


class LetterTemplateError(LetterError):
    """Template text (shipped or an administrator's override) that cannot be used.

    An unknown placeholder, a placeholder with a conversion or attribute access, unbalanced
    braces, a required placeholder left out, or an override for a template that does not exist.
    """


class LetterFieldMissing(LetterError):
    """A template uses a field that the letter's context does not provide."""


class LetterRuleError(LetterError):
    """Letter facts the law does not allow (an extension over 20 working days, a fee of 0 元)."""
