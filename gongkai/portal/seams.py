"""What the portal shows from other apps, each behind one function so the portal does not
depend on their internals:

- published annual reports: ``gongkai.reports.selectors.published_reports`` /
  ``published_report`` and ``gongkai.reports.documents.document_response``;
- a tracked application: ``gongkai.cases`` (``Case.objects.by_tracking_code``) and the letters
  issued to the applicant (``gongkai.letters.models.Letter``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency
    from gongkai.cases.models import Case
    from gongkai.letters.models import Letter


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
        links.append(
            ReportLink(
                pk=record.pk,
                year=record.year,
                title=f"{agency.name}{record.year}年政府信息公开工作年度报告",
                published_on=published.date() if hasattr(published, "date") else published,
                formats=formats,
            )
        )
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


def case_by_pk(pk: int) -> Case | None:
    from gongkai.cases.models import Case

    return Case.objects.filter(pk=pk).select_related("agency").first()


def applicant_letters(case: Case) -> list[Letter]:
    """The letters issued to the applicant of ``case`` that the status page offers: the answer
    (答复书) once the case is closed, and the 补正告知书 / 延期答复告知书 / 收费通知 sent during it.
    A 第三方意见征询函 is addressed to someone else and never shown."""
    from gongkai.core.letters import LetterType
    from gongkai.letters.models import Letter

    return list(
        Letter.objects.filter(case=case)
        .exclude(kind=LetterType.THIRD_PARTY.value)
        .exclude(kind=LetterType.RECEIPT.value)
        .order_by("issued_on", "id")
    )
