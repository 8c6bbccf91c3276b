"""generate_letter: numbering per agency and year, the stored .docx, the audit record, the facts
taken from the case, and refusals that name what is missing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.errors import CaseInputError
from gongkai.core.fees import FeeMethod
from gongkai.core.letters import LetterTemplateError, LetterType, WithheldGround
from gongkai.core.outcomes import Outcome
from gongkai.letters.context import LetterFacts
from gongkai.letters.models import Letter, LetterSettings, LetterTemplateOverride
from gongkai.letters.services import generate_letter, preview_letter, reprint_letter
from tests.conftest import Tree
from tests.factories import CASE_DAY, AwaitingCorrectionCase, CaseFactory, ClosedCase, ConsultingCase, InProgressCase

pytestmark = pytest.mark.django_db

T = LetterType
TODAY = dt.date(2026, 3, 10)


def _docx_text(letter: Letter) -> str:
    with letter.file.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in document.paragraphs)


def test_receipt_is_numbered_stored_and_audited(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=T.RECEIPT, today=TODAY)

    assert (letter.number, letter.year, letter.sequence) == ("测甲街公开〔2026〕1号", 2026, 1)
    # dated the day of receipt (the act it records), not the day it is printed
    assert letter.issued_on == case.received_on == CASE_DAY != TODAY
    assert letter.agency == tree.street_a and letter.case == case
    text = _docx_text(letter)
    assert text.startswith("政府信息公开申请登记回执\n测甲街公开〔2026〕1号")
    assert f"申请编号为{case.number}" in text
    assert "答复期限为2026年3月30日" in text  # 20 working days after Monday 2 March 2026
    assert letter.text.splitlines()[0] == "政府信息公开申请登记回执"
    assert letter.file.name.startswith(f"letters/{tree.street_a.pk}/2026/00001-receipt")

    event = AuditEvent.objects.get(action="letter.generated")
    assert event.object_id == str(letter.pk) and event.agency_id == tree.street_a.pk
    assert event.changes["number"] == "测甲街公开〔2026〕1号"


def test_numbers_run_per_agency_and_year(tree: Tree, letter_settings: LetterSettings) -> None:
    a1, a2 = CaseFactory(actor=tree.officer_a), CaseFactory(actor=tree.officer_a)
    b = CaseFactory(actor=tree.officer_b)
    first = generate_letter(actor=tree.officer_a, case=a1, kind=T.RECEIPT, today=TODAY)
    second = generate_letter(actor=tree.officer_a, case=a2, kind=T.RECEIPT, today=TODAY)
    other = generate_letter(actor=tree.officer_b, case=b, kind=T.RECEIPT, today=TODAY)
    next_year_case = CaseFactory(actor=tree.officer_a, today=dt.date(2026, 12, 31))
    next_year_case.received_on = dt.date(2027, 1, 4)  # received in the new year
    next_year_case.save(update_fields=["received_on"])
    next_year = generate_letter(actor=tree.officer_a, case=next_year_case, kind=T.RECEIPT, today=dt.date(2027, 1, 4))
    assert [first.sequence, second.sequence, other.sequence, next_year.sequence] == [1, 2, 1, 1]
    # No settings for 乙: the prefix falls back to the agency's name.
    assert other.number == "测试区乙街道办事处信息公开〔2026〕1号"
    assert next_year.number == "测甲街公开〔2027〕1号"


def test_refusal_is_dated_on_the_decision_and_says_review_first(tree: Tree, letter_settings: LetterSettings) -> None:
    # 不予公开 is signed off by the 负责人 (the default 签批 policy, gongkai.core.approval.DEFAULT_POLICY).
    case = ClosedCase(actor=tree.leader_a, outcome=Outcome.WITHHELD_STATE_SECRET)
    facts = LetterFacts(reasons="该文件已依法确定为机密级国家秘密")
    letter = generate_letter(
        actor=tree.leader_a, case=case, kind=T.ANSWER_WITHHELD_STATE_SECRET, today=TODAY, facts=facts
    )
    assert letter.issued_on == case.closed_on == dt.date(2026, 3, 7)
    text = _docx_text(letter)
    # 行政复议机关 defaults to the parent agency; 行政复议前置 since 2024-01-01.
    assert "应当先自知道该答复之日起六十日内向测试区人民政府申请行政复议" in text
    assert "六个月" not in text
    assert "该文件已依法确定为机密级国家秘密。" in text
    assert text.splitlines()[-1] == "2026年3月7日"


def test_refusal_decided_in_2023_offers_review_or_lawsuit(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a, today=dt.date(2023, 12, 1))
    case = services.close_case(
        actor=tree.leader_a,
        case=case,
        outcome=Outcome.WITHHELD_THIRD_PARTY,
        today=dt.date(2023, 12, 29),
        note="第三方不同意公开且理由合理",
    )
    letter = generate_letter(actor=tree.leader_a, case=case, kind=T.ANSWER_WITHHELD_THIRD_PARTY, today=TODAY)
    assert letter.issued_on == dt.date(2023, 12, 29) and letter.number == "测甲街公开〔2023〕1号"
    assert "也可以自知道该答复之日起六个月内向测试区人民法院提起行政诉讼" in letter.text
    assert "应当先" not in letter.text


def test_answer_reasons_default_to_the_closing_note(tree: Tree, letter_settings: LetterSettings) -> None:
    case = InProgressCase(actor=tree.officer_a)
    case = services.close_case(
        actor=tree.leader_a,
        case=case,
        outcome=Outcome.PARTIAL,
        today=TODAY,
        note="第3页载有个人信息，已作遮盖处理",
        on=TODAY,
    )
    letter = generate_letter(
        actor=tree.leader_a,
        case=case,
        kind=T.ANSWER_PARTIAL,
        today=TODAY,
        facts=LetterFacts(access_method="随本答复提供", withheld_part="第3页", withheld_ground=WithheldGround.ART15),
    )
    assert (
        "其中，第3页属于涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息（条例第十五条），本机关不予公开。理由如下：第3页载有个人信息，已作遮盖处理。"
        in letter.text
    )


def test_a_missing_fact_is_named_and_uses_no_number(tree: Tree, letter_settings: LetterSettings) -> None:
    case = ClosedCase(actor=tree.officer_a, outcome=Outcome.GRANTED)
    with pytest.raises(CaseInputError, match="获取信息的方式、途径"):
        generate_letter(actor=tree.officer_a, case=case, kind=T.ANSWER_GRANTED, today=TODAY)
    assert not Letter.objects.exists()
    letter = generate_letter(
        actor=tree.officer_a, case=case, kind=T.ANSWER_GRANTED, today=TODAY, facts=LetterFacts(access_method="见附件")
    )
    assert letter.sequence == 1


def test_missing_court_points_to_the_settings(tree: Tree) -> None:
    case = ClosedCase(actor=tree.officer_a, outcome=Outcome.GRANTED)
    with pytest.raises(CaseInputError, match="文书设置缺少“人民法院”"):
        generate_letter(
            actor=tree.officer_a,
            case=case,
            kind=T.ANSWER_GRANTED,
            today=TODAY,
            facts=LetterFacts(access_method="见附件"),
        )


def test_answer_must_match_the_recorded_outcome(tree: Tree, letter_settings: LetterSettings) -> None:
    closed = ClosedCase(actor=tree.officer_a, outcome=Outcome.GRANTED)
    with pytest.raises(CaseInputError, match="办理结果为“（一）予以公开”"):
        generate_letter(actor=tree.leader_a, case=closed, kind=T.ANSWER_REJECTED_REPEATED, today=TODAY)
    open_case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(CaseInputError, match="尚未办结"):
        generate_letter(actor=tree.officer_a, case=open_case, kind=T.ANSWER_GRANTED, today=TODAY)


def test_correction_notice_uses_the_recorded_items(tree: Tree, letter_settings: LetterSettings) -> None:
    case = AwaitingCorrectionCase(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=T.CORRECTION, today=TODAY)
    assert "请写明所需信息的文号或时间范围。" in letter.text
    assert "请您于2026年3月13日前（含当日）" in letter.text  # reply_by = 3 March + 10 days
    with pytest.raises(CaseInputError, match="尚未登记补正告知"):
        generate_letter(actor=tree.officer_a, case=CaseFactory(actor=tree.officer_a), kind=T.CORRECTION, today=TODAY)


def test_third_party_letter_is_addressed_to_the_consulted_party(tree: Tree, letter_settings: LetterSettings) -> None:
    case = ConsultingCase(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=T.THIRD_PARTY, today=TODAY)
    assert letter.text.splitlines()[3] == "某物业服务有限公司："
    assert case.applicant_name not in letter.text


def test_extension_notice_after_the_leader_approves(tree: Tree, letter_settings: LetterSettings) -> None:
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(CaseInputError, match="没有经负责人同意的延期"):
        generate_letter(actor=tree.officer_a, case=case, kind=T.EXTENSION, today=TODAY)
    case = services.request_extension(
        actor=tree.officer_a, case=case, days=15, reason="需调取多个年度的档案", today=TODAY
    )
    case = services.approve_extension(actor=tree.leader_a, case=case, today=TODAY)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=T.EXTENSION, today=TODAY)
    assert "理由是：需调取多个年度的档案。" in letter.text
    assert (
        f"答复期限延长15个工作日，延长后的答复期限为{case.due_on.year}年{case.due_on.month}月{case.due_on.day}日"
        in (letter.text)
    )


def test_fee_notice_states_the_recorded_fee(tree: Tree, letter_settings: LetterSettings) -> None:
    case = InProgressCase(actor=tree.officer_a)
    case = services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=250, today=TODAY)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=T.FEE, today=TODAY)
    notice = case.fee_notices.get()
    assert notice.amount == 4700
    assert "合计4700元" in letter.text and "第五条" in letter.text
    due = notice.payment_due_on
    assert f"缴费期限截至{due.year}年{due.month}月{due.day}日" in letter.text
    assert "通过非税收入统一缴款平台缴纳。" in letter.text


def test_administrator_override_is_used(tree: Tree, letter_settings: LetterSettings) -> None:
    LetterTemplateOverride.objects.create(key="receipt.title", text="政府信息公开申请受理回执")
    letter = generate_letter(actor=tree.officer_a, case=CaseFactory(actor=tree.officer_a), kind=T.RECEIPT, today=TODAY)
    assert letter.text.splitlines()[0] == "政府信息公开申请受理回执"


def test_override_with_an_unknown_placeholder_fails_validation() -> None:
    override = LetterTemplateOverride(key="receipt.body", text="{applicant_name}：{legal_basis}{applicant_age}")
    with pytest.raises(ValidationError) as caught:
        override.full_clean()
    assert "applicant_age" in str(caught.value) and "receipt.body" in str(caught.value)


def test_a_bad_stored_override_is_reported(tree: Tree, letter_settings: LetterSettings) -> None:
    LetterTemplateOverride.objects.create(key="receipt.title", text="{nonsense}")  # bypassing clean()
    with pytest.raises(LetterTemplateError, match=r"receipt\.title"):
        generate_letter(actor=tree.officer_a, case=CaseFactory(actor=tree.officer_a), kind=T.RECEIPT, today=TODAY)
    assert not Letter.objects.exists()


@pytest.mark.parametrize("who", ["officer_b", "supervisor", "admin"])
def test_only_the_case_agency_staff_issue_letters(tree: Tree, letter_settings: LetterSettings, who: str) -> None:
    case = CaseFactory(actor=tree.officer_a)
    with pytest.raises(PermissionDenied):
        generate_letter(actor=getattr(tree, who), case=case, kind=T.RECEIPT, today=TODAY)


def test_preview_takes_no_number(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)
    text = preview_letter(actor=tree.officer_a, case=case, kind=T.RECEIPT, today=TODAY)
    assert text.splitlines()[1] == "（文号待定）"
    assert generate_letter(actor=tree.officer_a, case=case, kind=T.RECEIPT, today=TODAY).sequence == 1


def test_letters_are_visible_like_their_cases(tree: Tree, letter_settings: LetterSettings) -> None:
    letter = generate_letter(actor=tree.officer_a, case=CaseFactory(actor=tree.officer_a), kind=T.RECEIPT, today=TODAY)
    assert list(Letter.objects.visible_to(tree.officer_a)) == [letter]
    assert list(Letter.objects.visible_to(tree.supervisor)) == [letter]
    assert not Letter.objects.visible_to(tree.officer_b).exists()
    assert not Letter.objects.visible_to(tree.other_supervisor).exists()


# ---------------------------------------------------------------------------------------------
# Letters are dated by the act they record; the receipt states the base period; reprints
# ---------------------------------------------------------------------------------------------


def test_each_letter_is_dated_by_its_act(tree: Tree, letter_settings: LetterSettings) -> None:
    approved_on, fee_on, printed = dt.date(2026, 3, 12), dt.date(2026, 3, 13), dt.date(2026, 4, 20)
    case = InProgressCase(actor=tree.officer_a)
    case = services.request_extension(actor=tree.officer_a, case=case, days=15, reason="调取档案", today=TODAY)
    case = services.approve_extension(actor=tree.leader_a, case=case, today=approved_on)
    case = services.send_fee_notice(
        actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=250, today=fee_on
    )
    dates = {
        kind: generate_letter(actor=tree.officer_a, case=case, kind=kind, today=printed).issued_on
        for kind in (T.RECEIPT, T.EXTENSION, T.FEE)
    }
    assert dates == {T.RECEIPT: CASE_DAY, T.EXTENSION: approved_on, T.FEE: fee_on}
    corrected = AwaitingCorrectionCase(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=corrected, kind=T.CORRECTION, today=printed)
    assert letter.issued_on == corrected.correction_requested_on == CASE_DAY + dt.timedelta(days=1)
    assert letter.text.splitlines()[-1] == "2026年3月3日"


def test_receipt_states_the_base_period_never_the_extended_date(tree: Tree, letter_settings: LetterSettings) -> None:
    case = InProgressCase(actor=tree.officer_a)
    case = services.request_extension(actor=tree.officer_a, case=case, days=20, reason="调取档案", today=TODAY)
    case = services.approve_extension(actor=tree.leader_a, case=case, today=TODAY)
    assert case.due_on == dt.date(2026, 4, 28)  # extended
    receipt = generate_letter(actor=tree.officer_a, case=case, kind=T.RECEIPT, today=TODAY)
    assert "20个工作日内作出答复，答复期限为2026年3月30日" in receipt.text and "2026年4月28日" not in receipt.text
    extension = generate_letter(actor=tree.officer_a, case=case, kind=T.EXTENSION, today=TODAY)
    assert "延长后的答复期限为2026年4月28日" in extension.text


def test_reprint_keeps_number_and_date_and_is_audited(tree: Tree, letter_settings: LetterSettings) -> None:
    case = CaseFactory(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=T.RECEIPT, today=TODAY)
    data = reprint_letter(actor=tree.officer_a, letter=letter)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert letter.number in text and "2026年3月2日" in text and "（重印）" in text
    assert Letter.objects.count() == 1
    assert AuditEvent.objects.filter(action="letter.reprinted", object_id=str(letter.pk)).exists()


@pytest.mark.parametrize(("decided", "article"), [(dt.date(2023, 6, 1), "第九条"), (dt.date(2024, 6, 3), "第二十条")])
def test_remedy_notice_follows_the_review_law_of_the_decision(tree, letter_settings, decided, article) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a, today=decided - dt.timedelta(days=5))
    case = services.close_case(actor=tree.officer_a, case=case, outcome=Outcome.GRANTED, today=decided, on=decided)
    letter = generate_letter(
        actor=tree.officer_a, case=case, kind=T.ANSWER_GRANTED, today=TODAY, facts=LetterFacts(access_method="随附")
    )
    assert letter.issued_on == decided
    assert f"《中华人民共和国行政复议法》{article}" in letter.text and "第三十六条第（二）项" in letter.text


def test_a_letter_with_an_unfilled_placeholder_is_refused_naming_the_field(
    tree: Tree, letter_settings: LetterSettings
) -> None:
    letter_settings.payment_instructions = "缴款账户：（请填写）"
    letter_settings.save()
    case = InProgressCase(actor=tree.officer_a)
    case = services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=250, today=TODAY)
    with pytest.raises(CaseInputError, match="仍有未填写的内容：缴款账户"):
        generate_letter(actor=tree.officer_a, case=case, kind=T.FEE, today=TODAY)
    assert not Letter.objects.exists()
