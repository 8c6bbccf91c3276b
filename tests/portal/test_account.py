"""The optional applicant account (issue 12 item 4): sign in with a phone or e-mail on record and
a one-time code; the list of ALL that contact's applications, never another person's."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai import clock
from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.access import MAX_CODE_ATTEMPTS, cases_for_contact, phone_key
from gongkai.cases.models import Case, ContactCode
from gongkai.notifications import sms
from gongkai.portal.account import ACCOUNT_KEY, IDLE_SECONDS, SAME_ANSWER
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache.clear()
    sms.outbox.clear()
    mail.outbox.clear()
    monkeypatch.setattr(clock, "today", lambda: NOW.date())
    monkeypatch.setattr(clock, "now", lambda: NOW)
    yield
    cache.clear()


@pytest.fixture
def people(tree: Any) -> dict[str, Case]:
    """Two applicants at the same agency, one of them also at another; near-miss contacts."""
    return {
        "mine_a": CaseFactory(actor=tree.officer_a, phone="139-1234-5678", email="zhang@example.cn"),
        "mine_b": CaseFactory(actor=tree.officer_b, phone="+86 139 1234 5678", email=""),
        "mine_mail": CaseFactory(actor=tree.officer_b, phone="010-6666 7777", email="Zhang@Example.CN"),
        "other": CaseFactory(actor=tree.officer_a, phone="13912345679", email="li@example.cn"),
        "longer": CaseFactory(actor=tree.officer_a, phone="913912345678", email="xzhang@example.cn"),
        "prefix": CaseFactory(actor=tree.officer_a, phone="1391234567", email="zhang@example.cn.evil.org"),
    }


def _code(text: str) -> str:
    found = re.search(r"验证码为 (\d{6})", text)
    assert found is not None, text
    return found.group(1)


def sign_in(client: Client, contact: str) -> Any:
    sent = client.post(reverse("portal:account_login"), {"contact": contact})
    assert sent.status_code == 200 and SAME_ANSWER in sent.content.decode()
    text = sms.outbox[-1].text if "@" not in contact else mail.outbox[-1].body
    return client.post(reverse("portal:account_verify"), {"contact": contact, "code": _code(text)})


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("0086 13912345678", "13912345678"),
        ("8613912345678", "13912345678"),
        ("(010) 6666-7777", "01066667777"),
        ("12345", ""),
    ],
)
def test_phone_key_ignores_formatting_only(typed: str, key: str) -> None:
    assert phone_key(typed) == key


def test_contact_matches_exactly_never_by_substring(people: dict[str, Case]) -> None:
    found = {c.pk for c in cases_for_contact("13912345678", limit=None)}
    assert found == {people["mine_a"].pk, people["mine_b"].pk}
    assert {c.pk for c in cases_for_contact("1391234567", limit=None)} == {people["prefix"].pk}  # a prefix: itself only
    assert {c.pk for c in cases_for_contact("3912345678", limit=None)} == set()  # a suffix of mine
    mail_found = {c.pk for c in cases_for_contact(" ZHANG@example.cn ", limit=None)}
    assert mail_found == {people["mine_a"].pk, people["mine_mail"].pk}


def test_sign_in_by_phone_lists_all_my_applications_and_no_one_elses(
    client: Client, tree: Any, people: dict[str, Case]
) -> None:
    done = sign_in(client, "139 1234 5678")  # formatted differently from both applications
    assert done.status_code == 302 and done["Location"] == reverse("portal:account")
    page = client.get(reverse("portal:account")).content.decode()
    for mine in ("mine_a", "mine_b"):
        assert people[mine].number in page
    for theirs in ("other", "longer", "prefix", "mine_mail"):
        assert people[theirs].number not in page
    assert tree.street_a.name in page and tree.street_b.name in page  # across agencies
    assert "139****5678" in page and "13912345678" not in page
    assert AuditEvent.objects.filter(action="portal.account_signed_in").count() == 1


def test_sign_in_by_email_case_insensitive(client: Client, people: dict[str, Case]) -> None:
    assert sign_in(client, "zhang@EXAMPLE.cn").status_code == 302
    page = client.get(reverse("portal:account")).content.decode()
    assert people["mine_a"].number in page and people["mine_mail"].number in page
    assert people["prefix"].number not in page and people["longer"].number not in page


def test_open_a_case_without_the_second_factor_but_never_someone_elses(client: Client, people: dict[str, Case]) -> None:
    sign_in(client, "13912345678")
    opened = client.get(reverse("portal:account_case", args=[people["mine_b"].pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("portal:track_case")
    page = client.get(reverse("portal:track_case")).content.decode()
    assert people["mine_b"].number in page and "办理进度" in page and 'id="back-to-account"' in page
    assert client.get(reverse("portal:account_case", args=[people["other"].pk])).status_code == 404
    assert client.session.get("portal_tracked_case") == people["mine_b"].pk  # unchanged by the refusal


def test_unknown_contact_gets_the_same_answer_and_no_message(client: Client, people: dict[str, Case]) -> None:
    answer = client.post(reverse("portal:account_login"), {"contact": "13700000000"})
    assert answer.status_code == 200 and SAME_ANSWER in answer.content.decode()
    assert sms.outbox == [] and not ContactCode.objects.exists()
    refused = client.post(reverse("portal:account_verify"), {"contact": "13700000000", "code": "123456"})
    assert refused.status_code == 400 and "验证码不正确或已过期" in refused.content.decode()


def test_a_code_works_once_expires_and_dies_after_few_wrong_tries(client: Client, people: dict[str, Case]) -> None:
    client.post(reverse("portal:account_login"), {"contact": "13912345678"})
    code = _code(sms.outbox[-1].text)
    assert code not in "".join(people["mine_a"].messages.values_list("text", flat=True))  # not kept in the log
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_CODE_ATTEMPTS):
        bad = client.post(reverse("portal:account_verify"), {"contact": "13912345678", "code": wrong})
        assert bad.status_code == 400
    late = client.post(reverse("portal:account_verify"), {"contact": "13912345678", "code": code})
    assert late.status_code == 400 and ACCOUNT_KEY not in client.session
    client.post(reverse("portal:account_login"), {"contact": "13912345678"})
    fresh = _code(sms.outbox[-1].text)
    assert client.post(reverse("portal:account_verify"), {"contact": "13912345678", "code": fresh}).status_code == 302
    other = Client()
    reused = other.post(reverse("portal:account_verify"), {"contact": "13912345678", "code": fresh})
    assert reused.status_code == 400


def test_rate_limited_per_address_and_per_contact(client: Client, settings: Any, people: dict[str, Case]) -> None:
    settings.PORTAL_RATE_LIMITS = {"account_code": (2, 600), "account_verify": (3, 600)}
    for _ in range(2):
        client.post(reverse("portal:account_login"), {"contact": "13912345678"})
    limited = client.post(reverse("portal:account_login"), {"contact": "13912345678"})
    assert limited.status_code == 429 and "过于频繁" in limited.content.decode()
    for _ in range(3):
        client.post(reverse("portal:account_verify"), {"contact": "13912345678", "code": "000000"})
    assert (
        client.post(reverse("portal:account_verify"), {"contact": "13912345678", "code": "000000"}).status_code == 429
    )
    settings.PORTAL_RATE_LIMITS = {}
    for n in range(8):  # many addresses, one phone: at most 5 codes an hour
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(reverse("portal:account_login"), {"contact": "13912345678"})
    assert len(sms.outbox) == 5


def test_session_expires_after_idle_time_and_sign_out_ends_it(
    client: Client, monkeypatch: pytest.MonkeyPatch, people: dict[str, Case]
) -> None:
    sign_in(client, "13912345678")
    client.get(reverse("portal:account_case", args=[people["mine_a"].pk]))
    later = NOW + dt.timedelta(seconds=IDLE_SECONDS + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    gone = client.get(reverse("portal:account"))
    assert gone.status_code == 302 and "expired=1" in gone["Location"]
    assert "登录已超时" in client.get(gone["Location"]).content.decode()
    assert client.get(reverse("portal:track_case")).status_code == 302  # the opened case went too
    monkeypatch.setattr(clock, "now", lambda: NOW)
    sign_in(client, "13912345678")
    client.get(reverse("portal:account_case", args=[people["mine_a"].pk]))
    out = client.post(reverse("portal:account_logout"))
    assert out.status_code == 302
    assert client.get(reverse("portal:account")).status_code == 302
    assert client.get(reverse("portal:track_case")).status_code == 302
    assert AuditEvent.objects.filter(action="portal.account_signed_out").count() == 1


def test_the_list_says_what_to_do_and_until_when(client: Client, tree: Any, people: dict[str, Case]) -> None:
    case = services.start_processing(actor=tree.officer_a, case=people["mine_a"], today=people["mine_a"].received_on)
    services.request_correction(
        actor=tree.officer_a, case=case, items="请写明文号", reply_by=dt.date(2026, 3, 16), today=dt.date(2026, 3, 3)
    )
    sign_in(client, "13912345678")
    page = client.get(reverse("portal:account")).content.decode()
    assert "补正期限" in page and "2026年3月16日（暂定）" in page and "请补正申请" in page
    assert "正在办理" in page or "等待" in page  # the other application
