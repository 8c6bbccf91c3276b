"""One application walked end to end in a real browser (issue 12, "Done means"): the citizen applies
on the portal and downloads the 登记回执 PDF; the office asks for a 补正 and serves the 补正告知书
electronically, the applicant downloads it (its 送达) and answers online; a fee notice is paid with
an uploaded proof and confirmed; the answer letter is served and downloaded. At each step the
applicant's message is in the outbox and the officer's letters page shows the 送达 state."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from gongkai import clock
from gongkai.cases import services
from gongkai.cases.models import Case
from gongkai.core.case_flow import Status
from gongkai.core.letters.kinds import LetterType
from gongkai.core.letters.service import ServiceMethod
from gongkai.core.outcomes import Outcome
from gongkai.letters.context import LetterFacts
from gongkai.letters.deliveries import record_delivery
from gongkai.letters.models import Delivery, Letter, LetterSettings
from gongkai.letters.services import generate_letter
from tests.browser.test_applicant_page import PDF, emails, outbox, sms_texts
from tests.browser.test_receipt_and_letters import _download, _pdf_text
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["outbox"]  # the fixture, imported so pytest finds it here


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Path) -> Any:
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _serve(officer: Any, case: Case, kind: LetterType, today: dt.date, facts: LetterFacts | None = None) -> Letter:
    """The office issues letter ``kind`` and records its 电子送达 (the applicant consented)."""
    letter = generate_letter(actor=officer, case=case, kind=kind, today=today, facts=facts)
    record_delivery(
        actor=officer, letter=letter, method=ServiceMethod.ELECTRONIC, sent_on=today, today=today, consent=True
    )
    return letter


def _track(page: Any, base: str, code: str) -> None:
    page.goto(base + reverse("portal:track") + f"?code={code}")
    page.get_by_label("联系电话后四位").fill("5678")
    page.get_by_role("button", name="查询", exact=True).click()


def _letter_link(page: Any, letter: Letter) -> Any:
    return page.locator("#letters").get_by_role("link", name=re.compile(re.escape(letter.number)))


def _served_states(desk: Any, base: str, case: Case) -> dict[str, str]:
    """The officer's letters page: each letter's number → its 送达 state text."""
    desk.goto(base + reverse("letters:case", args=[case.pk]))
    states: dict[str, str] = {}
    for letter in case.letters.all():
        states[letter.number] = desk.locator(f"#letter-{letter.pk} .delivery-state").inner_text().strip()
    return states


def test_one_application_from_the_portal_to_the_answer_letter(  # type: ignore[no-untyped-def]
    live_server, page, tree, outbox, screenshots, tmp_path
) -> None:
    today = clock.today()
    base = live_server.url
    officer = tree.officer_a
    LetterSettings.objects.create(  # what an answer letter states: the court, how to pay
        agency=tree.street_a,
        court_name="测试区人民法院",
        payment_instructions="通过非税收入统一缴款平台缴纳",
    )

    # (1) The citizen applies; the confirmation page offers the 登记回执 PDF.
    page.goto(base + reverse("portal:apply", args=[tree.street_a.code]))
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("身份证明号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("所需政府信息的名称或特征性描述").fill("请公开2023年老旧小区综合整治项目的实施方案。")
    page.get_by_role("button", name="提交申请").click()
    code = page.locator("#tracking-code").inner_text().strip()
    case = Case.objects.get(tracking_code=code)
    text = _pdf_text(_download(page, page.get_by_role("link", name="下载登记回执（PDF）")))
    assert "政府信息公开申请登记回执" in text
    assert re.sub(r"\s+", "", case.number) in text and code in text and "20个工作日" in text
    assert any(code in t for t in sms_texts(outbox)) and emails(outbox) >= 1
    page.screenshot(path=str(screenshots / "journey-1-applied.png"), full_page=True)

    # (2) The office confirms receipt, asks for a 补正 and serves the 补正告知书 electronically.
    case = services.confirm_online_application(actor=officer, case=case, today=today)
    assert any("已确认收到" in t for t in sms_texts(outbox))
    case = services.request_correction(
        actor=officer, case=case, items="请写明所需信息的年份。", reply_by=today + dt.timedelta(days=14), today=today
    )
    assert any("需要补正" in t for t in sms_texts(outbox))
    correction = _serve(officer, case, LetterType.CORRECTION, today)

    desk = page.context.browser.new_context(locale="zh-CN").new_page()
    desk.goto(base + reverse("login"))
    desk.get_by_label("用户名").fill(officer.username)
    desk.get_by_label("密码").fill(TEST_PASSWORD)
    desk.get_by_role("button", name="登录").click()
    assert _served_states(desk, base, case)[correction.number] == "已发出未送达"

    # The applicant tracks the case, downloads the 补正告知书 (its 送达) and answers online.
    _track(page, base, code)
    assert "请写明所需信息的年份" in page.locator("#correction").inner_text()
    text = _pdf_text(_download(page, _letter_link(page, correction)))
    assert re.sub(r"\s+", "", correction.number) in text and "补正" in text
    served = Delivery.objects.get(letter=correction)
    assert served.received_on == today and served.downloaded_at is not None and served.download_count == 1
    assert _served_states(desk, base, case)[correction.number].startswith("已送达")
    page.reload()
    page.get_by_label("说明").fill("所需信息为2023年的实施方案。")
    material = tmp_path / "补正材料.pdf"
    material.write_bytes(PDF)
    page.locator("#correction-files").set_input_files(str(material))
    page.get_by_role("button", name="提交补正").click()
    assert "补正材料已提交" in page.content()
    case.refresh_from_db()
    assert case.correction_received_on == today and case.status == Status.IN_PROGRESS
    assert any("已收到您的补正材料" in t for t in sms_texts(outbox))
    page.screenshot(path=str(screenshots / "journey-2-correction.png"), full_page=True)

    # (3) A fee notice; the applicant uploads a proof; the office confirms the payment.
    case = services.send_fee_notice(actor=officer, case=case, method="by_volume", pages=250, today=today)
    assert any("信息处理费" in t for t in sms_texts(outbox))
    page.goto(base + reverse("portal:track_case"))
    assert f"{case.fee_notices.get().amount} 元" in page.locator("#fee").inner_text()
    proof = tmp_path / "回单.pdf"
    proof.write_bytes(PDF)
    page.locator("#proof-files").set_input_files(str(proof))
    page.get_by_role("button", name="上传凭证").click()
    assert "缴费凭证已上传" in page.content()
    case.refresh_from_db()
    case = services.record_fee_payment(actor=officer, case=case, today=today)
    assert any("已确认收到您缴纳的信息处理费" in t for t in sms_texts(outbox))
    page.screenshot(path=str(screenshots / "journey-3-fee.png"), full_page=True)

    # (4) The office answers (予以公开) and serves the answer letter; the applicant downloads it.
    case = services.close_case(
        actor=officer, case=case, outcome=Outcome.GRANTED, today=today, note="已通过电子邮件提供。"
    )
    assert any("已作出答复" in t for t in sms_texts(outbox))
    facts = LetterFacts(access_method="通过电子邮件发送至您提供的邮箱")
    answer = _serve(officer, case, LetterType.ANSWER_GRANTED, today, facts)
    assert _served_states(desk, base, case)[answer.number] == "已发出未送达"
    page.goto(base + reverse("portal:track_case"))
    assert page.locator("#case-status").inner_text() == "已办结"
    text = _pdf_text(_download(page, _letter_link(page, answer)))
    assert re.sub(r"\s+", "", case.number) in text and re.sub(r"\s+", "", answer.number) in text
    served = Delivery.objects.get(letter=answer)
    assert served.received_on == today and served.downloaded_at is not None
    page.reload()
    assert page.locator("#letters li").filter(has_text=answer.number).inner_text().count("已送达") == 1
    page.screenshot(path=str(screenshots / "journey-4-answered.png"), full_page=True)

    states = _served_states(desk, base, case)
    assert states[correction.number].startswith("已送达") and states[answer.number].startswith("已送达")
    desk.screenshot(path=str(screenshots / "journey-5-officer-letters.png"), full_page=True)
    desk.context.close()
