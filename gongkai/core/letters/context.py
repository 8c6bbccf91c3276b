"""What a letter is about: :class:`LetterContext`, a plain record filled by the caller.

Only the fields a letter's template uses must be set; a template that uses a field left at None
fails with :class:`~gongkai.core.letters.errors.LetterFieldMissing` naming template and field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from gongkai.core.fees import FeeBreakdown
from gongkai.core.letters.grounds import WithheldGround


@dataclass(frozen=True, slots=True)
class LetterContext:
    """The facts a letter states. Dates are ``date`` objects; the letter prints them in Chinese.

    ``today`` is the letter's date (成文日期): the day of the act it records (the receipt, the
    补正 request, the extension's approval, the fee notice, the decision), never the day it is
    printed. The remedy notice depends on it (R16, 行政复议法 2023 art 23; the 2017 text before
    2024-01-01).
    """

    agency_name: str  # 本机关 (发文机关署名)
    letter_number: str  # 发文字号, see ``format_letter_number``
    applicant_name: str
    case_number: str
    received_on: date  # 收到申请之日 (条例 art 31)
    request_summary: str  # 申请公开的政府信息的描述 (条例 art 29 ¶2(二))
    today: date
    reasons: str | None = None  # 理由说明 (不予公开、区分处理、延期、重复申请 …)
    access_method: str | None = None  # 获取信息的方式、途径 (条例 art 36(1)(2), 39 ¶2)
    answer_due: date | None = None  # 答复期限 (登记回执)
    correction_items: str | None = None  # 需要补正的事项 (条例 art 30)
    correction_due: date | None = None  # 补正期限 (条例 art 30)
    extension_days: int | None = None  # 延长的工作日数 (条例 art 33 ¶2)
    new_due_date: date | None = None  # 延长后的答复期限
    consultation_party: str | None = None  # 被征求意见的第三方 (条例 art 32)
    fee: FeeBreakdown | None = None  # from ``gongkai.core.fees.compute_fee``
    fee_notified_on: date | None = None  # 申请人收到收费通知之日 (the payment period runs from the next day)
    payment_due: date | None = None  # 缴费期限, see ``rules.fee_payment_due``
    payment_instructions: str | None = None  # 缴纳方式
    responsible_agency: str | None = None  # 负责公开的行政机关 (条例 art 36(5))
    responsible_agency_contact: str | None = None
    reconsideration_body: str | None = None  # 行政复议机关
    court_name: str | None = None  # 有管辖权的人民法院
    already_published: bool | None = None  # 予以公开: 已主动公开 → 36(1), 可以公开 → 36(2)
    withheld_ground: WithheldGround | None = None  # 部分公开: the ground of the withheld part (条例 arts 14–16)
    withheld_part: str | None = None  # 部分公开: which part is withheld (条例 art 37)
    reprint: bool = False  # printed again: same date and number, marked 重印
    transferred_on: date | None = None  # 转办: the day the application was forwarded (条例 art 36(5))


#: The names of the context's fields, in order (the template placeholders they provide).
CONTEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(LetterContext))
