"""The applicant's documents on the portal: the 登记回执 PDF and the letters served electronically.

Every download is bound to the browser session that proved itself: the confirmation page's
session (``SUBMITTED_KEY``, set when the application was submitted) or the tracking page's
(``TRACKED_KEY``, set after the tracking code and the last four phone digits were checked).
A letter's URL also carries an HMAC of the letter and the case's tracking code, so it cannot be
guessed from the letter's number, and is refused in any other session. The applicant's download
of a letter is its electronic 送达 (``letters.deliveries.record_download``).
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache

from gongkai import clock
from gongkai.cases.models import Case
from gongkai.letters.deliveries import applicant_downloads, record_download
from gongkai.letters.documents import letter_pdf, pdf_filename
from gongkai.letters.models import Letter
from gongkai.letters.receipts import receipt_filename, receipt_pdf
from gongkai.portal.applicant import TRACKED_KEY
from gongkai.web.client import client_ip

SUBMITTED_KEY = "portal_submitted"  # as in portal.views


def letter_token(letter: Letter, case: Case) -> str:
    return salted_hmac("gongkai.portal.letter", f"{letter.pk}:{case.pk}:{case.tracking_code}").hexdigest()[:40]


def letter_links(case: Case) -> list[dict[str, Any]]:
    """The letters the applicant may download, each with its session-bound URL and 送达 state."""
    return [
        {
            "letter": letter,
            "url": reverse("portal:letter_pdf", args=[letter.pk, letter_token(letter, case)]),
            "served_on": getattr(letter, "served_on", None),
        }
        for letter in applicant_downloads(case.pk)
    ]


def _tracked_case(request: HttpRequest) -> Case | None:
    pk = request.session.get(TRACKED_KEY)
    return Case.objects.filter(pk=pk).select_related("agency").first() if isinstance(pk, int) else None


def _submitted_case(request: HttpRequest) -> Case | None:
    submitted = request.session.get(SUBMITTED_KEY)
    code = submitted.get("code") if isinstance(submitted, dict) else None
    return Case.objects.by_tracking_code(code) if isinstance(code, str) else None


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _receipt(request: HttpRequest, case: Case | None) -> HttpResponse:
    if case is None:
        raise Http404("请先查询申请")
    url = request.build_absolute_uri(reverse("portal:track")) + "?code=" + quote(case.tracking_code)
    return _pdf(receipt_pdf(case, tracking_url=url, today=clock.today()), receipt_filename(case))


@never_cache
def submitted_receipt(request: HttpRequest) -> HttpResponse:
    """/apply/done/receipt.pdf: the receipt of the application just submitted in this session."""
    return _receipt(request, _submitted_case(request))


@never_cache
def tracked_receipt(request: HttpRequest) -> HttpResponse:
    """/track/receipt.pdf: the receipt of the case looked up in this session."""
    return _receipt(request, _tracked_case(request))


@never_cache
def letter_pdf_view(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """/track/letters/<pk>/<token>.pdf: a letter of the tracked case; records the 送达."""
    case = _tracked_case(request)
    if case is None:
        raise Http404("请先查询申请")
    letter = next((x for x in applicant_downloads(case.pk) if x.pk == pk), None)
    if letter is None or not hmac.compare_digest(letter_token(letter, case), token):
        raise Http404("文书不存在")
    data = letter_pdf(letter)
    record_download(letter=letter, at=clock.now(), address=client_ip(request))
    return _pdf(data, pdf_filename(letter))
