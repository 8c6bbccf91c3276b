"""The online application (条例 arts 29, 31(3)) and the status page; abuse controls; never a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from gongkai.cases import services as case_services
from gongkai.cases.applicants import split_applicant
from gongkai.cases.models import Case
from gongkai.core.case_flow import Status as CaseStatus
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.portal.forms import resident_id_ok
from gongkai.publications.errors import PublicationError

pytestmark = pytest.mark.django_db

VALID: dict[str, str] = {
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "139-1234-5678",
    "email": "zhangsan@example.cn",
    "address": "北京市密云区果园街道某小区1号楼",
    "postal_code": "101500",
    "request_description": "请公开果园街道2023年老旧小区综合整治项目的实施方案及资金预算。",
    "document_number": "",
    "provision_form": "electronic",
    "delivery_method": "email",
    "website": "",
}


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def apply(client: Client, agency: Any, ip: str = "203.0.113.7", **changes: str) -> Any:
    return client.post(reverse("portal:apply", args=[agency.code]), {**VALID, **changes}, REMOTE_ADDR=ip)


def test_valid_application_creates_an_internet_case_awaiting_confirmation(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    response = apply(client, tree.street_a)
    assert response.status_code == 302 and response["Location"] == reverse("portal:apply_done")
    case = Case.objects.get()
    assert case.agency == tree.street_a and case.channel == Channel.INTERNET
    assert case.status == CaseStatus.AWAITING_CONFIRMATION and case.received_on is None
    assert case.client_ip == "203.0.113.7" and case.applicant_name == "张三"
    done = client.get(response["Location"]).content.decode()
    assert case.tracking_code in done and "第三十一条" in done


def test_invalid_application_shows_every_error_and_creates_nothing(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    response = apply(
        client,
        tree.street_a,
        applicant_name="",
        id_number="110105194912310021",
        phone="abc",
        email="",
        request_description="",
    )
    html = response.content.decode()
    assert response.status_code == 400 and not Case.objects.exists()
    for message in (
        "申请表有需要修改的地方",
        "居民身份证号码应为18位",
        "请填写有效的电话号码",
        "选择以电子邮件获取信息时，请填写电子邮箱",
    ):
        assert message in html, message
    assert 'value="139-1234-5678"' not in html  # the bad phone is shown back as typed, not the default
    assert "abc" in html


def test_honeypot_creates_nothing(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    response = apply(client, tree.street_a, website="http://spam.example/")
    assert response.status_code == 400 and not Case.objects.exists()
    assert "提交未成功" in response.content.decode()


def test_too_large_a_post_is_refused(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    response = apply(client, tree.street_a, request_description="很长" * 40000)
    assert response.status_code == 413 and not Case.objects.exists()
    assert "提交的内容过大" in response.content.decode()


def test_overlong_description_is_a_form_error(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    response = apply(client, tree.street_a, request_description="字" * 2001)
    assert response.status_code == 400 and "不超过2000字" in response.content.decode()


def test_rate_limit_per_address(client: Client, tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_RATE_LIMITS = {"apply_hour": (2, 3600)}
    assert apply(client, tree.street_a).status_code == 302
    assert apply(client, tree.street_a).status_code == 302
    third = apply(client, tree.street_a)
    assert third.status_code == 429 and "每小时最多2次" in third.content.decode()
    assert Case.objects.count() == 2
    assert apply(client, tree.street_a, ip="198.51.100.9").status_code == 302  # another address


def test_rate_limit_behind_a_proxy_uses_the_forwarded_address(client: Client, tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_RATE_LIMITS = {"apply_hour": (1, 3600)}
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    url = reverse("portal:apply", args=[tree.street_a.code])
    assert (
        client.post(url, VALID, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.1").status_code == 302
    )
    assert client.post(url, VALID, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302
    assert (
        client.post(url, VALID, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.2").status_code == 429
    )
    assert Case.objects.get(applicant_name="张三", client_ip="203.0.113.1")


def test_service_refusal_and_crash_keep_the_form(client: Client, tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(**kwargs: Any) -> None:
        raise PublicationError("该机关暂不受理网上申请")

    monkeypatch.setattr(case_services, "submit_online_application", refuse)
    response = apply(client, tree.street_a)
    assert response.status_code == 400 and "该机关暂不受理网上申请" in response.content.decode()

    def crash(**kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(case_services, "submit_online_application", crash)
    response = apply(client, tree.street_a)
    html = response.content.decode()
    assert response.status_code == 503 and "系统暂时无法受理" in html and "老旧小区综合整治项目" in html


def test_resident_id_check_digit() -> None:
    assert resident_id_ok("11010519491231002X")
    assert not resident_id_ok("110105194912310021")
    assert not resident_id_ok("1101051949123100")


# --- status page -------------------------------------------------------------------------------


def submitted_case(client: Client, tree: Any) -> Case:
    assert apply(client, tree.street_a).status_code == 302
    return Case.objects.get()


def track(client: Client, code: str, last4: str, ip: str = "203.0.113.50") -> Any:
    return client.post(reverse("portal:track"), {"code": code, "phone_last4": last4}, REMOTE_ADDR=ip)


def test_status_needs_code_and_phone_digits(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    case = submitted_case(client, tree)
    wrong = track(client, case.tracking_code, "0000")
    assert wrong.status_code == 404 and "查询码或联系电话后四位不正确" in wrong.content.decode()
    unknown = track(client, "2222-3333-4444", "5678")
    assert unknown.status_code == 404 and "查询码或联系电话后四位不正确" in unknown.content.decode()
    ok = track(client, case.tracking_code.lower().replace("-", " "), "5678")
    html = ok.content.decode()
    assert ok.status_code == 200 and "待确认收到" in html and "确认收到后计算" in html
    assert "张三" not in html and "11010519491231002X" not in html  # no personal data on the page


def test_status_after_confirmation_and_answer(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    applicant, fields = split_applicant({k: v for k, v in VALID.items() if k != "website"})
    case = case_services.submit_online_application(
        agency=tree.street_a,
        applicant=applicant,
        submitted_at=dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC),
        client_ip="203.0.113.7",
        **fields,
    )
    confirmed = case_services.confirm_online_application(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 2))
    html = track(client, case.tracking_code, "5678").content.decode()
    assert "2026年3月2日" in html and "2026年3月30日" in html  # received, and due 20 working days later
    assert confirmed.due_on == dt.date(2026, 3, 30)
    case_services.start_processing(actor=tree.officer_a, case=confirmed, today=dt.date(2026, 3, 3))
    case.refresh_from_db()
    case_services.close_case(
        actor=tree.officer_a,
        case=case,
        outcome=Outcome.GRANTED,
        today=dt.date(2026, 3, 10),
        note="所申请信息已通过电子邮件提供。",
    )
    html = track(client, case.tracking_code, "5678").content.decode()
    assert "已办结" in html and "予以公开" in html and "所申请信息已通过电子邮件提供" in html


def test_tracking_is_rate_limited(client: Client, tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_RATE_LIMITS = {"track": (3, 600)}
    for _ in range(3):
        assert track(client, "2222-3333-4444", "1234").status_code == 404
    assert track(client, "2222-3333-4444", "1234").status_code == 429


def test_tracking_form_errors_are_friendly(client: Client) -> None:
    response = client.post(reverse("portal:track"), {"code": "", "phone_last4": "12a4"})
    assert response.status_code == 400 and "请输入4位数字" in response.content.decode()


def test_application_pages_for_unknown_agency(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("portal:apply", args=["NOPE"])).status_code == 404
    assert client.get(reverse("portal:apply_done")).status_code == 302  # nothing submitted in this session
    assert client.get(reverse("portal:apply_choose")).status_code == 200


def test_the_answer_letter_is_offered_to_the_applicant_only(client: Client, tree, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gongkai.core.letters import LetterType
    from gongkai.core.letters.service import ServiceMethod
    from gongkai.letters.context import LetterFacts
    from gongkai.letters.deliveries import record_delivery
    from gongkai.letters.models import LetterSettings
    from gongkai.letters.services import generate_letter

    settings.MEDIA_ROOT = tmp_path
    LetterSettings.objects.create(
        agency=tree.street_a, court_name="测试区人民法院", reconsideration_body="测试区人民政府"
    )
    applicant, fields = split_applicant({k: v for k, v in VALID.items() if k != "website"})
    case = case_services.submit_online_application(
        agency=tree.street_a,
        applicant=applicant,
        submitted_at=dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC),
        client_ip="203.0.113.7",
        **fields,
    )
    case = case_services.confirm_online_application(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 2))
    case = case_services.start_processing(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 3))
    case = case_services.close_case(
        actor=tree.officer_a, case=case, outcome=Outcome.GRANTED, today=dt.date(2026, 3, 10)
    )
    letter = generate_letter(
        actor=tree.officer_a,
        case=case,
        kind=LetterType.ANSWER_GRANTED,
        today=dt.date(2026, 3, 10),
        facts=LetterFacts(access_method="电子邮件"),
    )
    url = reverse("portal:track_letter", args=[letter.pk])
    html = track(client, case.tracking_code, "5678").content.decode()
    assert url not in html  # offered only once it is served by 电子送达
    client.logout()
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.ELECTRONIC,
        sent_on=dt.date(2026, 3, 10),
        consent=True,
        today=dt.date(2026, 3, 10),
    )
    assert client.get(url).status_code == 404  # not looked up in this session
    html = track(client, case.tracking_code, "5678").content.decode()
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")  # type: ignore[attr-defined]
    other = Client()
    assert other.get(url).status_code == 404


def test_invalid_inputs_point_at_their_messages(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    html = apply(client, tree.street_a, phone="abc").content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_phone_help id_phone_error"' in html and 'id="id_phone_error"' in html
