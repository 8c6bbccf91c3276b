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


@register.filter
def correction_served(case: Any) -> str:
    """How the 补正期限 was counted (条例 art 30): from the applicant's receipt, or 暂定."""
    if case.correction_served_on is not None:
        return f"（自申请人 {case.correction_served_on.isoformat()} 收到补正告知起计）"
    return "（暂定：补正告知的送达日期尚未登记，按告知日计；登记送达后自申请人收到之日重新计算）"


@register.filter
def fee_served(notice: Any) -> str:
    """How the 缴费期限 was counted (国办函〔2020〕109号): from the applicant's receipt, or 暂定."""
    if notice.served_on is not None:
        return f"申请人 {notice.served_on.isoformat()} 收到"
    return "暂定：送达日期未登记"
