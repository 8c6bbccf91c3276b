"""``{% applicant_letters case as items %}``: the tracked case's downloadable letters."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.portal.receipts import letter_links

register = template.Library()


@register.simple_tag
def applicant_letters(case: Any) -> list[dict[str, Any]]:
    return letter_links(case) if case is not None else []
