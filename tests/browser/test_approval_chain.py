"""签批 in a browser: the officer drafts a 不予公开 answer, the 科室负责人 returns it with a comment,
the officer corrects and resubmits, 审核 and 法制审核 pass, the 负责人 signs it off after ticking
the confirmation; only then is it numbered and the case closed. Screenshots of every page
(``GONGKAI_SCREENSHOT_DIR`` to keep them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.cases.models import Case
from gongkai.core.approval import Signer, Subject
from gongkai.core.letters import LetterType
from gongkai.letters.models import Approver, ApproverOffice, ChainRuleSetting, Letter, LetterDraft, LetterSettings
from tests.factories import TEST_PASSWORD, InProgressCase, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, user: Any) -> Any:
    tab = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    tab.goto(base + reverse("login"))
    tab.get_by_label("用户名").fill(user.username)
    tab.get_by_label("密码").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="登录").click()
    return tab


def test_draft_review_legal_review_sign(live_server, page, tree, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    LetterSettings.objects.create(agency=tree.street_a, number_prefix="测甲街公开", court_name="测试区人民法院")
    ChainRuleSetting.objects.create(
        agency=tree.street_a,
        subject=Subject.WITHHELD.value,
        review=True,
        legal=True,
        signer=Signer.LEADER.value,
        effective_from=dt.date(2020, 1, 1),
    )
    head = UserFactory(username="head_a", agency=tree.street_a, role=Role.OFFICER, full_name="科长甲")
    legal = UserFactory(username="legal_a", agency=tree.street_a, role=Role.OFFICER, full_name="法制员乙")
    Approver.objects.create(user=head, office=ApproverOffice.DEPARTMENT_HEAD)
    Approver.objects.create(user=legal, office=ApproverOffice.LEGAL_REVIEWER)
    case = InProgressCase(actor=tree.officer_a, today=dt.date.today() - dt.timedelta(days=3))
    base = live_server.url

    officer = _login(page, base, tree.officer_a)
    officer.goto(base + reverse("letters:case", args=[case.pk]))
    officer.locator("#id_kind").select_option(LetterType.ANSWER_WITHHELD_STATE_SECRET.value)
    officer.get_by_label("理由说明").fill("所申请文件已依法确定为国家秘密")
    officer.get_by_role("button", name="出具或送审签批").click()
    assert "待审核" in officer.content() and "（签发后编号）" in officer.content()
    officer.screenshot(path=str(screenshots / "approval-1-officer-submitted.png"), full_page=True)

    reviewer = _login(page, base, head)
    reviewer.goto(base + reverse("cases:desk"))
    reviewer.screenshot(path=str(screenshots / "approval-2-head-desk.png"), full_page=True)
    reviewer.get_by_role("link", name=LetterType.ANSWER_WITHHELD_STATE_SECRET.label, exact=False).first.click()
    reviewer.get_by_label("意见").fill("请写明定密机关和密级")
    reviewer.get_by_role("button", name="退回修改").click()
    assert "拟稿" in reviewer.locator(".badge").first.inner_text()
    reviewer.screenshot(path=str(screenshots / "approval-3-head-returned.png"), full_page=True)

    officer.goto(base + reverse("cases:desk"))
    assert "退回修改的拟稿" in officer.content()
    officer.get_by_role("link", name=LetterType.ANSWER_WITHHELD_STATE_SECRET.label, exact=False).first.click()
    assert "请写明定密机关和密级" in officer.content()
    officer.get_by_label("理由说明").fill("所申请文件已由本机关依法确定为机密级国家秘密")
    officer.get_by_role("button", name="保存并送审").click()
    officer.screenshot(path=str(screenshots / "approval-4-officer-resubmitted.png"), full_page=True)

    reviewer.goto(base + reverse("letters:draft", args=[LetterDraft.objects.get().pk]))
    reviewer.get_by_role("button", name="审核通过").click()
    checker = _login(page, base, legal)
    checker.goto(base + reverse("cases:desk"))
    checker.get_by_role("link", name=LetterType.ANSWER_WITHHELD_STATE_SECRET.label, exact=False).first.click()
    checker.get_by_label("意见").fill("符合条例第十四条")
    checker.screenshot(path=str(screenshots / "approval-5-legal-review.png"), full_page=True)
    checker.get_by_role("button", name="法制审核通过").click()
    assert not Letter.objects.exists()

    leader = _login(page, base, tree.leader_a)
    leader.goto(base + reverse("cases:desk"))
    leader.screenshot(path=str(screenshots / "approval-6-leader-desk.png"), full_page=True)
    leader.get_by_role("link", name=LetterType.ANSWER_WITHHELD_STATE_SECRET.label, exact=False).first.click()
    leader.get_by_role("link", name="签发…").click()
    leader.screenshot(path=str(screenshots / "approval-7-sign-confirm.png"), full_page=True)
    leader.get_by_role("checkbox").check()
    leader.get_by_role("button", name="签发").click()
    letter = Letter.objects.get()
    assert letter.number == f"测甲街公开〔{letter.year}〕1号"
    assert f"已签发：{letter.number}" in leader.content() and "法制审核通过" in leader.content()
    leader.screenshot(path=str(screenshots / "approval-8-signed.png"), full_page=True)
    assert Case.objects.get(pk=case.pk).outcome == "withheld_state_secret"
    for tab in (officer, reviewer, checker, leader):
        tab.context.close()
