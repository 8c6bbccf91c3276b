"""Template filters of the report pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def cut_quote(message: str) -> str:
    """A narrative finding's message without its "原文：“…”" (the page shows the sentence beside it)."""
    return str(message).split("。原文：", 1)[0] + "。"
