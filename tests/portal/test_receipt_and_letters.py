"""The applicant's documents on the portal: the 登记回执 PDF after applying and on the tracking
page, and the letters served electronically, whose download is the 送达 record."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.cases import services as case_services
from gongkai.cases.models import Case
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceMethod
from gongkai.letters.deliveries import record_delivery
from gongkai.letters.models import Delivery, Letter
from gongkai.letters.services import generate_letter
from tests.portal.test_apply import apply, track

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)  # Monday, 17:30 in Beijing


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("gongkai.clock.today", lambda: NOW.date())
    monkeypatch.setattr("gongkai.clock.now", lambda: NOW)
    cache.clear()
    yield
    cache.clear()


def _text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))


def _confirmed_case(client: Client, tree: Any) -> Case:
    assert apply(client, tree.street_a).status_code == 302
    case = Case.objects.get()
    return case_services.confirm_online_application(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 2))


def test_receipt_from_the_confirmation_page(client: Client, tree: Any) -> None:
    assert apply(client, tree.street_a).status_code == 302
    case = Case.objects.get()
    done = client.get(reverse("portal:apply_done")).content.decode()
    assert reverse("portal:submitted_receipt") in done
    response = client.get(reverse("portal:submitted_receipt"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert case.tracking_code in text and re.sub(r"\s+", "", case.number) in text
    assert "待确认" in text  # an online application's receipt date is the confirmation (art 31(3))
    assert Client().get(reverse("portal:submitted_receipt")).status_code == 404  # another browser


def test_receipt_on_the_tracking_page_states_the_due_date(client: Client, tree: Any) -> None:
    case = _confirmed_case(client, tree)
    other = Client()
    page = track(other, case.tracking_code, "5678").content.decode()
    assert reverse("portal:tracked_receipt") in page and "回执和文书下载" in page
    text = _text(other.get(reverse("portal:tracked_receipt")).content)
    assert "自收到申请之日起20个工作日内（即2026年3月30日前）" in text and case.tracking_code in text
    assert Client().get(reverse("portal:tracked_receipt")).status_code == 404


def test_download_is_the_electronic_service(client: Client, tree: Any) -> None:
    case = _confirmed_case(client, tree)
    receipt = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.RECEIPT, today=NOW.date())
    applicant = Client()
    page = track(applicant, case.tracking_code, "5678").content.decode()
    assert receipt.number in page  # the 回执 is always offered

    letter = _electronic_letter(tree, case)
    page = track(applicant, case.tracking_code, "5678").content.decode()
    match = re.search(rf'href="(/track/letters/{letter.pk}/[0-9a-f]+\.pdf)"', page)
    assert match, page
    url = match.group(1)

    response = applicant.get(url, REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert re.sub(r"\s+", "", letter.text.splitlines()[1]) in _text(response.content)  # its 发文字号
    delivery = Delivery.objects.get(letter=letter)
    assert delivery.received_on == NOW.date() and delivery.downloaded_at == NOW
    assert delivery.client_address == "198.51.100.23" and delivery.download_count == 1
    assert AuditEvent.objects.filter(action="letter.downloaded_by_applicant").count() == 1

    applicant.get(url, REMOTE_ADDR="198.51.100.24")
    delivery.refresh_from_db()
    assert delivery.download_count == 2 and delivery.client_address == "198.51.100.24"
    assert delivery.received_on == NOW.date()  # the first download served it
    assert AuditEvent.objects.filter(action="letter.downloaded_by_applicant").count() == 1


def _electronic_letter(tree: Any, case: Case) -> Letter:
    letter = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.RECEIPT, today=NOW.date())
    letter.kind = LetterType.CORRECTION.value  # any non-receipt letter; its text stays a receipt's
    letter.save(update_fields=["kind"])
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.ELECTRONIC,
        sent_on=NOW.date(),
        consent=True,
        today=NOW.date(),
    )
    return letter


def test_letters_not_sent_electronically_are_not_offered(client: Client, tree: Any) -> None:
    case = _confirmed_case(client, tree)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.RECEIPT, today=NOW.date())
    letter.kind = LetterType.CORRECTION.value
    letter.save(update_fields=["kind"])
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.POST,
        sent_on=NOW.date(),
        tracking_number="EA1",
        today=NOW.date(),
    )
    applicant = Client()
    page = track(applicant, case.tracking_code, "5678").content.decode()
    assert "回执和文书下载" in page
    assert not re.search(rf"/track/letters/{letter.pk}/[0-9a-f]+\.pdf", page)


def test_another_applicant_cannot_download(client: Client, tree: Any) -> None:
    case = _confirmed_case(client, tree)
    letter = _electronic_letter(tree, case)
    applicant = Client()
    page = track(applicant, case.tracking_code, "5678").content.decode()
    url = re.search(rf'href="(/track/letters/{letter.pk}/[0-9a-f]+\.pdf)"', page).group(1)  # type: ignore[union-attr]

    # Another person with their own application and their own tracking session.
    cache.clear()
    stranger = Client()
    assert apply(stranger, tree.street_a, ip="203.0.113.99", phone="138-0000-1111").status_code == 302
    theirs = Case.objects.exclude(pk=case.pk).get()
    assert track(stranger, theirs.tracking_code, "1111").status_code == 200
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 404  # no tracking session at all
    forged = url.replace(".pdf", "").rsplit("/", 1)[0] + "/" + "0" * 40 + ".pdf"
    assert applicant.get(forged).status_code == 404  # the right session, a guessed token
    assert not Delivery.objects.filter(letter=letter, downloaded_at__isnull=False).exists()
