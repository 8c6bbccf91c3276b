"""The desk lists letters issued but not served for more than N working days (N a setting)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceMethod
from gongkai.letters.deliveries import record_delivery
from gongkai.letters.services import generate_letter
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _desk(client: Client) -> str:
    return client.get(reverse("cases:desk")).content.decode()


def test_unserved_letter_listed_after_n_working_days_not_before(tree, on_day) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.RECEIPT, today=MONDAY)
    other = generate_letter(actor=tree.officer_b, case=CaseFactory(actor=tree.officer_b), kind="receipt", today=MONDAY)
    client = Client()
    client.force_login(tree.officer_a)
    link = reverse("letters:case", args=[case.pk])

    on_day(dt.date(2026, 3, 5))  # Thursday: 3, 4, 5 March = 3 working days, not more
    html = _desk(client)
    assert "未送达的文书" in html and link not in html and "没有超期未送达的文书" in html

    on_day(dt.date(2026, 3, 6))  # Friday: the 4th working day
    html = _desk(client)
    assert f'href="{link}#letter-{letter.pk}"' in html and letter.number in html and "未发出" in html
    assert other.number not in html  # another agency's letter

    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.POST,
        sent_on=MONDAY,
        tracking_number="EA1",
        today=dt.date(2026, 3, 6),
    )
    html = _desk(client)
    assert letter.number in html and "已发出未送达" in html  # sent is not served

    on_day(dt.date(2026, 3, 9))  # the weekend does not count: still listed on Monday
    assert letter.number in _desk(client)


def test_served_letter_leaves_the_desk_and_n_is_a_setting(tree, on_day, settings) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.RECEIPT, today=MONDAY)
    client = Client()
    client.force_login(tree.officer_a)
    on_day(dt.date(2026, 3, 4))  # Wednesday: 3 and 4 March = 2 working days
    settings.LETTER_UNSERVED_ALERT_DAYS = 1
    assert letter.number in _desk(client)
    settings.LETTER_UNSERVED_ALERT_DAYS = 2
    assert letter.number not in _desk(client)
    settings.LETTER_UNSERVED_ALERT_DAYS = 1
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.DIRECT,
        sent_on=MONDAY,
        received_on=dt.date(2026, 3, 3),
        today=dt.date(2026, 3, 4),
    )
    assert letter.number not in _desk(client)
