"""送达 of letters: each method recorded and audited, proofs checked, dates confirmed, the letters
page's per-letter state, the letter as PDF (its text is the letter's text) and the 登记回执 PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pdfplumber
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceError, ServiceMethod
from gongkai.letters.deliveries import confirm_receipt, letters_with_service, record_delivery, state_of
from gongkai.letters.models import Delivery, Letter, LetterSettings
from gongkai.letters.services import generate_letter
from gongkai.letters.uploads import UploadRejected
from tests.conftest import Tree
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake proof\n"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)


@pytest.fixture
def letter(tree: Tree, letter_settings: LetterSettings) -> Letter:
    case = CaseFactory(actor=tree.officer_a)
    return generate_letter(actor=tree.officer_a, case=case, kind=LetterType.RECEIPT, today=TODAY)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("method", "extra", "received"),
    [
        (ServiceMethod.POST, {"tracking_number": " EA123456789CN "}, dt.date(2026, 3, 12)),
        (ServiceMethod.DIRECT, {}, dt.date(2026, 3, 10)),
        (ServiceMethod.ELECTRONIC, {"consent": True}, None),
        (ServiceMethod.PUBLIC_NOTICE, {"note": "本机关门户网站公告"}, dt.date(2026, 3, 13)),
    ],
)
def test_each_method_is_recorded_and_audited(
    tree: Tree, letter: Letter, method: ServiceMethod, extra: dict[str, Any], received: dt.date | None
) -> None:
    proof = SimpleUploadedFile("签收单.png", PNG, content_type="image/png")
    delivery = record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=method,
        sent_on=dt.date(2026, 3, 10),
        received_on=received,
        proof=proof,
        today=dt.date(2026, 3, 13),
        **extra,
    )
    delivery.refresh_from_db()
    assert delivery.method == method.value and delivery.recorded_by == tree.officer_a
    assert delivery.received_on == received
    assert delivery.proof_name == "签收单.png" and delivery.proof.read() == PNG
    if method is ServiceMethod.POST:
        assert delivery.tracking_number == "EA123456789CN"
    event = AuditEvent.objects.get(action="letter.delivery_recorded")
    assert event.changes["method"] == method.label and event.agency_id == tree.street_a.pk
    annotated = letters_with_service(Letter.objects.filter(pk=letter.pk)).get()
    assert state_of(annotated).label == ("已送达" if received else "已发出未送达")


def test_refusals_save_nothing(tree: Tree, letter: Letter) -> None:
    with pytest.raises(ServiceError, match="邮寄送达须填写邮件号码"):
        record_delivery(actor=tree.officer_a, letter=letter, method=ServiceMethod.POST, sent_on=TODAY, today=TODAY)
    with pytest.raises(ServiceError, match="电子送达须经申请人同意"):
        record_delivery(
            actor=tree.officer_a, letter=letter, method=ServiceMethod.ELECTRONIC, sent_on=TODAY, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        record_delivery(actor=tree.officer_b, letter=letter, method=ServiceMethod.DIRECT, sent_on=TODAY, today=TODAY)
    assert not Delivery.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="letter.delivery").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("回执.exe", b"MZ" + b"\x00" * 20, "类型不允许：只接受 PDF、JPG、PNG"),
        ("回执.pdf", PNG, "内容不是 PDF 文件"),
        ("回执.pdf", b"%PDF-" + b"\x00" * 2048, "超过上限"),
    ],
)
def test_bad_proof_refused(tree: Tree, letter: Letter, settings: Any, name: str, content: bytes, message: str) -> None:
    settings.DELIVERY_PROOF_MAX_BYTES = 1024
    with pytest.raises(UploadRejected, match=message):
        record_delivery(
            actor=tree.officer_a,
            letter=letter,
            method=ServiceMethod.DIRECT,
            sent_on=TODAY,
            received_on=TODAY,
            proof=SimpleUploadedFile(name, content),
            today=TODAY,
        )
    assert not Delivery.objects.exists()


def test_confirm_receipt_once(tree: Tree, letter: Letter) -> None:
    sent = record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.POST,
        sent_on=TODAY,
        tracking_number="EA1",
        today=TODAY,
    )
    with pytest.raises(ServiceError, match="早于发出日期"):
        confirm_receipt(actor=tree.officer_a, delivery=sent, received_on=dt.date(2026, 3, 9), today=TODAY)
    done = confirm_receipt(
        actor=tree.officer_a,
        delivery=sent,
        received_on=dt.date(2026, 3, 12),
        proof=SimpleUploadedFile("ems.pdf", PDF),
        today=dt.date(2026, 3, 13),
    )
    assert done.received_on == dt.date(2026, 3, 12) and done.proof_name == "ems.pdf"
    assert AuditEvent.objects.filter(action="letter.delivery_received").count() == 1
    with pytest.raises(ServiceError, match="已登记送达日期 2026-03-12"):
        confirm_receipt(actor=tree.officer_a, delivery=sent, received_on=TODAY, today=dt.date(2026, 3, 13))


# ---------------------------------------------------------------------------------------------
# The letters page
# ---------------------------------------------------------------------------------------------


def test_page_shows_each_letters_state(tree: Tree, letter: Letter) -> None:
    other = generate_letter(actor=tree.officer_a, case=letter.case, kind=LetterType.RECEIPT, today=TODAY)
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.DIRECT,
        sent_on=TODAY,
        received_on=TODAY,
        today=TODAY,
    )
    page = _client(tree.officer_a).get(reverse("letters:case", args=[letter.case_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "已送达 2026-03-10" in html and "未发出" in html
    assert f'action="{reverse("letters:record_delivery", args=[other.pk])}"' in html


def test_form_records_post_with_proof(tree: Tree, letter: Letter) -> None:
    client = _client(tree.officer_a)
    response = client.post(
        reverse("letters:record_delivery", args=[letter.pk]),
        {
            f"l{letter.pk}-method": "post",
            f"l{letter.pk}-sent_on": "2026-03-10",
            f"l{letter.pk}-tracking_number": "EA123456789CN",
            f"l{letter.pk}-proof": SimpleUploadedFile("ems.pdf", PDF),
        },
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.tracking_number == "EA123456789CN" and delivery.received_on is None
    page = client.get(reverse("letters:case", args=[letter.case_id])).content.decode()
    assert "已发出未送达" in page and "EA123456789CN" in page
    proof = client.get(reverse("letters:proof", args=[delivery.pk]))
    assert proof["Content-Type"] == "application/pdf" and b"".join(proof.streaming_content) == PDF
    assert _client(tree.officer_b).get(reverse("letters:proof", args=[delivery.pk])).status_code == 404


def test_form_keeps_what_was_typed_when_the_proof_is_refused(tree: Tree, letter: Letter, settings: Any) -> None:
    settings.DELIVERY_PROOF_MAX_BYTES = 16
    response = _client(tree.officer_a).post(
        reverse("letters:record_delivery", args=[letter.pk]),
        {
            f"l{letter.pk}-method": "post",
            f"l{letter.pk}-sent_on": "2026-03-10",
            f"l{letter.pk}-tracking_number": "EA987654321CN",
            f"l{letter.pk}-note": "挂号信",
            f"l{letter.pk}-proof": SimpleUploadedFile("ems.pdf", PDF * 4),
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "送达凭证“ems.pdf”大小为" in html and "超过上限" in html
    assert 'value="EA987654321CN"' in html and 'value="挂号信"' in html
    assert not Delivery.objects.exists()


def test_form_refusal_names_the_rule(tree: Tree, letter: Letter) -> None:
    response = _client(tree.officer_a).post(
        reverse("letters:record_delivery", args=[letter.pk]),
        {f"l{letter.pk}-method": "electronic", f"l{letter.pk}-sent_on": "2026-03-10"},
    )
    assert response.status_code == 422
    assert "电子送达须经申请人同意" in response.content.decode()


def test_confirm_form(tree: Tree, letter: Letter) -> None:
    sent = record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.POST,
        sent_on=TODAY,
        tracking_number="EA1",
        today=TODAY,
    )
    client = _client(tree.officer_a)
    url = reverse("letters:confirm_receipt", args=[sent.pk])
    bad = client.post(url, {f"d{sent.pk}-received_on": "2026-03-11"})
    assert bad.status_code == 422 and "晚于今天" in bad.content.decode()
    ok = client.post(url, {f"d{sent.pk}-received_on": "2026-03-10"})
    assert ok.status_code == 302
    sent.refresh_from_db()
    assert sent.received_on == TODAY
    assert _client(tree.officer_b).post(url, {f"d{sent.pk}-received_on": "2026-03-10"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# PDFs
# ---------------------------------------------------------------------------------------------


def test_letter_pdf_text_is_the_letters_text(tree: Tree, letter: Letter) -> None:
    response = _client(tree.officer_a).get(reverse("letters:pdf", args=[letter.pk]))
    assert response["Content-Type"] == "application/pdf"
    page_numbers = re.compile(r"—\d+—")
    assert page_numbers.sub("", _squash(_pdf_text(response.content))) == _squash(letter.text)
    assert _client(tree.officer_b).get(reverse("letters:pdf", args=[letter.pk])).status_code == 404


def test_letter_pdf_carries_the_seal_instead_of_the_seal_line(tree: Tree, letter: Letter) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (60, 60), (220, 0, 0, 255)).save(buf, "PNG")
    settings = LetterSettings.objects.get(agency=tree.street_a)
    settings.seal_image.save("seal.png", SimpleUploadedFile("seal.png", buf.getvalue()))
    data = _client(tree.officer_a).get(reverse("letters:pdf", args=[letter.pk])).content
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        images = [image for page in pdf.pages for image in page.images]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    received = letter.case.received_on
    assert len(images) == 1 and "（盖章）" not in text
    assert f"{received.year}年{received.month}月{received.day}日" in text  # a 回执 is dated the day of receipt


def test_counter_receipt_pdf(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)  # 当面提交 on Monday 2026-03-02
    response = _client(tree.officer_a).get(reverse("letters:receipt", args=[case.pk]))
    text = _squash(_pdf_text(response.content))
    assert response["Content-Type"] == "application/pdf"
    assert _squash(case.number) in text and case.tracking_code in text
    assert "自收到申请之日起20个工作日内（即2026年3月30日前）" in text
    assert _client(tree.officer_b).get(reverse("letters:receipt", args=[case.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("seal.gif", b"GIF89a" + b"\x00" * 20, "类型不允许：只接受 PNG、JPG"),
        ("seal.png", b"\xff\xd8\xff" + b"\x00" * 20, "内容不是 PNG 文件"),
        ("seal.png", PNG * 100, "超过上限"),
    ],
)
def test_seal_image_is_checked(tree: Tree, settings: Any, name: str, content: bytes, message: str) -> None:
    from gongkai.letters.admin import LetterSettingsForm

    settings.LETTER_SEAL_MAX_BYTES = 1024
    form = LetterSettingsForm(
        {"agency": tree.street_a.pk, "number_prefix": "测"}, {"seal_image": SimpleUploadedFile(name, content)}
    )
    assert not form.is_valid()
    assert message in str(form.errors["seal_image"])
    good = LetterSettingsForm({"agency": tree.street_a.pk}, {"seal_image": SimpleUploadedFile("seal.png", PNG)})
    assert good.is_valid(), good.errors
