"""Reads for the archive's edges: the agency named on a command line, a case by its number."""

from __future__ import annotations

from gongkai.agencies.models import Agency
from gongkai.cases.models import Case


def find_agency(name_or_code: str) -> Agency | None:
    """The agency with this code, full name or (unambiguous) short name."""
    text = name_or_code.strip()
    found = Agency.objects.filter(code=text).first() or Agency.objects.filter(name=text).first()
    if found is None:
        by_short = list(Agency.objects.filter(short_name=text)[:2])
        found = by_short[0] if len(by_short) == 1 else None
    return found


def find_case(agency: Agency, number: str) -> Case | None:
    """``agency``'s case with this number (numbers are unique per agency)."""
    return (
        Case.objects.filter(agency=agency, number=number.strip())
        .select_related("agency", "department", "assigned_to")
        .first()
    )
