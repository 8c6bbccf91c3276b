"""The 雷同 side-by-side page and the copy warning on the report page (issue 17 item 2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.reports import services
from tests.core.report.similarity_corpus import PREAMBLE, PROBLEMS_2023, PROBLEMS_2024_FRESH_MAIN, PROBLEMS_COPIED_269
from tests.reports.conftest import start

pytestmark = pytest.mark.django_db


def test_copied_problems_are_flagged_and_marked_side_by_side(tree: Any, history_a: Any, client: Client) -> None:
    last = {
        "preamble": PREAMBLE,
        "overview": "2022年度总体情况，据实撰写。",
        "problems": PROBLEMS_2023,
        "other": "无。",
    }
    services.sign_off(actor=tree.leader_a, record=start(tree, 2022, last))
    problems = f"（一）主要问题\n{PROBLEMS_2024_FRESH_MAIN}\n（二）改进情况\n{PROBLEMS_COPIED_269}"
    draft = start(tree, 2023, {**last, "overview": "2023年度总体情况，另行撰写。", "problems": problems})
    client.force_login(tree.officer_a)
    page = client.get(reverse("reports:record", args=[draft.pk])).content.decode()
    assert "内容雷同提示" in page and "“五、存在的主要问题及改进情况”有" in page
    assert "“前言”" not in page.split("内容雷同提示")[1].split("</section>")[0]  # the 前言 is never flagged
    side = client.get(reverse("reports:similarity", args=[draft.pk])).content.decode()
    assert "五、存在的主要问题及改进情况 ↔ 上年（2022年）报告" in side and 'badge bad">雷同' in side
    assert "<mark>探索与群众相适应的公开渠道。</mark>" not in side  # marks whole sentences
    assert "<mark>按照“公开为常态，不公开为例外”的原则，探索与群众相适应的公开渠道。</mark>" in side
    assert side.count("<mark>") == 10  # the five long sentences, on both sides
    client.force_login(tree.officer_b)
    assert client.get(reverse("reports:similarity", args=[draft.pk])).status_code == 404
