"""The 登记/受理回执 of a case as PDF, for every channel: the facts, the due date, the QR code.

Rendered on demand from the case (the receipt states facts the case holds; a later 收到申请之日
confirmation gives a newer receipt with the due date). The due date is the core's: 20 working
days after the 收到申请之日 on the official calendar (条例 art 33 ¶2), not the case's current due
date, which pauses and extensions may have moved since.
"""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.utils import timezone

from gongkai.cases.clock import nth_working_day_after
from gongkai.cases.models import Case
from gongkai.core.deadlines import ANSWER_DAYS
from gongkai.core.letters.pdf import ReceiptFacts, render_receipt_pdf


def receipt_facts(case: Case, *, tracking_url: str, today: dt.date) -> ReceiptFacts:
    """What the receipt of ``case`` states; ``tracking_url`` is the absolute tracking page URL."""
    due_on: dt.date | None = None
    provisional = False
    if case.received_on is not None:
        due_on, provisional = nth_working_day_after(case.received_on, ANSWER_DAYS)
    return ReceiptFacts(
        agency=case.agency.name,
        case_number=case.number,
        applicant_name=case.applicant_name,
        channel=case.channel_enum.label,
        submitted_on=timezone.localtime(case.submitted_at).date(),
        received_on=case.received_on,
        due_on=due_on,
        due_is_provisional=provisional,
        tracking_code=case.tracking_code,
        tracking_url=tracking_url,
        printed_on=today,
    )


def qr_svg(url: str) -> str:
    """An SVG QR code (error correction M, black on white) of ``url``."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return out.getvalue().decode("utf-8")


def receipt_pdf(case: Case, *, tracking_url: str, today: dt.date) -> bytes:
    """The receipt of ``case`` as PDF bytes."""
    return render_receipt_pdf(receipt_facts(case, tracking_url=tracking_url, today=today), qr_svg=qr_svg(tracking_url))


def receipt_filename(case: Case) -> str:
    return f"{case.number}登记回执.pdf".replace("/", "／")
