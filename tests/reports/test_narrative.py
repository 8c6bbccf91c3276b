"""The narrative: the first draft states the records' facts; copied sections are flagged (30号 雷同)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.reports import services
from gongkai.reports.narrative import ReportFacts, fee_sentence, first_draft, placeholders_left
from gongkai.reports.similarity import copy_warnings
from tests.factories import UserFactory
from tests.reports.conftest import TODAY, start

SAMPLE_FEES = "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出收费通知2件，总金额38280元，实际收取的总金额0元。"
OVERVIEW = (
    "果园街道高度重视政府信息公开工作，持续规范政府信息依申请公开，优化网站建设管理。积极认真开展政府信息公开工作，"
    "指定专人协调各科室按照全清单内容提供工作信息，并负责信息上传，确保政府信息公开及时高效。"
)


def test_fee_sentence_is_the_samples() -> None:
    facts = ReportFacts(
        "北京市密云区果园街道办事处",
        "果园街道",
        2023,
        fee_notices=2,
        fee_amount=Decimal("38280"),
        fee_collected=Decimal("0.00"),
    )
    assert fee_sentence(facts) == SAMPLE_FEES


def test_first_draft_states_the_facts_and_marks_the_rest() -> None:
    facts = ReportFacts(
        "某街道办事处",
        "某街道",
        2023,
        published_items=325,
        new=29,
        closed=29,
        staff=1,
        by_channel=(("互联网", 11), ("平常信函", 10), ("当面提交", 8)),
    )
    draft = first_draft(facts)
    assert "本年度主动公开政府信息325条" in draft["overview"]
    assert "2023年新收政府信息公开申请数量29件" in draft["overview"]
    assert "通过互联网渠道提出11件、平常信函渠道提出10件、当面提交渠道提出8件" in draft["overview"]
    assert "配备政府信息公开工作人员1名" in draft["overview"]
    assert draft["other"].endswith("本年度未发出收费通知，未收取信息处理费。")
    assert placeholders_left(draft) == ["overview", "problems"]


def test_copy_warnings_name_the_section_and_source() -> None:
    warnings = copy_warnings(
        {"overview": OVERVIEW, "other": "无。"},
        [("上年（2022年）报告", {"overview": OVERVIEW, "other": "无。"})],
        keys=["overview", "other"],
    )
    assert len(warnings) == 1  # "无。" is too short to count as copied
    assert warnings[0].identical and "完全相同" in warnings[0].message and "一、总体情况" in warnings[0].message


@pytest.mark.django_db
def test_report_page_warns_of_last_years_and_a_peers_text(tree: Any, history_a: Any, client: Client) -> None:
    text = {"overview": OVERVIEW, "problems": "存在问题：" + OVERVIEW[::-1], "other": "无。", "preamble": "依据条例。"}
    services.sign_off(actor=tree.leader_a, record=start(tree, 2022, text))
    peer_officer = UserFactory(agency=tree.street_b)
    peer_leader = UserFactory(agency=tree.street_b, role=Role.LEADER)
    peer = services.start_draft(actor=peer_officer, agency=tree.street_b, year=2023, today=TODAY)
    services.save_narrative(
        actor=peer_officer,
        record=peer,
        sections={**text, "overview": "近似：" + OVERVIEW, "problems": "本单位的问题另行撰写。"},
    )
    services.sign_off(actor=peer_leader, record=peer)
    record = start(tree, 2023, {**text, "problems": "今年的问题与改进：人员不足，培训不够。"})
    client.force_login(tree.officer_a)
    page = client.get(reverse("reports:record", args=[record.pk])).content.decode()
    assert "内容雷同提示" in page
    assert "与上年（2022年）报告完全相同" in page
    assert "的文字与测试区乙街道办事处2023年报告雷同" in page
    # Last year's text is shown next to the editor.
    assert page.count(OVERVIEW) >= 2
