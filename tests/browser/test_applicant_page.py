"""The applicant's side in a real browser (issue 12): apply, 补正 answered online, a fee notice
paid with an uploaded proof and confirmed, the answer seen; at each step the applicant's message
is in the outbox (one file per message, as in the demo)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai import clock
from gongkai.cases import services
from gongkai.cases.models import Case
from gongkai.core.case_flow import Status
from gongkai.core.outcomes import Outcome
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outbox(settings: Any, tmp_path: Path) -> Path:
    settings.EMAIL_BACKEND = "gongkai.notifications.mail.OutboxBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox" / "email"
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path / "outbox" / "sms"
    return tmp_path / "outbox"


def sms_texts(outbox: Path) -> list[str]:
    folder = outbox / "sms"
    return [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())] if folder.exists() else []


def emails(outbox: Path) -> int:
    folder = outbox / "email"
    return len(list(folder.iterdir())) if folder.exists() else 0


def test_applicant_follows_the_case_from_the_portal_to_the_answer(  # type: ignore[no-untyped-def]
    live_server, page, tree, outbox, screenshots, tmp_path
) -> None:
    today = clock.today()
    # Apply on the portal.
    page.goto(live_server.url + reverse("portal:apply", args=[tree.street_a.code]))
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("身份证明号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("所需政府信息的名称或特征性描述").fill("请公开2023年老旧小区综合整治项目的实施方案。")
    page.get_by_role("button", name="提交申请").click()
    code = page.locator("#tracking-code").inner_text().strip()
    page.reload()
    assert page.locator("#tracking-code").inner_text().strip() == code  # kept on reload
    case = Case.objects.get(tracking_code=code)
    assert any(code in text for text in sms_texts(outbox)) and emails(outbox) >= 1

    # The office confirms receipt and asks for a 补正.
    officer = tree.officer_a
    case = services.confirm_online_application(actor=officer, case=case, today=today)
    assert any("已确认收到" in t for t in sms_texts(outbox))
    case = services.request_correction(
        actor=officer, case=case, items="请写明所需信息的年份。", reply_by=today + dt.timedelta(days=14), today=today
    )
    assert any("需要补正" in t for t in sms_texts(outbox))

    # The applicant opens the page with the code and the phone's last 4 digits and answers.
    page.goto(live_server.url + reverse("portal:track") + f"?code={code}")
    page.get_by_label("联系电话后四位").fill("5678")
    page.get_by_role("button", name="查询", exact=True).click()
    assert "请写明所需信息的年份" in page.locator("#correction").inner_text()
    page.screenshot(path=str(screenshots / "applicant-correction.png"), full_page=True)
    page.get_by_label("说明").fill("所需信息为2023年的实施方案。")
    material = tmp_path / "补正材料.pdf"
    material.write_bytes(PDF)
    page.locator("#correction-files").set_input_files(str(material))
    page.get_by_role("button", name="提交补正").click()
    assert "补正材料已提交" in page.content()
    case.refresh_from_db()
    assert case.correction_received_on == today and case.status == Status.IN_PROGRESS
    assert any("已收到您的补正材料" in t for t in sms_texts(outbox))

    # A fee notice; the applicant sees the amount and uploads a proof.
    case = services.send_fee_notice(actor=officer, case=case, method="by_volume", pages=250, today=today)
    assert any("信息处理费" in t for t in sms_texts(outbox))
    page.goto(live_server.url + reverse("portal:track_case"))
    fee = page.locator("#fee").inner_text()
    notice = case.fee_notices.get()
    assert f"{notice.amount} 元" in fee and "缴费期限" in fee
    proof = tmp_path / "回单.pdf"
    proof.write_bytes(PDF)
    page.locator("#proof-files").set_input_files(str(proof))
    page.get_by_role("button", name="上传凭证").click()
    assert "缴费凭证已上传" in page.content()
    page.screenshot(path=str(screenshots / "applicant-fee.png"), full_page=True)

    # The office confirms the payment and answers.
    case.refresh_from_db()
    case = services.record_fee_payment(actor=officer, case=case, today=today)
    assert any("已确认收到您缴纳的信息处理费" in t for t in sms_texts(outbox))
    case = services.close_case(
        actor=officer, case=case, outcome=Outcome.GRANTED, today=today, note="已通过电子邮件提供。"
    )
    assert any("已作出答复" in t for t in sms_texts(outbox))

    page.goto(live_server.url + reverse("portal:track_case"))
    assert page.locator("#case-status").inner_text() == "已办结"
    timeline = page.locator("#timeline").inner_text()
    for step in (
        "您在网上提交了申请",
        "告知您补正申请",
        "收到补正",
        "发出信息处理费收费通知",
        "确认收到缴费",
        "作出答复",
    ):
        assert step in timeline
    page.screenshot(path=str(screenshots / "applicant-answered.png"), full_page=True)
    assert emails(outbox) >= 7  # one e-mail per message too (and the officers' notices)

    # The officer sees every message sent to the applicant, masked, and what the applicant sent.
    desk = page.context.browser.new_context(locale="zh-CN").new_page()
    desk.goto(live_server.url + reverse("login"))
    desk.get_by_label("用户名").fill(officer.username)
    desk.get_by_label("密码").fill(TEST_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    notices = desk.locator("section", has=desk.get_by_role("heading", name="通知记录")).inner_text()
    assert "139****5678" in notices and "13912345678" not in notices and notices.count("已发送") >= 14
    replies = desk.locator("section", has=desk.get_by_role("heading", name="申请人网上提交")).inner_text()
    assert "补正材料.pdf" in replies and "回单.pdf" in replies
    desk.screenshot(path=str(screenshots / "officer-messages.png"), full_page=True)
    desk.context.close()
