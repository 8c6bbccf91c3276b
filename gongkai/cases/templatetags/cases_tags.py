"""Template helpers of the cases app: masked identity numbers, status badges."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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


# ---------------------------------------------------------------------------------------------
# The desk's rows (cases/desk.html), built in Python: a province agency's desk shows up to 200
# due-soon lines and 50 list rows, and rendering them node by node through the template engine
# (a URL reversed, dates formatted, filters resolved per cell) took about half the page's time
# (bench/province.py, figure (c), profiled). The markup is the template's, cell for cell.
# ---------------------------------------------------------------------------------------------


def _detail_url() -> Callable[[int], str]:
    """The case page's URL of a pk, reversed once per render (not once per row)."""
    sample = reverse("cases:detail", args=[0])
    head = sample[: -len("0/")]
    return lambda pk: f"{head}{pk}/"


def _day(value: Any) -> str:
    return value.isoformat() if value is not None else ""


@register.simple_tag
def urgent_lines(cases: Iterable[Any], key: str) -> SafeString:
    """The ``<li>`` lines of one due-soon bucket."""
    url = _detail_url()
    badge = bucket_class(key)

    def line(c: Any) -> tuple[Any, ...]:
        assigned = c.assigned_to
        return (
            badge,
            _day(c.due_on),
            " 暂定" if c.due_is_provisional else "",
            url(c.pk),
            c.number,
            c.applicant_name,
            c.department.name if c.department is not None and c.department.name else "未分办",
            format_html(" · {}", assigned.display_name) if assigned is not None else "",
        )

    return format_html_join(
        "", '<li><span class="badge {}">{}{}</span> <a href="{}">{}</a> {} · {}{}</li>', (line(c) for c in cases)
    )


@register.simple_tag
def desk_rows(cases: Iterable[Any], today: Any, many_agencies: bool) -> SafeString:
    """The ``<tr>`` rows of the desk's case list (the columns of ``DESK_LIST_FIELDS``)."""
    url = _detail_url()
    rows = []
    for c in cases:
        agency = ""
        if many_agencies:
            agency = format_html("\n      <td>{}</td>", c.agency.short_name or c.agency.name)
        due: Any = "—"
        if c.due_on:
            due = format_html('<span class="badge {}">{}</span>', due_badge(c, today), _day(c.due_on))
            if c.due_is_provisional:
                due = format_html('{} <span class="badge warn" title="{}">暂定</span>', due, c.due_note)
        rows.append(
            format_html(
                '<tr>\n      <td><a href="{}">{}</a></td>{}\n      <td>{}<br><span class="small muted">{}</span></td>'
                '\n      <td class="small">{}</td>\n      <td>{}</td>\n      <td>{}</td>\n      <td>{}</td>'
                '\n      <td>{}</td>\n      <td class="small">{}</td>\n    </tr>',
                url(c.pk),
                c.number,
                agency,
                c.applicant_name,
                c.get_applicant_type_display(),
                masked(c.id_number),
                _day(c.received_on) or "待确认",
                c.get_status_display(),
                due,
                c.department.name if c.department is not None and c.department.name else "—",
                c.get_outcome_display() or "",
            )
        )
    if not rows:
        return format_html('<tr><td colspan="9">{}</td></tr>', "没有符合条件的案件")
    return SafeString("".join(rows))
