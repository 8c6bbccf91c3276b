"""The agency's letters: every kind renders a real .docx in 公文 layout, cites its basis, and carries
the remedy notice the law requires (R16: 行政复议前置 for 不予公开 answers from 2024-01-01).

Expected citations and dates are written out here from the statute and the calendar, not taken
from the code under test.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.core.calendar import default_calendar
from gongkai.core.fees import compute_fee
from gongkai.core.letters import (
    ANSWER_TYPES,
    PROCEDURAL_TYPES,
    LetterContext,
    LetterFieldMissing,
    LetterRuleError,
    LetterTemplateError,
    LetterType,
    Remedy,
    WithheldGround,
    check_template,
    chinese_date,
    compose,
    default_templates,
    fee_payment_due,
    format_letter_number,
    letter_text,
    remedy,
    render_letter,
    template_keys,
)
from gongkai.core.letters.writer import render_docx
from gongkai.core.outcomes import Outcome

T = LetterType
REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
NUMBER = "测政办公开〔2026〕12号"
DECIDED = date(2026, 3, 2)

CONTEXT = LetterContext(
    agency_name="测试区人民政府办公室",
    letter_number=NUMBER,
    applicant_name="张三",
    case_number="2026-0012",
    received_on=date(2026, 2, 2),
    request_summary="2025年道路维修合同",
    today=DECIDED,
    reasons="该合同附件载有承包单位的报价明细，属于商业秘密",
    access_method="相关信息随本答复一并提供",
    answer_due=date(2026, 3, 3),
    correction_items="请写明所需合同的名称或者签订时间",
    correction_due=date(2026, 3, 16),
    extension_days=20,
    new_due_date=date(2026, 3, 31),
    consultation_party="某某建设有限公司",
    fee=compute_fee(pieces=35),
    fee_notified_on=DECIDED,
    payment_due=date(2026, 3, 30),
    payment_instructions="通过非税收入统一缴款平台缴纳",
    responsible_agency="测试区交通运输局",
    responsible_agency_contact="010-12345678",
    reconsideration_body="测试区人民政府",
    court_name="测试区人民法院",
    withheld_part="合同附件中的报价明细",
    withheld_ground=WithheldGround.ART15,
)

# The legal basis each letter names, as the 条例 numbers it (spec §1.1, §1.3, §2.1).
EXPECTED_BASIS: dict[LetterType, str] = {
    T.RECEIPT: REGULATION + "第三十三条第二款、第三款",
    T.CORRECTION: REGULATION + "第二十九条第二款、第三十条",
    T.EXTENSION: REGULATION + "第三十三条第二款",
    T.THIRD_PARTY: REGULATION + "第十五条、第三十二条",
    T.FEE: REGULATION + "第四十二条第一款和" + FEE_MEASURES + "第三条、第四条第二款",
    T.ANSWER_GRANTED: REGULATION + "第三十六条第（二）项",  # 可以公开 (already_published not set)
    T.ANSWER_PARTIAL: REGULATION + "第十五条、第三十七条",  # the withheld part's ground, then art 37
    T.ANSWER_WITHHELD_STATE_SECRET: REGULATION + "第十四条、第三十六条第（三）项",
    T.ANSWER_WITHHELD_PROHIBITED_BY_LAW: REGULATION + "第十四条、第三十六条第（三）项",
    T.ANSWER_WITHHELD_SECURITY_STABILITY: REGULATION + "第十四条、第三十六条第（三）项",
    T.ANSWER_WITHHELD_THIRD_PARTY: REGULATION + "第十五条、第三十二条、第三十六条第（三）项",
    T.ANSWER_WITHHELD_INTERNAL_AFFAIRS: REGULATION + "第十六条第一款、第三十六条第（三）项",
    T.ANSWER_WITHHELD_PROCESS_INFORMATION: REGULATION + "第十六条第二款、第三十六条第（三）项",
    T.ANSWER_WITHHELD_ENFORCEMENT_FILE: REGULATION + "第十六条第二款、第三十六条第（三）项",
    T.ANSWER_WITHHELD_ADMINISTRATIVE_QUERY: REGULATION + "第三十六条第（七）项",
    T.ANSWER_UNAVAILABLE_NOT_HELD: REGULATION + "第三十六条第（五）项",  # the context names the agency
    T.ANSWER_UNAVAILABLE_NEEDS_CREATION: REGULATION + "第三十八条",
    T.ANSWER_UNAVAILABLE_STILL_UNCLEAR: REGULATION + "第三十条",
    T.ANSWER_REJECTED_PETITION_COMPLAINT: REGULATION + "第三十九条第一款",
    T.ANSWER_REJECTED_REPEATED: REGULATION + "第三十六条第（六）项",
    T.ANSWER_REJECTED_PUBLICATION: REGULATION + "第三十九条第二款",
    T.ANSWER_REJECTED_EXCESSIVE: REGULATION + "第三十五条",
    T.ANSWER_OTHER_NO_CORRECTION: REGULATION + "第三十条",
    T.ANSWER_OTHER_FEE_UNPAID: FEE_MEASURES,
}
# A phrase of the quoted statute text each letter must carry (None: nothing verified to quote).
EXPECTED_QUOTE: dict[LetterType, str | None] = {
    T.RECEIPT: "应当自收到申请之日起20个工作日内予以答复",
    T.CORRECTION: "说明需要补正的事项和合理的补正期限",
    T.EXTENSION: "延长的期限最长不得超过20个工作日",
    T.THIRD_PARTY: "第三方应当自收到征求意见书之日起15个工作日内提出意见",
    T.FEE: "同一申请人一个自然月内累计申请10件以下（含10件）的，不收费",
    T.ANSWER_GRANTED: "（二）所申请公开信息可以公开的，向申请人提供该政府信息",
    T.ANSWER_PARTIAL: "但是能够作区分处理的，行政机关应当向申请人提供可以公开的政府信息内容",
    T.ANSWER_WITHHELD_STATE_SECRET: "依法确定为国家秘密的政府信息",
    T.ANSWER_WITHHELD_PROHIBITED_BY_LAW: "法律、行政法规禁止公开的政府信息",
    T.ANSWER_WITHHELD_SECURITY_STABILITY: "可能危及国家安全、公共安全、经济安全、社会稳定的政府信息",
    T.ANSWER_WITHHELD_THIRD_PARTY: "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息",
    T.ANSWER_WITHHELD_INTERNAL_AFFAIRS: "包括人事管理、后勤管理、内部工作流程等方面的信息",
    T.ANSWER_WITHHELD_PROCESS_INFORMATION: "讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    T.ANSWER_WITHHELD_ENFORCEMENT_FILE: "以及行政执法案卷信息，可以不予公开",
    T.ANSWER_WITHHELD_ADMINISTRATIVE_QUERY: "（七）所申请公开信息属于工商、不动产登记资料等信息",
    T.ANSWER_UNAVAILABLE_NOT_HELD: "（五）所申请公开信息不属于本行政机关负责公开的",
    T.ANSWER_UNAVAILABLE_NEEDS_CREATION: "需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供",
    T.ANSWER_UNAVAILABLE_STILL_UNCLEAR: "申请人无正当理由逾期不补正的，视为放弃申请",
    T.ANSWER_REJECTED_PETITION_COMPLAINT: "以政府信息公开申请的形式进行信访、投诉、举报等活动",
    T.ANSWER_REJECTED_REPEATED: "（六）行政机关已就申请人提出的政府信息公开申请作出答复",
    T.ANSWER_REJECTED_PUBLICATION: "要求行政机关提供政府公报、报刊、书籍等公开出版物的",
    T.ANSWER_REJECTED_EXCESSIVE: "行政机关认为申请理由不合理的，告知申请人不予处理",
    T.ANSWER_REJECTED_CONFIRM_EXISTING: None,
    T.ANSWER_OTHER_NO_CORRECTION: "申请人无正当理由逾期不补正的，视为放弃申请",
    T.ANSWER_OTHER_FEE_UNPAID: None,
    T.ANSWER_OTHER_OTHER: None,
}
# The 不予公开 answers (R16): the （三） rows, and 部分公开 for its withheld part (outcomes.py [D]).
WITHHOLDING: frozenset[LetterType] = frozenset(
    {
        T.ANSWER_PARTIAL,
        T.ANSWER_WITHHELD_STATE_SECRET,
        T.ANSWER_WITHHELD_PROHIBITED_BY_LAW,
        T.ANSWER_WITHHELD_SECURITY_STABILITY,
        T.ANSWER_WITHHELD_THIRD_PARTY,
        T.ANSWER_WITHHELD_INTERNAL_AFFAIRS,
        T.ANSWER_WITHHELD_PROCESS_INFORMATION,
        T.ANSWER_WITHHELD_ENFORCEMENT_FILE,
        T.ANSWER_WITHHELD_ADMINISTRATIVE_QUERY,
    }
)
NO_REMEDY = frozenset({T.RECEIPT, T.CORRECTION, T.EXTENSION, T.THIRD_PARTY})

REVIEW_FIRST_PHRASE = "应当先自知道该答复之日起六十日内向测试区人民政府申请行政复议"
LAWSUIT_AFTER_REVIEW = "对行政复议决定不服的，可以依法向人民法院提起行政诉讼"
STANDARD_PHRASE = "六十日内向测试区人民政府申请行政复议，也可以自知道该答复之日起六个月内向测试区人民法院提起行政诉讼"


def _docx(kind: LetterType, context: LetterContext = CONTEXT, **kw: object) -> object:
    return Document(io.BytesIO(render_letter(kind, context, **kw)))  # type: ignore[arg-type]


def _all_text(document: object) -> str:
    return "\n".join(p.text for p in document.paragraphs)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# The kinds
# ---------------------------------------------------------------------------------------------


def test_one_letter_per_outcome_and_five_procedural_letters() -> None:
    assert [t.outcome for t in ANSWER_TYPES] == list(Outcome)
    assert len(ANSWER_TYPES) == len(list(Outcome)) == 21
    assert {t.label for t in PROCEDURAL_TYPES} == {
        "登记回执",
        "补正告知书",
        "延期答复告知书",
        "第三方意见征询函",
        "收费通知",
    }
    assert T.for_outcome(Outcome.WITHHELD_STATE_SECRET) is T.ANSWER_WITHHELD_STATE_SECRET
    assert T.ANSWER_WITHHELD_STATE_SECRET.label == "不予公开答复书（属于国家秘密）"
    assert T.ANSWER_PARTIAL.label == "部分公开答复书"
    assert T.ANSWER_UNAVAILABLE_NOT_HELD.label == "无法提供告知书（本机关不掌握相关政府信息）"


def test_expected_tables_cover_every_kind() -> None:
    assert set(EXPECTED_QUOTE) == set(LetterType)
    assert set(EXPECTED_BASIS) == set(LetterType) - {T.ANSWER_REJECTED_CONFIRM_EXISTING, T.ANSWER_OTHER_OTHER}


# ---------------------------------------------------------------------------------------------
# Every kind as a .docx
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LetterType), ids=lambda k: k.value)
def test_every_kind_renders_a_docx_in_official_layout(kind: LetterType) -> None:
    document = _docx(kind)
    section = document.sections[0]  # type: ignore[attr-defined]
    # Word stores twips, so a length comes back within a fraction of a millimetre.
    mm = [round(length.mm, 1) for length in (section.page_width, section.page_height)]
    assert mm == [210.0, 297.0]  # A4
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(length.mm, 1) for length in margins] == [37.0, 35.0, 28.0, 26.0]  # GB/T 9704 §5.2

    paragraphs = [p for p in document.paragraphs if p.text]  # type: ignore[attr-defined]
    title, number = paragraphs[0], paragraphs[1]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.runs[0]
    assert title_run.font.size == Pt(22)
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert number.text == NUMBER

    body_runs = [r for p in paragraphs[2:] for r in p.runs]
    assert body_runs
    for run in body_runs:
        assert run.font.size == Pt(16)
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    normal = document.styles["Normal"]  # type: ignore[attr-defined]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"

    tail = [p.text for p in paragraphs[-3:]]
    assert tail == ["测试区人民政府办公室", "（盖章）", "2026年3月2日"]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in paragraphs[-3:])
    addressee = paragraphs[2]
    expected_addressee = "某某建设有限公司：" if kind is T.THIRD_PARTY else "张三："
    assert addressee.text == expected_addressee
    assert not addressee.paragraph_format.first_line_indent
    assert paragraphs[3].paragraph_format.first_line_indent == Pt(32)


@pytest.mark.parametrize("kind", list(LetterType), ids=lambda k: k.value)
def test_every_kind_cites_its_legal_basis(kind: LetterType) -> None:
    text = _all_text(_docx(kind))
    expected = EXPECTED_BASIS.get(kind)
    if expected is None:
        assert "规定：“" not in text
    else:
        assert f"根据{expected}的规定" in text
    quote = EXPECTED_QUOTE[kind]
    if quote is not None:
        assert quote in text
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize("kind", ANSWER_TYPES, ids=lambda k: k.value)
def test_answer_basis_agrees_with_the_outcome_table(kind: LetterType) -> None:
    """Every 条例 article that ``outcomes.OUTCOME_INFO`` names appears in the letter's citation."""
    outcome = kind.outcome
    assert outcome is not None
    # Both facts of 本机关不掌握: with the responsible agency (36(5)) and without (36(4)).
    text = letter_text(kind, CONTEXT) + letter_text(kind, replace(CONTEXT, responsible_agency=None))
    text += letter_text(kind, replace(CONTEXT, already_published=True))  # 予以公开: 36(1) as well as 36(2)
    cited = re.findall(r"第[一二三四五六七八九十]+条|第（[一二三四五六七]）项|第[一二三]款", outcome.basis)
    if outcome.basis.startswith("条例第"):
        assert cited
    for part in cited:
        assert part in text, (outcome, part)


# ---------------------------------------------------------------------------------------------
# Remedy notice (R16)
# ---------------------------------------------------------------------------------------------

BEFORE_R16 = date(2023, 12, 31)
FROM_R16 = date(2024, 1, 1)


@pytest.mark.parametrize("kind", sorted(WITHHOLDING), ids=lambda k: k.value)
@pytest.mark.parametrize(("decided", "review_first"), [(BEFORE_R16, False), (FROM_R16, True), (DECIDED, True)])
def test_refusal_carries_review_first_notice_from_2024(kind: LetterType, decided: date, review_first: bool) -> None:
    context = replace(CONTEXT, today=decided, received_on=date(2023, 12, 1))
    text = _all_text(_docx(kind, context))
    assert remedy(kind, decided) is (Remedy.REVIEW_FIRST if review_first else Remedy.STANDARD)
    if review_first:
        assert REVIEW_FIRST_PHRASE in text
        assert LAWSUIT_AFTER_REVIEW in text
        assert "第二十三条" in text
        assert "六个月" not in text
    else:
        assert STANDARD_PHRASE in text
        assert "应当先" not in text


@pytest.mark.parametrize("kind", sorted(set(ANSWER_TYPES) - WITHHOLDING), ids=lambda k: k.value)
@pytest.mark.parametrize("decided", [BEFORE_R16, FROM_R16])
def test_other_answers_offer_review_or_lawsuit(kind: LetterType, decided: date) -> None:
    text = letter_text(kind, replace(CONTEXT, today=decided, received_on=date(2023, 12, 1)))
    assert STANDARD_PHRASE in text
    assert "应当先" not in text


def test_fee_notice_offers_review_or_lawsuit_against_the_notice() -> None:
    text = letter_text(T.FEE, CONTEXT)
    assert "如对本通知不服，可以自知道该通知之日起六十日内向测试区人民政府申请行政复议" in text
    assert "六个月内向测试区人民法院提起行政诉讼" in text


@pytest.mark.parametrize("kind", sorted(NO_REMEDY), ids=lambda k: k.value)
def test_procedural_notices_carry_no_remedy_notice(kind: LetterType) -> None:
    text = letter_text(kind, CONTEXT)
    assert "行政复议" not in text and "行政诉讼" not in text


def test_review_first_notice_needs_no_court() -> None:
    text = letter_text(T.ANSWER_WITHHELD_STATE_SECRET, replace(CONTEXT, court_name=None))
    assert REVIEW_FIRST_PHRASE in text
    with pytest.raises(LetterFieldMissing) as caught:
        letter_text(T.ANSWER_GRANTED, replace(CONTEXT, court_name=None))
    assert caught.value.field == "court_name"


# ---------------------------------------------------------------------------------------------
# Facts in particular letters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agency", "contact", "present", "absent"),
    [
        (None, None, ["该政府信息不存在", REGULATION + "第三十六条第（四）项"], ["第（五）项"]),
        (
            "测试区交通运输局",
            "010-12345678",
            ["测试区交通运输局，联系方式：010-12345678", "第三十六条第（五）项"],
            ["不存在"],
        ),
        (
            "测试区交通运输局",
            None,
            ["负责公开该政府信息的行政机关为测试区交通运输局，您可以"],
            ["联系方式：", "不存在"],
        ),
    ],
)
def test_not_held_names_the_responsible_agency_when_known(
    agency: str | None, contact: str | None, present: list[str], absent: list[str]
) -> None:
    """条例 art 36(4) or (5): the agency's name and contact when known."""
    context = replace(CONTEXT, responsible_agency=agency, responsible_agency_contact=contact)
    text = letter_text(T.ANSWER_UNAVAILABLE_NOT_HELD, context)
    for phrase in present:
        assert phrase in text
    for phrase in absent:
        assert phrase not in text


def test_fee_notice_states_tiers_total_deadline_and_consequence() -> None:
    # 35 件 in one month: 10 free, 20 × 100元, 5 × 200元 = 3000元 (spec §2.3 example).
    due = fee_payment_due(DECIDED, default_calendar())
    assert due == date(2026, 3, 30)  # 20 working days after Monday 2 March 2026, no holiday between
    text = letter_text(T.FEE, replace(CONTEXT, payment_due=due))
    for phrase in (
        "第1—10件 10件 免费",
        "第11—30件 20件 × 100元 = 2000元",
        "第31—35件 5件 × 200元 = 1000元",
        "合计3000元",
        "自收到本通知次日起20个工作日内",
        "本通知于2026年3月2日送达的，缴费期限截至2026年3月30日",
        "逾期未缴纳的，视为放弃申请",
        "通过非税收入统一缴款平台缴纳。",
    ):
        assert phrase in text


def test_fee_notice_by_volume_cites_article_5() -> None:
    text = letter_text(T.FEE, replace(CONTEXT, fee=compute_fee(pages=250)))
    assert "第五条" in text and "第四条" not in text
    assert "合计4700元" in text


def test_fee_notice_for_a_free_application_is_refused() -> None:
    with pytest.raises(LetterRuleError) as caught:
        letter_text(T.FEE, replace(CONTEXT, fee=compute_fee(pieces=3)))
    assert "0元" in str(caught.value)


@pytest.mark.parametrize(("days", "ok"), [(1, True), (20, True), (21, False), (0, False)])
def test_extension_is_at_most_20_working_days(days: int, ok: bool) -> None:
    context = replace(CONTEXT, extension_days=days)
    if ok:
        assert f"答复期限延长{days}个工作日，延长后的答复期限为2026年3月31日" in letter_text(T.EXTENSION, context)
    else:
        with pytest.raises(LetterRuleError, match="第三十三条第二款"):
            letter_text(T.EXTENSION, context)


def test_correction_notice_states_items_period_and_consequence() -> None:
    text = letter_text(T.CORRECTION, CONTEXT)
    assert "请写明所需合同的名称或者签订时间。" in text
    assert "请您于2026年3月16日前（含当日）" in text
    assert "无正当理由逾期不补正的，视为放弃申请" in text


def test_third_party_letter_does_not_name_the_applicant() -> None:
    text = letter_text(T.THIRD_PARTY, CONTEXT)
    assert "张三" not in text
    assert text.splitlines()[3] == "某某建设有限公司："
    assert "自收到本函之日起15个工作日内" in text


def test_receipt_gives_the_answer_due_date() -> None:
    text = letter_text(T.RECEIPT, CONTEXT)
    assert "申请编号为2026-0012" in text and "答复期限为2026年3月3日" in text


def test_free_text_ends_as_a_sentence() -> None:
    text = letter_text(T.ANSWER_WITHHELD_THIRD_PARTY, CONTEXT)
    assert "具体理由：该合同附件载有承包单位的报价明细，属于商业秘密。" in text
    text = letter_text(T.ANSWER_WITHHELD_THIRD_PARTY, replace(CONTEXT, reasons="涉及商业秘密。"))
    assert "具体理由：涉及商业秘密。\n" in text


def test_plain_text_layout() -> None:
    lines = letter_text(T.ANSWER_GRANTED, CONTEXT).splitlines()
    assert lines[:4] == ["政府信息公开申请答复书", NUMBER, "", "张三："]
    assert lines[-3:] == ["测试区人民政府办公室", "（盖章）", "2026年3月2日"]


# ---------------------------------------------------------------------------------------------
# Missing facts
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "template"),
    [
        (T.ANSWER_GRANTED, "access_method", "answer_granted.body"),
        (T.ANSWER_WITHHELD_STATE_SECRET, "reasons", "answer_withheld_state_secret.body"),
        (T.ANSWER_WITHHELD_STATE_SECRET, "reconsideration_body", "answer_withheld_state_secret.body"),
        (T.FEE, "payment_due", "fee.body"),
        (T.FEE, "fee_notified_on", "fee.body"),
        (T.FEE, "fee", "fee.body"),
        (T.THIRD_PARTY, "consultation_party", "third_party.body"),
        (T.RECEIPT, "answer_due", "receipt.body"),
        (T.EXTENSION, "new_due_date", "extension.body"),
    ],
)
def test_missing_field_names_template_and_field(kind: LetterType, field: str, template: str) -> None:
    with pytest.raises(LetterFieldMissing) as caught:
        render_letter(kind, replace(CONTEXT, **{field: None}))
    assert (caught.value.template, caught.value.field) == (template, field)
    assert f"“{template}”" in str(caught.value) and f"“{field}”" in str(caught.value)


def test_blank_text_counts_as_missing() -> None:
    with pytest.raises(LetterFieldMissing, match="reasons"):
        letter_text(T.ANSWER_PARTIAL, replace(CONTEXT, reasons="   "))


def test_missing_field_in_a_fragment_names_the_fragment() -> None:
    with pytest.raises(LetterFieldMissing) as caught:
        letter_text(T.ANSWER_GRANTED, replace(CONTEXT, request_summary=""))
    assert caught.value.template == "fragment.request_intro"


# ---------------------------------------------------------------------------------------------
# Templates and overrides
# ---------------------------------------------------------------------------------------------


def test_shipped_templates_cover_every_kind_and_fragment() -> None:
    texts = default_templates()
    assert set(texts) == set(template_keys())
    for kind in LetterType:
        assert f"{kind.value}.title" in texts and f"{kind.value}.body" in texts
    assert len(texts) == 2 * len(LetterType) + 5  # request_intro, not_held_{absent,elsewhere,_no_contact,transferred}


def test_override_changes_the_wording() -> None:
    body = default_templates()["answer_granted.body"].replace("特此答复。", "特此答复，请查收。")
    text = letter_text(T.ANSWER_GRANTED, CONTEXT, overrides={"answer_granted.body": body})
    assert "特此答复，请查收。" in text
    assert "特此答复，请查收。" not in letter_text(T.ANSWER_GRANTED, CONTEXT)


def test_fragment_override_reaches_every_letter() -> None:
    overrides = {"fragment.request_intro": "您于{received_on}申请获取“{request_summary}”（编号{case_number}）。"}
    for kind in (T.CORRECTION, T.ANSWER_GRANTED, T.FEE):
        assert "您于2026年2月2日申请获取“2025年道路维修合同”（编号2026-0012）。" in letter_text(
            kind, CONTEXT, overrides=overrides
        )


def test_override_title() -> None:
    text = letter_text(T.RECEIPT, CONTEXT, overrides={"receipt.title": "政府信息公开申请受理回执"})
    assert text.splitlines()[0] == "政府信息公开申请受理回执"


@pytest.mark.parametrize(
    ("key", "text", "field", "phrase"),
    [
        (
            "answer_granted.body",
            "{applicant_name}：\n{legal_basis}{remedy_notice}{applicant_age}",
            "applicant_age",
            "未知字段",
        ),
        ("fee.title", "{fee_totl}元收费通知", "fee_totl", "未知字段"),
        ("fragment.request_intro", "{legal_basis}", "legal_basis", "不适用于本文书"),
        ("receipt.body", "{applicant_name}：{legal_basis}{remedy_notice}", "remedy_notice", "不适用于本文书"),
        (
            "answer_granted.body",
            "{applicant_name.__class__}{legal_basis}{remedy_notice}",
            "applicant_name.__class__",
            "写法不允许",
        ),
        ("answer_granted.body", "{applicant_name!r}{legal_basis}{remedy_notice}", "applicant_name", "写法不允许"),
        ("answer_granted.body", "{today:%Y}{legal_basis}{remedy_notice}", "today", "写法不允许"),
        ("answer_withheld_state_secret.body", "{applicant_name}：不予公开。{legal_basis}", "remedy_notice", "必须包含"),
        ("answer_granted.body", "{applicant_name}：{remedy_notice}", "legal_basis", "必须包含"),
        (
            "fee.body",
            "{applicant_name}：{legal_basis}{remedy_notice}{fee_breakdown}{fee_total}",
            "payment_due",
            "必须包含",
        ),
        ("fragment.not_held_elsewhere", "请向{responsible_agency}申请。", "responsible_agency_contact", "必须包含"),
    ],
)
def test_bad_override_is_refused_naming_template_and_field(key: str, text: str, field: str, phrase: str) -> None:
    with pytest.raises(LetterTemplateError) as caught:
        letter_text(T.ANSWER_GRANTED, CONTEXT, overrides={key: text})
    error = caught.value
    assert (error.template, error.field) == (key, field)
    assert f"“{key}”" in str(error) and field in str(error) and phrase in str(error)


@pytest.mark.parametrize(
    ("key", "text", "phrase"),
    [
        ("answer_granted.body", "{applicant_name：{legal_basis}{remedy_notice}", "花括号不成对"),
        ("answer_granted.body", "{}{legal_basis}{remedy_notice}", "空占位符"),
        ("answer_granted.letterhead", "x", "没有名为“answer_granted.letterhead”的文书模板"),
        ("fragment.signature", "x", "没有名为"),
    ],
)
def test_malformed_override_is_refused(key: str, text: str, phrase: str) -> None:
    with pytest.raises(LetterTemplateError, match=phrase):
        check_template(key, text)


def test_literal_braces_are_allowed() -> None:
    body = default_templates()["answer_granted.body"] + "\n（编号格式：{{年份}}-{{序号}}）"
    assert "（编号格式：{年份}-{序号}）" in letter_text(
        T.ANSWER_GRANTED, CONTEXT, overrides={"answer_granted.body": body}
    )


@pytest.mark.parametrize(
    ("published", "cited", "finding"),
    [
        (True, "第三十六条第（一）项的规定", "已经主动公开"),
        (False, "第三十六条第（二）项的规定", "属于可以公开的政府信息"),
    ],
)
def test_granted_cites_36_1_or_36_2_by_the_facts_not_both(published: bool, cited: str, finding: str) -> None:
    text = letter_text(T.ANSWER_GRANTED, replace(CONTEXT, already_published=published))
    assert cited in text and finding in text
    assert "第（一）项、第（二）项" not in text


@pytest.mark.parametrize(
    ("ground", "article"),
    [
        (WithheldGround.ART14, "第十四条、第三十七条"),
        (WithheldGround.ART15, "第十五条、第三十七条"),
        (WithheldGround.ART16_1, "第十六条第一款、第三十七条"),
        (WithheldGround.ART16_2, "第十六条第二款、第三十七条"),
    ],
)
def test_partial_states_the_withheld_part_and_its_ground(ground: WithheldGround, article: str) -> None:
    text = letter_text(T.ANSWER_PARTIAL, replace(CONTEXT, withheld_ground=ground))
    assert f"{REGULATION}{article}的规定" in text
    assert f"其中，合同附件中的报价明细属于{ground.label}，本机关不予公开" in text


def test_partial_without_ground_or_part_is_refused_naming_the_field() -> None:
    with pytest.raises(LetterFieldMissing, match="withheld_part"):
        letter_text(T.ANSWER_PARTIAL, replace(CONTEXT, withheld_part=None))
    with pytest.raises(LetterFieldMissing, match="withheld_ground"):
        letter_text(T.ANSWER_PARTIAL, replace(CONTEXT, withheld_ground=None))


def test_36_5_letter_states_the_reason_and_the_agency() -> None:
    text = letter_text(T.ANSWER_UNAVAILABLE_NOT_HELD, replace(CONTEXT, reasons="道路维修合同由交通运输局签订和保存"))
    assert (
        "不属于本机关负责公开，理由是：道路维修合同由交通运输局签订和保存。负责公开该政府信息的行政机关为测试区交通运输局"
        in text
    )
    assert "第三十六条第（五）项" in text


@pytest.mark.parametrize(
    ("decided", "article"),
    [
        (date(2023, 12, 29), "《中华人民共和国行政复议法》第九条"),
        (date(2024, 1, 1), "《中华人民共和国行政复议法》第二十条"),
    ],
)
def test_standard_remedy_cites_the_review_law_of_the_decision_date(decided: date, article: str) -> None:
    text = letter_text(T.ANSWER_GRANTED, replace(CONTEXT, today=decided))
    assert article in text and "六十日内" in text


def test_reprint_keeps_the_date_and_says_so() -> None:
    first = compose(T.ANSWER_GRANTED, CONTEXT)
    again = compose(T.ANSWER_GRANTED, replace(CONTEXT, reprint=True))
    assert again.date_text == first.date_text == "2026年3月2日"
    assert "（重印）" in again.text() and "（重印）" not in first.text()
    assert "（重印）" in _all_text(Document(io.BytesIO(render_docx(again))))


def test_field_values_are_not_reparsed() -> None:
    text = letter_text(T.ANSWER_PARTIAL, replace(CONTEXT, reasons="见{legal_basis}与{{x}}"))
    assert "见{legal_basis}与{{x}}。" in text


# ---------------------------------------------------------------------------------------------
# Numbers and dates (GB/T 9704-2012)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "year", "serial", "expected"),
    [("测政办公开", 2026, 1, "测政办公开〔2026〕1号"), (" 某府告 ", 2025, 120, "某府告〔2025〕120号")],
)
def test_letter_number(prefix: str, year: int, serial: int, expected: str) -> None:
    assert format_letter_number(prefix, year, serial) == expected


@pytest.mark.parametrize(("year", "serial"), [(2026, 0), (26, 1)])
def test_letter_number_refuses_bad_parts(year: int, serial: int) -> None:
    with pytest.raises(LetterRuleError):
        format_letter_number("测", year, serial)


@pytest.mark.parametrize(
    ("day", "expected"), [(date(2026, 3, 2), "2026年3月2日"), (date(2025, 12, 31), "2025年12月31日")]
)
def test_chinese_date(day: date, expected: str) -> None:
    assert chinese_date(day) == expected


def test_a_quoted_request_ending_in_a_full_stop_prints_no_double_stop() -> None:
    text = letter_text(T.ANSWER_GRANTED, replace(CONTEXT, request_summary="请公开2025年道路维修合同。"))
    assert "“请公开2025年道路维修合同”。" in text and "。”。" not in text


def test_not_held_transferred_says_where_it_went_and_when() -> None:
    """条例 art 36(5) with 转办: the agency, its contact, the reason and the day it was forwarded."""
    context = replace(
        CONTEXT,
        responsible_agency="测试区交通运输局",
        responsible_agency_contact="010-12345678",
        reasons="该信息由区交通运输局制作并保存",
        transferred_on=date(2026, 3, 9),
    )
    text = letter_text(T.ANSWER_UNAVAILABLE_NOT_HELD, context)
    for phrase in (
        "不属于本机关负责公开，理由是：该信息由区交通运输局制作并保存。",
        "负责公开该政府信息的行政机关为测试区交通运输局，联系方式：010-12345678",
        "本机关已于2026年3月9日将您的申请转送该机关",
        "第三十六条第（五）项",
    ):
        assert phrase in text
    assert "不存在" not in text
    # Without the transfer date the letter only tells the applicant where to turn.
    plain = letter_text(T.ANSWER_UNAVAILABLE_NOT_HELD, replace(context, transferred_on=None))
    assert "转送" not in plain and "您可以向该机关提出申请" in plain
