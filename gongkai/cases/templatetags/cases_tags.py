"""Template helpers of the cases app: masked identity numbers, status badges."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.cases.masking import mask_identity

register = template.Library()


@register.filter
def masked(number: str) -> str:
    """Always masked: lists and exports (gongkai.cases.masking)."""
    return mask_identity(number or "")


@register.filter
def bucket_class(key: str) -> str:
    return {"overdue": "bad", "today": "bad", "t2": "warn", "t5": "warn"}.get(key, "")


@register.filter
def due_badge(case: Any, today: Any) -> str:
    """CSS class for a case's due date: overdue, today, or nothing."""
    if case.due_on is None or not case.is_open:
        return ""
    if case.due_on < today:
        return "bad"
    if case.due_on == today:
        return "warn"
    return ""


def _history_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "，".join(f"{k}：{_history_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "，".join(_history_value(v) for v in value)
    return str(value).rstrip("。；;，, ")


@register.filter
def history_payload(payload: Any) -> str:
    """A timeline entry's facts as one line: "计收方式：按件计收；金额：100", lists joined, no "。；"."""
    if not isinstance(payload, dict):
        return ""
    return "；".join(f"{k}：{_history_value(v)}" for k, v in payload.items())
