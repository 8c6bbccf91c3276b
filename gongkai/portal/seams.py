"""What the portal shows from other apps, each behind one function so the portal does not
depend on their internals:

- published annual reports: ``gongkai.reports.selectors.published_reports`` /
  ``published_report`` and ``gongkai.reports.documents.document_response``;
- a tracked application: ``gongkai.cases`` (``Case.objects.by_tracking_code``), and its answer
  letter through an optional hook ``gongkai.cases.portal.answer_letter(case)`` returning
  ``(filename, content, content_type)`` or None — until the cases app offers it, the status
  page shows the outcome and the 答复说明 text.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency
    from gongkai.cases.models import Case


# ---------------------------------------------------------------------------------------------
# Annual reports
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportLink:
    pk: int
    year: int
    title: str
    published_on: date | None
    formats: tuple[str, ...]


def annual_reports(agency: Agency) -> list[ReportLink]:
    """``agency``'s published annual reports, newest year first."""
    from gongkai.reports.models import DOCUMENT_FORMATS
    from gongkai.reports.selectors import published_reports

    links = []
    for record in published_reports(agency):
        formats = tuple(f for f in DOCUMENT_FORMATS if getattr(record, f"file_{f}", None))
        published: Any = getattr(record, "published_at", None)
        links.append(ReportLink(
            pk=record.pk, year=record.year, title=f"{agency.name}{record.year}年政府信息公开工作年度报告",
            published_on=published.date() if hasattr(published, "date") else published, formats=formats,
        ))
    return links


def annual_report_document(agency: Agency, pk: int, fmt: str) -> HttpResponse | None:
    """The stored document of a published report, or None when there is no such report/format."""
    from gongkai.reports.documents import document_response
    from gongkai.reports.models import DOCUMENT_FORMATS
    from gongkai.reports.selectors import published_report

    if fmt not in DOCUMENT_FORMATS:
        return None
    record = published_report(agency, pk)
    if record is None or not getattr(record, f"file_{fmt}", None):
        return None
    return document_response(record, fmt)


# ---------------------------------------------------------------------------------------------
# Applications
# ---------------------------------------------------------------------------------------------


def find_case(code: str) -> Case | None:
    from gongkai.cases.models import Case

    return Case.objects.by_tracking_code(code)


def answer_letter(case: Case) -> tuple[str, bytes, str] | None:
    try:
        hook: Any = importlib.import_module("gongkai.cases.portal")
    except ModuleNotFoundError as exc:
        if exc.name != "gongkai.cases.portal":
            raise
        return None
    func = getattr(hook, "answer_letter", None)
    return func(case) if func is not None else None
