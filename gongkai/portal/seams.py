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
from typing import TYPE_CHECKING, Any, Protocol

from django.http import HttpResponse

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency
    from gongkai.cases.models import Case, FeeNotice
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
    """The letters the applicant of ``case`` may download from the tracking page (as PDF or Word):
    those served by 电子送达 and the 登记回执, never the 第三方意见征询函
    (``letters.deliveries.applicant_downloads``, the one rule)."""
    from gongkai.letters.deliveries import applicant_downloads

    return applicant_downloads(case.pk)


# ---------------------------------------------------------------------------------------------
# Paying the 信息处理费
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplicantTransfer:
    """A 转办 as the applicant sees it on the tracking page (条例 art 36(5)).

    Outgoing: the agency, its contact and, when it is on the system, the new case's number and
    tracking code (the same applicant, who proved the old code). Incoming: where the application
    came from and when it was first received.
    """

    outgoing: bool
    agency_name: str
    contact: str
    transferred_on: date
    original_received_on: date
    other_number: str = ""
    new_tracking_code: str = ""


def applicant_transfers(case: Case) -> list[ApplicantTransfer]:
    from gongkai.cases.models import CaseTransfer

    found = []
    out = CaseTransfer.objects.filter(from_case=case).select_related("to_case").first()
    if out is not None:
        found.append(
            ApplicantTransfer(
                outgoing=True,
                agency_name=out.agency_name,
                contact=out.agency_contact,
                transferred_on=out.transferred_on,
                original_received_on=out.original_received_on,
                other_number=out.to_case.number if out.to_case else "",
                new_tracking_code=out.to_case.tracking_code if out.to_case else "",
            )
        )
    came = CaseTransfer.objects.filter(to_case=case).select_related("from_case__agency").first()
    if came is not None:
        found.append(
            ApplicantTransfer(
                outgoing=False,
                agency_name=came.from_case.agency.name,
                contact="",
                transferred_on=came.transferred_on,
                original_received_on=came.original_received_on,
                other_number=came.from_case.number,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class PaymentInfo:
    """How to pay one 收费通知: the agency's instructions (``LetterSettings``) and, where an online
    payment provider is configured, a link to pay there."""

    instructions: str
    payment_code: str
    payee_name: str
    payee_bank: str
    payee_account: str
    online_url: str | None

    @property
    def configured(self) -> bool:
        return bool(self.instructions or self.payment_code or self.payee_account or self.online_url)


class PaymentProvider(Protocol):
    """The seam for an online payment platform (e.g. the province's 非税收入 unified payment):
    ``payment_url`` gives where the applicant pays this notice, or None when it cannot."""

    def payment_url(self, case: Case, notice: FeeNotice) -> str | None: ...


_providers: list[PaymentProvider] = []


def register_payment_provider(provider: PaymentProvider) -> None:
    """An app or deployment that integrates a payment platform registers it here (at ready())."""
    _providers.append(provider)


def payment_info(case: Case, notice: FeeNotice) -> PaymentInfo:
    from gongkai.letters.models import LetterSettings

    stored = LetterSettings.objects.filter(agency_id=case.agency_id).first()
    url = next((u for p in _providers if (u := p.payment_url(case, notice))), None)
    return PaymentInfo(
        instructions=(stored.payment_instructions.strip() if stored else ""),
        payment_code=(stored.payment_code if stored else ""),
        payee_name=(stored.payee_name if stored else ""),
        payee_bank=(stored.payee_bank if stored else ""),
        payee_account=(stored.payee_account if stored else ""),
        online_url=url,
    )
