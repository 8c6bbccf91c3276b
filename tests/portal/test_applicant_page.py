"""The applicant's side (issue 12): messages to the applicant, the tracking page with a second
factor, forgot-code, online 补正 (条例 art 30) and the 信息处理费 with a payment proof."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai import clock
from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.access import MAX_CODE_ATTEMPTS
from gongkai.cases.applicants import split_applicant
from gongkai.cases.choices import MessageStatus
from gongkai.cases.models import AccessCode, ApplicantMessage, Case
from gongkai.cases.notifications import retry_failed_notifications
from gongkai.core.case_flow import Status
from gongkai.letters.models import LetterSettings
from gongkai.notifications import sms
from tests.portal.test_apply import VALID, apply

pytestmark = pytest.mark.django_db

SH = dt.timezone(dt.timedelta(hours=8))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def day(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the portal's day: ``day(date)``."""

    def set_day(d: dt.date) -> None:
        monkeypatch.setattr(clock, "today", lambda: d)
        monkeypatch.setattr(clock, "now", lambda: dt.datetime.combine(d, dt.time(10, 0), tzinfo=SH))

    return set_day


def online_case(tree: Any, capture: Any) -> Case:
    applicant, fields = split_applicant({k: v for k, v in VALID.items() if k != "website"})
    with capture(execute=True):
        case = services.submit_online_application(
            agency=tree.street_a,
            applicant=applicant,
            submitted_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH),
            client_ip="203.0.113.7",
            **fields,
        )
        return services.confirm_online_application(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 2))


def open_page(client: Client, case: Case, last4: str = "5678") -> Any:
    return client.post(reverse("portal:track"), {"code": case.tracking_code, "phone_last4": last4})


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- messages ---------------------------------------------------------------------------------


def test_submission_writes_one_outbox_file_per_message_with_the_tracking_code(
    client: Client, tree: Any, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "gongkai.notifications.mail.OutboxBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "email"
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    with django_capture_on_commit_callbacks(execute=True):
        assert apply(client, tree.street_a).status_code == 302
    case = Case.objects.get()
    sms_files = list((tmp_path / "sms").iterdir())
    assert len(sms_files) == 1
    text = sms_files[0].read_text(encoding="utf-8")
    assert case.tracking_code in text and "13912345678" in text and f"/track/?code={case.tracking_code}" in text
    emails = [p.read_text(encoding="utf-8") for p in (tmp_path / "email").iterdir()]
    applicant_mail = [e for e in emails if "zhangsan@example.cn" in e]
    assert len(applicant_mail) == 1
    assert {m.status for m in ApplicantMessage.objects.filter(case=case)} == {MessageStatus.SENT}
    # the confirmation page keeps the code on reload
    for _ in range(2):
        assert case.tracking_code in client.get(reverse("portal:apply_done")).content.decode()


class _Gateway(http.server.BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        _Gateway.received.append(json.loads(self.rfile.read(length)))
        status = _Gateway.answers.pop(0) if _Gateway.answers else 200
        body = json.dumps({"id": f"gw-{len(_Gateway.received)}"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Gateway)
    _Gateway.answers, _Gateway.received = [500, 200], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/send"
    server.shutdown()
    server.server_close()


def test_failed_sms_is_retried_with_backoff_then_sent(
    tree: Any, settings: Any, gateway: str, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = "http", gateway, "k"
    applicant, fields = split_applicant({**{k: v for k, v in VALID.items() if k != "website"}, "email": ""})
    with django_capture_on_commit_callbacks(execute=True):
        case = services.submit_online_application(
            agency=tree.street_a, applicant=applicant, submitted_at=timezone.now(), client_ip=None, **fields
        )
    message = ApplicantMessage.objects.get(case=case)
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1) and "500" in message.last_error
    assert message.next_attempt_at is not None
    early = retry_failed_notifications(now=message.next_attempt_at - dt.timedelta(seconds=1))
    assert early.tried == 0
    result = retry_failed_notifications(now=message.next_attempt_at)
    message.refresh_from_db()
    assert (result.tried, result.sent) == (1, 1)
    assert (message.status, message.attempts, message.provider_id) == (MessageStatus.SENT, 2, "gw-2")
    assert _Gateway.received[-1]["to"] == "13912345678" and case.tracking_code in _Gateway.received[-1]["text"]


def test_retries_stop_at_the_cap(tree: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.SMS_BACKEND, settings.NOTIFICATION_MAX_ATTEMPTS = "disabled", 2
    case = online_case(tree, django_capture_on_commit_callbacks)
    far = timezone.now() + dt.timedelta(days=2)
    retry_failed_notifications(now=far)
    assert retry_failed_notifications(now=far + dt.timedelta(days=1)).tried == 0
    assert {m.attempts for m in case.messages.filter(channel="sms")} == {2}


def test_officer_sees_messages_masked_and_retries(
    client: Client, tree: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SMS_BACKEND = "disabled"
    case = online_case(tree, django_capture_on_commit_callbacks)
    client.force_login(tree.officer_a)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "通知记录" in html and "139****5678" in html and "13912345678" not in html and "发送失败" in html
    failed = case.messages.filter(status=MessageStatus.FAILED).first()
    assert failed is not None
    settings.SMS_BACKEND = "memory"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:retry_message", args=[case.pk, failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == MessageStatus.SENT and AuditEvent.objects.filter(action="case.message_retried").exists()


def test_each_step_tells_the_applicant(tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    case = online_case(tree, django_capture_on_commit_callbacks)
    kinds = list(case.messages.filter(channel="email").values_list("kind", flat=True))
    assert kinds == ["submitted_online", "confirm_receipt"]
    assert any("2026年3月30日" in m.text for m in sms.outbox)  # receipt with its due date
    assert all("张三" not in m.text for m in sms.outbox)  # nothing the applicant did not give… nor the name


# --- access -----------------------------------------------------------------------------------


def test_wrong_digits_refused_and_rate_limited(client: Client, tree: Any, settings: Any, day: Any) -> None:
    settings.PORTAL_RATE_LIMITS = {"track": (3, 600)}
    applicant, fields = split_applicant({k: v for k, v in VALID.items() if k != "website"})
    case = services.submit_online_application(
        agency=tree.street_a, applicant=applicant, submitted_at=timezone.now(), client_ip=None, **fields
    )
    for _ in range(3):
        assert open_page(client, case, "0000").status_code == 404
    assert open_page(client, case, "5678").status_code == 429


def _code_from_outbox() -> str:
    import re

    found = re.search(r"验证码为 (\d{6})", sms.outbox[-1].text)
    assert found is not None
    return found.group(1)


def test_one_time_code_works_once_and_expires(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = online_case(tree, django_capture_on_commit_callbacks)
    day(dt.date(2026, 3, 3))
    sent = client.post(reverse("portal:track_send_code"), {"code": case.tracking_code})
    assert "验证码已发送" in sent.content.decode()
    code = _code_from_outbox()
    assert AccessCode.objects.get(case=case).code_hash != code  # stored hashed
    assert code not in "".join(case.messages.values_list("text", flat=True))  # the log keeps no code
    ok = client.post(reverse("portal:track"), {"code": case.tracking_code, "otp": code})
    assert ok.status_code == 200 and "办理过程" in ok.content.decode()
    again = client.post(reverse("portal:track"), {"code": case.tracking_code, "otp": code})
    assert again.status_code == 404 and "验证码不正确" in again.content.decode()
    # a new code, too late
    client.post(reverse("portal:track_send_code"), {"code": case.tracking_code})
    late = _code_from_outbox()
    day(dt.date(2026, 3, 4))
    assert client.post(reverse("portal:track"), {"code": case.tracking_code, "otp": late}).status_code == 404


def test_one_time_code_allows_few_attempts(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = online_case(tree, django_capture_on_commit_callbacks)
    day(dt.date(2026, 3, 3))
    client.post(reverse("portal:track_send_code"), {"code": case.tracking_code})
    code = _code_from_outbox()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_CODE_ATTEMPTS):
        client.post(reverse("portal:track"), {"code": case.tracking_code, "otp": wrong})
    assert client.post(reverse("portal:track"), {"code": case.tracking_code, "otp": code}).status_code == 404


def test_send_code_same_answer_and_rate_limited(client: Client, tree: Any, settings: Any) -> None:
    settings.PORTAL_RATE_LIMITS = {"track_code": (2, 600)}
    unknown = client.post(reverse("portal:track_send_code"), {"code": "2222-3333-4444"})
    assert unknown.status_code == 200 and "验证码已发送" in unknown.content.decode() and sms.outbox == []
    client.post(reverse("portal:track_send_code"), {"code": "2222-3333-4444"})
    assert client.post(reverse("portal:track_send_code"), {"code": "2222-3333-4444"}).status_code == 429


def test_forgot_code_does_not_reveal_whether_the_contact_exists(
    client: Client, tree: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = online_case(tree, django_capture_on_commit_callbacks)
    sms.outbox.clear()
    mail.outbox.clear()
    known = client.post(reverse("portal:track_forgot"), {"contact": "139 1234 5678"})
    unknown = client.post(reverse("portal:track_forgot"), {"contact": "13800000000"})
    assert known.status_code == unknown.status_code == 200
    assert "我们已把查询码发送给它" in known.content.decode() and "我们已把查询码发送给它" in unknown.content.decode()
    assert case.tracking_code not in known.content.decode()
    assert len(sms.outbox) == 1 and sms.outbox[0].to == "13912345678" and case.tracking_code in sms.outbox[0].text
    client.post(reverse("portal:track_forgot"), {"contact": "ZhangSan@example.cn"})
    assert len(mail.outbox) == 1 and case.tracking_code in mail.outbox[0].body
    assert client.post(reverse("portal:track_forgot"), {"contact": "abc"}).status_code == 400


# --- the page, 补正, fees -------------------------------------------------------------------------


def test_page_shows_timeline_due_reason_and_no_internal_notes(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = online_case(tree, django_capture_on_commit_callbacks)
    services.assign(actor=tree.officer_a, case=case, department=None, officer=tree.officer_a, today=dt.date(2026, 3, 2))
    day(dt.date(2026, 3, 3))
    html = open_page(client, case).content.decode()
    assert "您在网上提交了申请" in html and "确认收到申请，答复期限自此日起计算" in html
    assert "自收到申请之日（2026年3月2日）起20个工作日内答复" in html
    assert "分办" not in html and "203.0.113" not in html
    assert client.get(reverse("portal:track_case")).status_code == 200  # reload from the session


def test_online_correction_restarts_the_clock_and_is_audited(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = online_case(tree, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_correction(
            actor=tree.officer_a,
            case=case,
            items="请写明所需信息的年份。",
            reply_by=dt.date(2026, 3, 13),
            today=dt.date(2026, 3, 3),
        )
    assert "请补正申请" in case.messages.filter(channel="email").last().subject  # type: ignore[union-attr]
    day(dt.date(2026, 3, 5))
    page = open_page(client, case).content.decode()
    assert "请写明所需信息的年份" in page and "提交补正" in page
    bad = client.post(
        reverse("portal:track_correction"),
        {"text": "年份为2023年", "files": SimpleUploadedFile("x.exe", b"MZ...", content_type="application/x")},
    )
    assert bad.status_code == 400 and "类型不允许" in bad.content.decode() and "年份为2023年" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("portal:track_correction"), {"text": "年份为2023年", "files": pdf()})
    assert done.status_code == 302 and done["Location"] == reverse("portal:track_case")
    case.refresh_from_db()
    assert case.correction_received_on == dt.date(2026, 3, 5) and case.due_on == dt.date(2026, 4, 2)
    assert case.status != Status.AWAITING_CORRECTION
    audit = AuditEvent.objects.get(action="case.receive_correction")
    assert audit.actor is None and "申请人网上补正" in audit.note
    assert case.events.get(kind="receive_correction").actor_name == "申请人（网上提交）"
    assert case.applicant_replies.get().files.count() == 1
    follow = client.get(reverse("portal:track_case")).content.decode()
    assert "补正材料已提交" in follow and "收到补正，答复期限自此日起重新计算" in follow
    assert case.messages.filter(kind="receive_correction").exists()


def test_correction_after_the_deadline_is_refused_with_a_message(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = online_case(tree, django_capture_on_commit_callbacks)
    services.request_correction(
        actor=tree.officer_a, case=case, items="请写明年份。", reply_by=dt.date(2026, 3, 13), today=dt.date(2026, 3, 3)
    )
    # handed to the applicant the same day (直接送达): the period runs from 3-3 as set
    services.record_notice_receipt(
        actor=tree.officer_a, case=case, kind="correction", received_on=dt.date(2026, 3, 3), today=dt.date(2026, 3, 3)
    )
    day(dt.date(2026, 3, 16))
    page = open_page(client, case).content.decode()
    assert "补正期限已于2026年3月13日届满" in page and "视为放弃申请" in page and "提交补正" not in page
    late = client.post(reverse("portal:track_correction"), {"text": "年份为2023年"})
    assert late.status_code == 400 and "补正期限已于2026-03-13届满" in late.content.decode()
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CORRECTION and not case.applicant_replies.exists()


def test_correction_past_a_provisional_date_is_taken_until_receipt_is_recorded(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """条例 art 30: the period runs from the applicant's receipt; no 送达 recorded, no lateness shown."""
    case = online_case(tree, django_capture_on_commit_callbacks)
    services.request_correction(
        actor=tree.officer_a, case=case, items="请写明年份。", reply_by=dt.date(2026, 3, 13), today=dt.date(2026, 3, 3)
    )
    day(dt.date(2026, 3, 16))
    page = open_page(client, case).content.decode()
    assert "暂定的补正期限已过，但尚未登记您收到补正告知的日期" in page and "提交补正" in page
    assert "补正期限：2026年3月13日（暂定）" in page
    sent = client.post(reverse("portal:track_correction"), {"text": "年份为2023年"})
    assert sent.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.correction_received_on == dt.date(2026, 3, 16)


def fee_case(tree: Any, capture: Any) -> Case:
    case = online_case(tree, capture)
    case = services.start_processing(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 3))
    with capture(execute=True):
        return services.send_fee_notice(
            actor=tree.officer_a, case=case, method="by_volume", pages=250, today=dt.date(2026, 3, 4)
        )


def test_fee_amount_lines_deadline_and_how_to_pay(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    LetterSettings.objects.create(
        agency=tree.street_a, payment_code="110000-0001", payee_name="测试区财政局", payee_account="0200 1234 5678"
    )
    case = fee_case(tree, django_capture_on_commit_callbacks)
    notice = case.fee_notices.get()
    day(dt.date(2026, 3, 5))
    html = open_page(client, case).content.decode()
    assert f"{notice.amount} 元" in html and all(line["text"] in html for line in notice.breakdown)
    assert "2026年4月1日" in html and notice.payment_due_on == dt.date(2026, 4, 1)  # 20 working days after 3-04
    assert "110000-0001" in html and "测试区财政局" in html and "上传凭证" in html
    assert case.messages.filter(kind="send_fee_notice").exists()


def test_second_payment_proof_refused_unless_asked_again(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = fee_case(tree, django_capture_on_commit_callbacks)
    day(dt.date(2026, 3, 5))
    open_page(client, case)
    assert client.post(reverse("portal:track_proof"), {"text": "已转账"}).status_code == 400  # no file
    assert client.post(reverse("portal:track_proof"), {"files": pdf("回单.pdf")}).status_code == 302
    second = client.post(reverse("portal:track_proof"), {"files": pdf("回单2.pdf")})
    assert second.status_code == 400 and "已上传过缴费凭证" in second.content.decode()
    assert AuditEvent.objects.filter(action="case.payment_proof").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.request_new_payment_proof(
            actor=tree.officer_a, case=case, reason="金额不符", today=dt.date(2026, 3, 6)
        )
    assert "金额不符" in client.get(reverse("portal:track_case")).content.decode()
    assert client.post(reverse("portal:track_proof"), {"files": pdf("回单2.pdf")}).status_code == 302
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_fee_payment(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 9))
    case.refresh_from_db()
    assert case.status != Status.FEE_PENDING and case.messages.filter(kind="receive_payment").exists()
    html = client.get(reverse("portal:track_case")).content.decode()
    assert "确认收到缴费，继续办理" in html and "已于2026年3月9日确认收款" in html


def test_remind_command_retries_failed_messages(
    tree: Any, settings: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.cli import main

    settings.SMS_BACKEND = "disabled"
    case = online_case(tree, django_capture_on_commit_callbacks)
    failed = case.messages.filter(status=MessageStatus.FAILED)
    assert failed.count() == 2  # submission and receipt, by SMS
    failed.update(next_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    settings.SMS_BACKEND = "memory"
    assert main(["remind", "--today", "2026-03-03"]) == 0
    assert "申请人通知：重试 2 条，发送成功 2 条" in capsys.readouterr().out
    assert not case.messages.filter(status=MessageStatus.FAILED).exists()


def test_codes_per_case_are_capped(tree: Any, django_capture_on_commit_callbacks: Any) -> None:
    from gongkai.cases.access import CODES_PER_CASE, issue_access_code

    case = online_case(tree, django_capture_on_commit_callbacks)
    now = timezone.now()
    assert all(issue_access_code(case, now=now) for _ in range(CODES_PER_CASE))
    assert not issue_access_code(case, now=now)
    assert issue_access_code(case, now=now + dt.timedelta(hours=2))


def test_demo_settings_write_messages_to_the_outbox(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "SMS_", "GONGKAI_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_VAR_DIR": str(tmp_path)})
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.SMS_BACKEND, s.SMS_FILE_PATH)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == [
        "gongkai.notifications.mail.OutboxBackend",
        str(tmp_path / "outbox" / "email"),
        "file",
        str(tmp_path / "outbox" / "sms"),
    ]


def test_oversized_or_disguised_files_are_refused_and_the_text_kept(
    client: Client, tree: Any, day: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from gongkai.portal import applicant

    case = online_case(tree, django_capture_on_commit_callbacks)
    services.request_correction(
        actor=tree.officer_a, case=case, items="请写明年份。", reply_by=dt.date(2026, 3, 13), today=dt.date(2026, 3, 3)
    )
    day(dt.date(2026, 3, 4))
    open_page(client, case)
    fake = SimpleUploadedFile("扫描件.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    disguised = client.post(reverse("portal:track_correction"), {"text": "年份为2023年", "files": fake})
    assert disguised.status_code == 400 and "扩展名与内容不符" in disguised.content.decode()
    monkeypatch.setattr(applicant, "MAX_UPLOAD_BYTES", 10)
    big = client.post(reverse("portal:track_correction"), {"text": "年份为2023年", "files": pdf()})
    html = big.content.decode()
    assert big.status_code == 400 and "超过上限" in html and "年份为2023年" in html
    case.refresh_from_db()
    assert case.status == Status.AWAITING_CORRECTION and not case.applicant_replies.exists()


def test_the_officer_is_told_of_an_online_correction(
    client: Client, tree: Any, day: Any, django_capture_on_commit_callbacks: Any
) -> None:
    tree.officer_a.email = "officer@example.cn"
    tree.officer_a.save()
    case = online_case(tree, django_capture_on_commit_callbacks)
    services.request_correction(
        actor=tree.officer_a, case=case, items="请写明年份。", reply_by=dt.date(2026, 3, 13), today=dt.date(2026, 3, 3)
    )
    day(dt.date(2026, 3, 4))
    open_page(client, case)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:track_correction"), {"text": "年份为2023年"})
    subjects = [m.subject for m in mail.outbox if m.to == ["officer@example.cn"]]
    assert any("申请人已网上补正" in s for s in subjects)
