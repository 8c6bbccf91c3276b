"""依申请转主动 (条例 art 44): similar disclosed requests from ≥2 applicants are suggested for publication."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongkai.cases import services as cases
from gongkai.cases.applicants import Applicant
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.core.publication_flow import ItemStatus
from gongkai.core.report.taxonomy import ApplicantType
from gongkai.publications import services
from gongkai.publications.errors import PublicationError
from gongkai.publications.suggestions import suggestions

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 6, 1)


def answered(
    tree: Any, name: str, id_number: str, text: str, outcome: Outcome = Outcome.GRANTED, agency_officer: Any = None
) -> Any:
    officer = agency_officer or tree.officer_a
    case = cases.register_application(
        actor=officer,
        today=DAY,
        channel=Channel.IN_PERSON,
        applicant=Applicant(ApplicantType.NATURAL_PERSON, name, id_number=id_number),
        request_description=text,
    )
    case = cases.start_processing(actor=officer, case=case, today=DAY)
    closer = officer if outcome is Outcome.GRANTED else tree.leader_a  # adverse answers: the 负责人 signs (签批)
    return cases.close_case(actor=closer, case=case, outcome=outcome, today=DAY + dt.timedelta(days=5), note="答复")


BUDGET_A = "申请公开果园街道2025年老旧小区综合整治项目的实施方案及资金预算。"
BUDGET_B = "请提供本街道2025年老旧小区综合整治项目实施方案以及项目资金预算情况。"
OTHER = "请公开辖区内2024年度公共厕所保洁服务采购合同。"


def test_two_applicants_asking_alike_make_a_suggestion(tree) -> None:  # type: ignore[no-untyped-def]
    a = answered(tree, "刘建华", "110101199003071234", BUDGET_A)
    b = answered(tree, "陈静", "110101198805062345", BUDGET_B, Outcome.PARTIAL)
    answered(tree, "王五", "110101197001013456", OTHER)
    found = suggestions(tree.street_a, today=TODAY)
    assert len(found) == 1
    assert set(found[0].case_ids) == {a.pk, b.pk} and found[0].applicants == 2


def test_one_applicant_twice_is_not_several_applicants(tree) -> None:  # type: ignore[no-untyped-def]
    answered(tree, "刘建华", "110101199003071234", BUDGET_A)
    answered(tree, "刘建华", "110101199003071234", BUDGET_B)
    assert suggestions(tree.street_a, today=TODAY) == []


def test_withheld_answers_are_not_suggested(tree) -> None:  # type: ignore[no-untyped-def]
    answered(tree, "刘建华", "110101199003071234", BUDGET_A)
    answered(tree, "陈静", "110101198805062345", BUDGET_B, Outcome.WITHHELD_PROCESS_INFORMATION)
    assert suggestions(tree.street_a, today=TODAY) == []


def test_adopt_drafts_an_item_and_the_cases_leave_the_list(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    a = answered(tree, "刘建华", "110101199003071234", BUDGET_A)
    b = answered(tree, "陈静", "110101198805062345", BUDGET_B)
    with pytest.raises(PermissionDenied):
        services.adopt_suggestion(
            actor=tree.clerk_a,
            agency=tree.street_a,
            case_ids=[a.pk, b.pk],
            category=catalogue["规划计划"],
            title="老旧小区综合整治实施方案",
            formed_on=TODAY,
        )
    with pytest.raises(PublicationError, match="不足2位申请人"):
        services.adopt_suggestion(
            actor=tree.officer_a,
            agency=tree.street_a,
            case_ids=[a.pk],
            category=catalogue["规划计划"],
            title="x",
            formed_on=TODAY,
        )
    item = services.adopt_suggestion(
        actor=tree.officer_a,
        agency=tree.street_a,
        case_ids=[a.pk, b.pk],
        category=catalogue["规划计划"],
        title="老旧小区综合整治实施方案",
        formed_on=TODAY,
    )
    assert item.status == ItemStatus.DRAFT and "第四十四条" in item.origin_note and a.number in item.origin_note
    assert suggestions(tree.street_a, today=TODAY) == []
    with pytest.raises(PublicationError, match="已处理过"):
        services.dismiss_suggestion(actor=tree.officer_a, agency=tree.street_a, case_ids=[a.pk, b.pk], note="x")


def test_dismiss_needs_a_reason_and_other_agencies_cases_are_refused(tree) -> None:  # type: ignore[no-untyped-def]
    a = answered(tree, "刘建华", "110101199003071234", BUDGET_A)
    b = answered(tree, "陈静", "110101198805062345", BUDGET_B)
    c = answered(tree, "赵六", "110101199101014567", BUDGET_A, agency_officer=tree.officer_b)
    with pytest.raises(PublicationError, match="已处理过"):
        services.dismiss_suggestion(actor=tree.officer_a, agency=tree.street_a, case_ids=[a.pk, c.pk], note="x")
    with pytest.raises(PublicationError, match="理由"):
        services.dismiss_suggestion(actor=tree.officer_a, agency=tree.street_a, case_ids=[a.pk, b.pk], note=" ")
    services.dismiss_suggestion(
        actor=tree.officer_a, agency=tree.street_a, case_ids=[a.pk, b.pk], note="涉及个人信息较多，逐案答复"
    )
    assert suggestions(tree.street_a, today=TODAY) == []


def test_suggestions_page(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    a = answered(tree, "刘建华", "110101199003071234", BUDGET_A)
    b = answered(tree, "陈静", "110101198805062345", BUDGET_B)
    client.force_login(tree.officer_a)
    html = client.get(reverse("publications:suggestions")).content.decode()
    assert "2 位申请人" in html and a.number in html and b.number in html
    response = client.post(
        reverse("publications:suggestions"),
        {"case": [a.pk, b.pk], "title": "老旧小区综合整治实施方案", "category": catalogue["规划计划"].pk},
    )
    assert response.status_code == 302 and "/edit/" in response["Location"]
    assert "暂无建议" in client.get(reverse("publications:suggestions")).content.decode()
    assert (
        client.post(
            reverse("publications:suggestions"), {"case": ["x"], "title": "", "category": "y"}, follow=True
        ).status_code
        == 200
    )
