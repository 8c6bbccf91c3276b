"""In a real browser: a citizen applies, downloads the 登记回执 PDF from the confirmation page;
the officer confirms receipt, issues a letter and records its 电子送达 on the letters page; the
citizen tracks the case, downloads the receipt (now with the due date) and the letter, and the
officer sees the letter served. PDFs are read back with pdfplumber."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai import clock
from gongkai.cases import services as case_services
from gongkai.cases.clock import nth_working_day_after
from gongkai.cases.models import Case
from gongkai.letters.models import Delivery
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def _pdf_text(path: str) -> str:
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))


def _download(page: Any, link: Any) -> str:
    with page.expect_download() as info:
        link.click()
    return str(info.value.path())


def test_receipt_and_electronic_service(live_server, page, tree, screenshots) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + reverse("portal:apply", args=[tree.street_a.code]))
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("身份证明号码").fill("11010519491231002X")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.cn")
    page.get_by_label("所需政府信息的名称或特征性描述").fill("请公开2023年老旧小区综合整治项目的实施方案。")
    page.get_by_role("button", name="提交申请").click()
    code = page.locator("#tracking-code").inner_text().strip()
    case = Case.objects.get(tracking_code=code)
    page.screenshot(path=str(screenshots / "receipt-1-apply-done.png"), full_page=True)

    text = _pdf_text(_download(page, page.get_by_role("link", name="下载登记回执（PDF）")))
    assert "政府信息公开申请登记回执" in text
    assert re.sub(r"\s+", "", case.number) in text and code in text and "待确认" in text

    # The officer confirms receipt, issues the 登记回执 letter and records its 电子送达.
    case = case_services.confirm_online_application(actor=tree.officer_a, case=case, today=clock.today())
    officer = page.context.browser.new_context(locale="zh-CN").new_page()
    officer.goto(live_server.url + reverse("login"))
    officer.get_by_label("用户名").fill(tree.officer_a.username)
    officer.get_by_label("密码").fill(TEST_PASSWORD)
    officer.get_by_role("button", name="登录").click()
    officer.goto(live_server.url + reverse("letters:case", args=[case.pk]))
    officer.get_by_role("button", name="出具或送审签批").click()
    assert officer.locator(".delivery-state").first.inner_text().strip() == "未发出"
    officer.get_by_label("送达方式").select_option("electronic")
    officer.get_by_label("申请人已同意电子送达").check()
    officer.get_by_role("button", name="登记送达").click()
    assert officer.locator(".delivery-state").first.inner_text().strip() == "已发出未送达"
    officer.screenshot(path=str(screenshots / "receipt-2-officer-sent.png"), full_page=True)

    # The citizen tracks the case: the receipt now states the due date; the letter downloads.
    page.goto(live_server.url + reverse("portal:track") + f"?code={code}")
    page.get_by_label("联系电话后四位").fill("5678")
    page.get_by_role("button", name="查询").click()
    page.screenshot(path=str(screenshots / "receipt-3-track.png"), full_page=True)
    text = _pdf_text(_download(page, page.get_by_role("link", name="政府信息公开申请登记回执")))
    due, _ = nth_working_day_after(case.received_on, 20)
    assert f"自收到申请之日起20个工作日内（即{due.year}年{due.month}月{due.day}日前）" in text
    letter = case.letters.get()
    text = _pdf_text(_download(page, page.get_by_role("link", name=re.compile(re.escape(letter.number)))))
    assert re.sub(r"\s+", "", letter.number) in text
    delivery = Delivery.objects.get(letter=letter)
    assert delivery.received_on == clock.today() and delivery.client_address == "127.0.0.1"

    officer.reload()
    assert officer.locator(".delivery-state").first.inner_text().strip().startswith("已送达")
    assert "申请人下载 1 次" in officer.content()
    officer.screenshot(path=str(screenshots / "receipt-4-officer-served.png"), full_page=True)
    officer.context.close()
