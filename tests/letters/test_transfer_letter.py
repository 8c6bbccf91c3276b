"""The 36(5) 告知书 of a transfer, issued through the normal letter generation."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.cases import services
from gongkai.cases.errors import CaseInputError
from gongkai.core.letters import LetterType
from gongkai.letters.context import LetterFacts
from gongkai.letters.services import generate_letter
from tests.conftest import Tree
from tests.factories import InProgressCase

DAY = dt.date(2026, 3, 9)


def test_transfer_letter_names_the_receiving_agency_its_contact_and_the_reason(tree: Tree, letter_settings) -> None:  # type: ignore[no-untyped-def]
    tree.street_b.phone = "010-66660000"
    tree.street_b.address = "测试区乙街道1号"
    tree.street_b.save()
    case = InProgressCase(actor=tree.officer_a)
    transfer = services.transfer_application(
        actor=tree.leader_a, case=case, today=DAY, reason="该信息由乙街道制作并保存。", to_agency=tree.street_b
    )
    # The 告知书 is an answer: under the default 签批 policy the 负责人 issues it (docs/approval.md).
    letter = generate_letter(actor=tree.leader_a, case=case, kind=LetterType.ANSWER_UNAVAILABLE_NOT_HELD, today=DAY)
    text = letter.text
    assert letter.issued_on == DAY
    for phrase in (
        "不属于本机关负责公开，理由是：该信息由乙街道制作并保存。",
        "负责公开该政府信息的行政机关为测试区乙街道办事处，联系方式：010-66660000，测试区乙街道1号",
        "本机关已于2026年3月9日将您的申请转送该机关",
        "第三十六条第（五）项",
    ):
        assert phrase in text
    assert transfer.to_case is not None and "（请填写）" not in text


def test_not_on_system_letter_tells_where_to_apply(tree: Tree, letter_settings) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    services.transfer_application(
        actor=tree.leader_a,
        case=case,
        today=DAY,
        reason="该信息由市规划委制作。",
        agency_name="测试市规划和自然资源委员会",
        agency_contact_text="010-55550000",
    )
    text = generate_letter(actor=tree.leader_a, case=case, kind=LetterType.ANSWER_UNAVAILABLE_NOT_HELD, today=DAY).text
    assert "测试市规划和自然资源委员会，联系方式：010-55550000，您可以向该机关提出申请" in text
    assert "转送" not in text


def test_placeholder_typed_by_the_officer_is_refused(tree: Tree, letter_settings) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    services.transfer_application(
        actor=tree.leader_a, case=case, today=DAY, reason="理由", agency_name="某委员会", agency_contact_text="x"
    )
    with pytest.raises(CaseInputError, match="未填写"):
        generate_letter(
            actor=tree.leader_a,
            case=case,
            kind=LetterType.ANSWER_UNAVAILABLE_NOT_HELD,
            today=DAY,
            facts=LetterFacts(responsible_agency_contact="（请填写）"),
        )
