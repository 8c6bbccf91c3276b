"""Archive tests: a closed 2025 case with every kind of record, files in a media directory of the test."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.cases import services
from gongkai.cases.models import ApplicantFile, Case
from gongkai.cases.services import Upload
from gongkai.core.fees import FeeMethod
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceMethod
from gongkai.core.outcomes import Outcome
from gongkai.letters.context import LetterFacts
from gongkai.letters.deliveries import record_delivery
from gongkai.letters.models import Delivery, Letter, LetterSettings
from gongkai.letters.services import generate_letter
from tests.conftest import Tree
from tests.factories import CaseFactory

TODAY = dt.date(2026, 3, 10)
RECEIVED = dt.date(2025, 3, 3)
PDF = b"%PDF-1.4\n%proof\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
#: Names as stored by an older version or typed by someone hostile: the archive must neutralise them.
HOSTILE_PROOF_NAME = "../../../etc/passwd"
HOSTILE_UPLOAD_NAME = "..\\..\\补正材料：身份证（正反面）.pdf"
ID_NUMBER = "110101199001011234"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)


@pytest.fixture
def letter_settings(tree: Tree) -> LetterSettings:
    return LetterSettings.objects.create(
        agency=tree.street_a,
        number_prefix="测甲街公开",
        court_name="测试区人民法院",
        payment_instructions="通过非税收入统一缴款平台缴纳",
    )


@dataclass
class Story:
    case: Case
    letters: list[Letter]


def closed_case(tree: Tree, *, name: str = "张三", id_number: str = ID_NUMBER) -> Story:
    """Registered 2025-03-03, 补正 asked and sent online with a file, fee notified and paid,
    answered 予以公开; four letters, each delivered, one with a proof."""
    officer = tree.officer_a
    case = CaseFactory(actor=officer, today=RECEIVED, applicant_name=name, id_number=id_number)
    receipt = generate_letter(actor=officer, case=case, kind=LetterType.RECEIPT, today=RECEIVED)
    case = services.request_correction(
        actor=officer, case=case, items="请写明文号", reply_by=dt.date(2025, 3, 20), today=dt.date(2025, 3, 4)
    )
    correction = generate_letter(actor=officer, case=case, kind=LetterType.CORRECTION, today=dt.date(2025, 3, 4))
    case = services.submit_correction_online(
        case=case,
        text="补充了文号",
        files=[Upload(name="补正材料.pdf", size=len(PDF), content_type="application/pdf", stream=io.BytesIO(PDF))],
        today=dt.date(2025, 3, 6),
    )
    ApplicantFile.objects.filter(reply__case=case).update(name=HOSTILE_UPLOAD_NAME)
    case = services.send_fee_notice(
        actor=officer, case=case, method=FeeMethod.BY_VOLUME, pages=3000, today=dt.date(2025, 3, 10)
    )
    fee = generate_letter(actor=officer, case=case, kind=LetterType.FEE, today=dt.date(2025, 3, 10))
    case = services.record_fee_payment(actor=officer, case=case, today=dt.date(2025, 3, 12))
    case = services.close_case(actor=officer, case=case, outcome=Outcome.GRANTED, today=dt.date(2025, 3, 20))
    answer = generate_letter(
        actor=officer,
        case=case,
        kind=LetterType.ANSWER_GRANTED,
        today=dt.date(2025, 3, 20),
        facts=LetterFacts(access_method="随本答复书提供复印件。"),
    )
    letters = [receipt, correction, fee, answer]
    for letter in letters:
        record_delivery(
            actor=officer,
            letter=letter,
            method=ServiceMethod.POST,
            sent_on=letter.issued_on,
            received_on=letter.issued_on + dt.timedelta(days=2),
            tracking_number="EA123456789CN",
            proof=SimpleUploadedFile("签收单.png", PNG, content_type="image/png") if letter == answer else None,
            today=TODAY,
        )
    Delivery.objects.filter(letter=answer).update(proof_name=HOSTILE_PROOF_NAME)
    case.refresh_from_db()
    return Story(case=case, letters=letters)


def read_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))
