"""The legal rules a letter applies: its basis, its remedy notice, its dates and numbers.

Each function cites the provision it implements. Wording lives in ``templates.toml``; the two
remedy sentences live here (and in ``gongkai.core.outcomes``) because the law fixes them and an
override must not be able to weaken them: templates can only place them (``{remedy_notice}``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from gongkai.core.calendar import WorkingCalendar
from gongkai.core.deadlines import FEE_PAYMENT_DAYS, MAX_EXTENSION_DAYS
from gongkai.core.fees import FeeBreakdown, FeeMethod
from gongkai.core.letters import provisions as p
from gongkai.core.letters.errors import LetterRuleError
from gongkai.core.letters.grounds import WithheldGround
from gongkai.core.letters.kinds import LetterType
from gongkai.core.outcomes import requires_review_first_notice, review_first_notice
from gongkai.core.review_deadlines import REVIEW_LAW_2023_FROM

# ---------------------------------------------------------------------------------------------
# 公文 format (GB/T 9704-2012)
# ---------------------------------------------------------------------------------------------


def format_letter_number(prefix: str, year: int, serial: int) -> str:
    """发文字号 "X〔2026〕12号": GB/T 9704-2012 §7.2.4.

    机关代字, year in full inside 六角括号 〔〕, serial without "第" and without leading zeros.
    """
    if serial < 1:
        raise LetterRuleError(f"发文顺序号应从1开始，实为 {serial}")
    if not 1000 <= year <= 9999:
        raise LetterRuleError(f"发文字号的年份应为四位数全称，实为 {year}")
    return f"{prefix.strip()}〔{year}〕{serial}号"


def chinese_date(day: date) -> str:
    """成文日期 "2026年3月2日": GB/T 9704-2012 §7.3.5 (阿拉伯数字，年份标全称，月日不编虚位)."""
    return f"{day.year}年{day.month}月{day.day}日"


# ---------------------------------------------------------------------------------------------
# Legal basis
# ---------------------------------------------------------------------------------------------

_BASIS: dict[LetterType, tuple[p.Provision, ...]] = {
    LetterType.RECEIPT: (p.ART33_2, p.ART33_3),
    LetterType.CORRECTION: (p.ART29_2, p.ART30),
    LetterType.EXTENSION: (p.ART33_2,),
    LetterType.THIRD_PARTY: (p.ART15, p.ART32),
    # LetterType.FEE: by method, see ``legal_basis``
    # LetterType.ANSWER_GRANTED: 36(1) or 36(2), LetterType.ANSWER_PARTIAL: 37 + the ground; see ``legal_basis``
    LetterType.ANSWER_WITHHELD_STATE_SECRET: (p.ART14, p.ART36_3),
    LetterType.ANSWER_WITHHELD_PROHIBITED_BY_LAW: (p.ART14, p.ART36_3),
    LetterType.ANSWER_WITHHELD_SECURITY_STABILITY: (p.ART14, p.ART36_3),
    LetterType.ANSWER_WITHHELD_THIRD_PARTY: (p.ART15, p.ART32, p.ART36_3),
    LetterType.ANSWER_WITHHELD_INTERNAL_AFFAIRS: (p.ART16_1, p.ART36_3),
    LetterType.ANSWER_WITHHELD_PROCESS_INFORMATION: (p.ART16_2, p.ART36_3),
    LetterType.ANSWER_WITHHELD_ENFORCEMENT_FILE: (p.ART16_2, p.ART36_3),
    LetterType.ANSWER_WITHHELD_ADMINISTRATIVE_QUERY: (p.ART36_7,),
    # LetterType.ANSWER_UNAVAILABLE_NOT_HELD: 36(4) or 36(5), see ``legal_basis``
    LetterType.ANSWER_UNAVAILABLE_NEEDS_CREATION: (p.ART38,),
    LetterType.ANSWER_UNAVAILABLE_STILL_UNCLEAR: (p.ART30,),
    LetterType.ANSWER_REJECTED_PETITION_COMPLAINT: (p.ART39_1,),
    LetterType.ANSWER_REJECTED_REPEATED: (p.ART36_6,),
    LetterType.ANSWER_REJECTED_PUBLICATION: (p.ART39_2,),
    LetterType.ANSWER_REJECTED_EXCESSIVE: (p.ART35,),
    # 条例 has no article for it (spec §1.3: "no explicit 条例 article (practice)"): nothing to cite.
    LetterType.ANSWER_REJECTED_CONFIRM_EXISTING: (),
    LetterType.ANSWER_OTHER_NO_CORRECTION: (p.ART30,),
    LetterType.ANSWER_OTHER_FEE_UNPAID: (p.FEE_MEASURES_WHOLE,),
    # 其他 (e.g. withdrawal, spec §1.3 [D]): the letter states the fact; no article decides it.
    LetterType.ANSWER_OTHER_OTHER: (),
}

#: Letters whose basis depends on the facts (``legal_basis`` decides).
FACT_DEPENDENT_BASIS: frozenset[LetterType] = frozenset(
    {LetterType.FEE, LetterType.ANSWER_UNAVAILABLE_NOT_HELD, LetterType.ANSWER_GRANTED, LetterType.ANSWER_PARTIAL}
)

GROUND_PROVISIONS: dict[WithheldGround, p.Provision] = {
    WithheldGround.ART14: p.ART14,
    WithheldGround.ART15: p.ART15,
    WithheldGround.ART16_1: p.ART16_1,
    WithheldGround.ART16_2: p.ART16_2,
}


def legal_basis(
    kind: LetterType,
    *,
    fee: FeeBreakdown | None = None,
    responsible_agency: str | None = None,
    already_published: bool | None = None,
    withheld_ground: WithheldGround | None = None,
) -> tuple[p.Provision, ...]:
    """The provisions a letter rests on: 条例 arts 14–16, 29–39, 42 and spec §1.3 per outcome.

    - 收费通知: 条例 art 42 ¶1, 国办函〔2020〕109号 art 3 and art 4 ¶2 (按件) or art 5 (按量);
    - 本机关不掌握: art 36(5) when the responsible agency is named (告知其名称、联系方式),
      otherwise art 36(4) (该政府信息不存在);
    - 予以公开: art 36(1) when the information was already published (已主动公开, 告知获取方式),
      otherwise art 36(2) (可以公开, 提供) — one of them, never both;
    - 部分公开: art 37 and the ground of the withheld part (art 14, 15 or 16).
    """
    if kind is LetterType.ANSWER_GRANTED:
        return (p.ART36_1,) if already_published else (p.ART36_2,)
    if kind is LetterType.ANSWER_PARTIAL:
        return (p.ART37,) if withheld_ground is None else (GROUND_PROVISIONS[withheld_ground], p.ART37)
    if kind is LetterType.FEE:
        method = p.FEE_ART4_2 if fee is None or fee.method is FeeMethod.BY_PIECE else p.FEE_ART5
        return (p.ART42_1, p.FEE_ART3, method)
    if kind is LetterType.ANSWER_UNAVAILABLE_NOT_HELD:
        return (p.ART36_5,) if responsible_agency else (p.ART36_4,)
    return _BASIS[kind]


def all_basis(kind: LetterType) -> tuple[p.Provision, ...]:
    """Every provision ``kind`` may cite, whatever the facts (for checks against outcomes.basis)."""
    if kind is LetterType.FEE:
        return (p.ART42_1, p.FEE_ART3, p.FEE_ART4_2, p.FEE_ART5)
    if kind is LetterType.ANSWER_UNAVAILABLE_NOT_HELD:
        return (p.ART36_4, p.ART36_5)
    if kind is LetterType.ANSWER_GRANTED:
        return (p.ART36_1, p.ART36_2)
    if kind is LetterType.ANSWER_PARTIAL:
        return (*GROUND_PROVISIONS.values(), p.ART37)
    return _BASIS[kind]


# ---------------------------------------------------------------------------------------------
# Remedy notice (救济途径告知)
# ---------------------------------------------------------------------------------------------


class Remedy(StrEnum):
    """Which remedy notice a letter carries."""

    NONE = "none"  # procedural notices that do not decide the application (cf. spec R17)
    STANDARD = "standard"  # 行政复议 within 60 days or 行政诉讼 within 6 months
    REVIEW_FIRST = "review_first"  # 行政复议前置: 行政复议法 (2023) art 23 ¶1(4), ¶2 (R16)


#: Letters that decide something the applicant may challenge: every answer and the fee notice.
#: 登记回执, 补正告知, 延期告知 and the 征询函 (to the third party) carry no remedy notice [D].
REMEDY_LETTERS: frozenset[LetterType] = frozenset(t for t in LetterType if t.is_answer or t is LetterType.FEE)


def remedy(kind: LetterType, decided_on: date) -> Remedy:
    """The remedy notice a letter must carry: 行政复议法 (2023) art 23 ¶1(4), ¶2 (R16).

    A 不予公开 answer (``Outcome.is_withholding``) dated on or after 2024-01-01 must tell the
    applicant that 行政复议 comes before a lawsuit; every other decision letter names both
    routes (行政复议法 art 20 ¶1, 行政诉讼法 art 46 ¶1).
    """
    if kind not in REMEDY_LETTERS:
        return Remedy.NONE
    outcome = kind.outcome
    if outcome is not None and requires_review_first_notice(outcome, decided_on):
        return Remedy.REVIEW_FIRST
    return Remedy.STANDARD


def standard_remedy_notice(
    reconsideration_body: str, court_name: str, *, decided_on: date, subject: str = "本答复"
) -> str:
    """行政复议 within 60 days or 行政诉讼 within 6 months: 行政复议法 art 20 ¶1 (2023 text; art 9 ¶1
    of the 2017 text for decisions before 2024-01-01), 行政诉讼法 art 46 ¶1."""
    article = "第二十条" if decided_on >= REVIEW_LAW_2023_FROM else "第九条"
    return (
        f"如对{subject}不服，可以自知道该{subject.removeprefix('本')}之日起六十日内向{reconsideration_body}申请行政复议，"
        f"也可以自知道该{subject.removeprefix('本')}之日起六个月内向{court_name}提起行政诉讼"
        f"（《中华人民共和国行政复议法》{article}、《中华人民共和国行政诉讼法》第四十六条）。"
    )


def remedy_notice(kind: LetterType, decided_on: date, *, reconsideration_body: str, court_name: str | None) -> str:
    """The remedy paragraph of a letter: R16 (行政复议法 2023 art 23) or the standard notice.

    The 行政复议前置 sentence is ``gongkai.core.outcomes.review_first_notice`` (one definition).
    """
    chosen = remedy(kind, decided_on)
    if chosen is Remedy.REVIEW_FIRST:
        return review_first_notice(reconsideration_body)
    if chosen is Remedy.NONE:
        return ""
    if court_name is None:
        raise LetterRuleError("缺少人民法院名称", field="court_name")
    subject = "本通知" if kind is LetterType.FEE else "本答复"
    return standard_remedy_notice(reconsideration_body, court_name, decided_on=decided_on, subject=subject)


# ---------------------------------------------------------------------------------------------
# Dates and amounts
# ---------------------------------------------------------------------------------------------


def fee_payment_due(notified_on: date, calendar: WorkingCalendar) -> date:
    """缴费期限: 20 working days counted from the day after the notice is received (spec §2.4).

    "申请人应当在收到收费通知次日起20个工作日内缴纳费用" (国办函〔2020〕109号 as restated by the
    Sichuan notice, S4 [V]; [U] as the 办法's own wording).
    """
    return calendar.nth_working_day_after(notified_on, FEE_PAYMENT_DAYS)


def check_extension(days: int) -> None:
    """An extension is 1 to 20 working days: 条例 art 33 ¶2."""
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise LetterRuleError(
            f"延长的期限为 {days} 个工作日；延长的期限最长不得超过{MAX_EXTENSION_DAYS}个工作日（条例第三十三条第二款）",
            field="extension_days",
        )


def check_fee(fee: FeeBreakdown) -> None:
    """A fee notice asks for more than 0 元: 条例 art 42 ¶1 (free by default), 国办函〔2020〕109号 art 4."""
    if fee.total <= 0:
        raise LetterRuleError(
            "按收费标准本申请不收费（0元），不应发出收费通知（条例第四十二条第一款，国办函〔2020〕109号第四条）",
            field="fee",
        )
