"""Year-on-year jumps between a batch's reports and their previous year (``core.report.jumps``),
as X-JUMP findings for the 年报监督 export; the console's trend charts mark the same jumps."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.conf import settings

from gongkai.core.report.jumps import JumpThresholds, report_jumps
from gongkai.core.report.model import AnnualReport


def jump_thresholds() -> JumpThresholds:
    """``settings.GONGKAI_JUMPS`` (keys of :class:`JumpThresholds`), the documented defaults otherwise."""
    configured: dict[str, Any] = getattr(settings, "GONGKAI_JUMPS", {}) or {}
    known = {f.name for f in fields(JumpThresholds)}
    return JumpThresholds(**{k: v for k, v in configured.items() if k in known})


def parse_report(data: Any) -> AnnualReport | None:
    """A stored report's JSON as an :class:`AnnualReport`; None when missing or unreadable."""
    if not data:
        return None
    try:
        return AnnualReport.from_dict(data)
    except (ValueError, KeyError, TypeError):
        return None


def parsed_jump_findings(current: AnnualReport | None, before: AnnualReport | None) -> list[dict[str, Any]]:
    """:func:`jump_findings` on reports already parsed (an export parses each report once)."""
    if current is None or before is None:
        return []
    return [f.to_dict() for f in report_jumps(before, current, jump_thresholds())]


def jump_findings(report: Any, previous: Any) -> list[dict[str, Any]]:
    """The X-JUMP findings (JSON form) of a read report's JSON against its previous year's; none
    when either is missing or unreadable."""
    return parsed_jump_findings(parse_report(report), parse_report(previous))
