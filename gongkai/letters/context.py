"""The facts a letter states, read from its case (the wording and the law are ``gongkai.core.letters``).

:func:`build_context` reads the case (receipt, 补正, consultation, extension, fee notice,
outcome) and the agency's letter settings into a :class:`~gongkai.core.letters.LetterContext`;
:func:`compose_letter` composes it with the administrator's template overrides. A missing fact
becomes a :class:`~gongkai.cases.errors.CaseInputError` that says where to enter it.

Dates: a letter carries the date of the act it records (:func:`letter_date`); an answer the
decision date, ``case.closed_on``, so that the remedy notice follows the rule of that date (R16,
行政复议法 2023 art 23; the 2017 text before 2024-01-01).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from gongkai.cases.choices import ExtensionDecision
from gongkai.cases.clock import nth_working_day_after
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Case, CaseTransfer, FeeNotice
from gongkai.core.answer_periods import answer_periods
from gongkai.core.deadlines import ConsultedParty
from gongkai.core.fees import FeeBreakdown, FeeMethod, compute_fee
from gongkai.core.letters import (
    PROCEDURAL_TYPES,
    ComposedLetter,
    LetterContext,
    LetterFieldMissing,
    LetterType,
    WithheldGround,
    compose,
)
from gongkai.core.letters.templating import FIELD_LABELS
from gongkai.core.placeholders import unfilled_placeholders
from gongkai.letters.models import LetterSettings, template_overrides

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency


#: Context fields that come from the agency's letter settings, not from the case.
SETTINGS_FIELDS = frozenset({"reconsideration_body", "court_name", "payment_instructions"})
PROVISIONAL_NUMBER = "（文号待定）"


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """What the officer types for a letter because the case does not record it.

    ``reasons``: 理由 (不予公开, 区分处理, 重复申请 …; defaults to the case's 答复说明 for an
    answer, to the extension's reason for 延期告知); ``access_method``: how the applicant gets the
    information (条例 art 36(1)(2), 39 ¶2); ``responsible_agency`` and its contact for 本机关不掌握
    (条例 art 36(5)).
    """

    reasons: str = ""
    access_method: str = ""
    responsible_agency: str = ""
    responsible_agency_contact: str = ""
    already_published: bool = False  # 予以公开: 已主动公开 (条例 art 36(1)) rather than 可以公开 (36(2))
    withheld_ground: WithheldGround | None = None  # 部分公开: art 14, 15 or 16
    withheld_part: str = ""  # 部分公开: the part withheld (art 37)


def letter_date(case: Case, kind: LetterType, today: dt.date) -> dt.date:
    """The letter's 成文日期: the day of the act it records, not the day it is printed.

    登记回执 → the receipt date (条例 art 31); 补正告知 → the day the 补正 was requested (art 30);
    延期告知 → the day the extension was approved (art 33 ¶2); 征询函 → the day it was sent
    (art 32); 收费通知 → the notice's date (国办函〔2020〕109号); an answer → the decision date
    (``case.closed_on``), whose law the remedy notice follows (R16). Raises CaseInputError when
    the act is not recorded yet or lies after ``today``.
    """
    act = _act_date(case, kind)
    if act > today:
        raise CaseInputError(f"案件 {case.number} 的{kind.label}日期 {act.isoformat()} 晚于今天")
    return act


def available_kinds(case: Case) -> list[LetterType]:
    """The letters ``case`` can carry now: the procedural letters whose act is recorded, and the
    answer of its outcome once it is closed (each dated by its act, :func:`letter_date`)."""
    kinds: list[LetterType] = []
    for kind in PROCEDURAL_TYPES:
        try:
            _act_date(case, kind)
        except CaseInputError:
            continue
        kinds.append(kind)
    if case.outcome_enum is not None and case.closed_on is not None:
        kinds.append(LetterType.for_outcome(case.outcome_enum))
    return kinds


def _act_date(case: Case, kind: LetterType) -> dt.date:
    if kind.is_answer:
        outcome = kind.outcome
        assert outcome is not None
        if case.outcome != outcome.value or case.closed_on is None:
            shown = case.outcome_enum.full_label if case.outcome_enum is not None else "尚未办结"
            raise CaseInputError(f"案件 {case.number} 的办理结果为“{shown}”，不能出具“{outcome.full_label}”的答复书")
        return case.closed_on
    found: dt.date | None = None
    missing = ""
    if kind is LetterType.RECEIPT:
        found, missing = case.received_on, "尚未确认收到申请之日（条例第三十一条）"
    elif kind is LetterType.CORRECTION:
        found, missing = case.correction_requested_on, "尚未登记补正告知（条例第三十条），请先在案件中告知补正"
    elif kind is LetterType.EXTENSION:
        extension = _approved_extension(case)
        found = extension.decided_on if extension is not None else None
        missing = "没有经负责人同意的延期（条例第三十三条第二款）"
    elif kind is LetterType.THIRD_PARTY:
        consultation = _third_party_consultation(case)
        found = consultation.sent_on if consultation is not None else None
        missing = "没有征求第三方意见的记录（条例第三十二条）"
    elif kind is LetterType.FEE:
        notice = case.fee_notices.order_by("-notified_on", "-id").first()
        found, missing = (notice.notified_on if notice is not None else None), "没有收费通知的记录"
    if found is None:
        raise CaseInputError(f"案件 {case.number} {missing}")
    return found


def _approved_extension(case: Case) -> Any:
    return case.extensions.filter(decision=ExtensionDecision.APPROVED).first()


def _third_party_consultation(case: Case) -> Any:
    return case.consultations.filter(party=ConsultedParty.THIRD_PARTY).order_by("-sent_on", "-id").first()


def statutory_due(received_on: dt.date) -> dt.date:
    """The answer due date the 登记回执 states: the base period from receipt (条例 art 33 ¶2; 2008 art 24).

    Never the extended date (the 延期告知 states that) and never a date moved by later pauses.
    """
    return nth_working_day_after(received_on, answer_periods(received_on).base_days)[0]


def build_context(
    case: Case, kind: LetterType, *, today: dt.date, number: str, facts: LetterFacts, settings: LetterSettings
) -> LetterContext:
    """The facts of ``case`` that letter ``kind`` states; raises CaseInputError when the case lacks them."""
    if case.received_on is None:
        raise CaseInputError(f"案件 {case.number} 尚未确认收到申请之日（条例第三十一条），不能出具文书")
    agency = case.agency
    context = LetterContext(
        agency_name=agency.name,
        letter_number=number,
        applicant_name=case.applicant_name,
        case_number=case.number,
        received_on=case.received_on,
        request_summary=case.request_description,
        today=letter_date(case, kind, today),
        reasons=facts.reasons.strip() or (case.closing_note.strip() if kind.is_answer else "") or None,
        access_method=facts.access_method.strip() or None,
        answer_due=statutory_due(case.received_on),
        correction_items=case.correction_items.strip() or None,
        correction_due=case.correction_reply_by,
        responsible_agency=facts.responsible_agency.strip() or None,
        responsible_agency_contact=facts.responsible_agency_contact.strip() or None,
        reconsideration_body=settings.reconsideration_body.strip() or (agency.parent.name if agency.parent else None),
        court_name=settings.court_name.strip() or None,
        payment_instructions=settings.payment_instructions.strip() or None,
        already_published=facts.already_published,
        withheld_ground=facts.withheld_ground,
        withheld_part=facts.withheld_part.strip() or None,
    )
    if kind is LetterType.ANSWER_UNAVAILABLE_NOT_HELD:
        context = _with_transfer(case, context, facts)
    if kind is LetterType.EXTENSION:
        extension = _approved_extension(case)
        context = replace(
            context,
            extension_days=extension.days,
            new_due_date=case.due_on,
            reasons=facts.reasons.strip() or extension.reason.strip() or None,
        )
    if kind is LetterType.THIRD_PARTY:
        context = replace(context, consultation_party=_third_party_consultation(case).party_name)
    if kind in (LetterType.FEE, LetterType.ANSWER_OTHER_FEE_UNPAID):
        notice = case.fee_notices.order_by("-notified_on", "-id").first()
        if notice is None:
            raise CaseInputError(f"案件 {case.number} 没有收费通知的记录")
        context = replace(
            context, fee=_fee_of(case, notice), fee_notified_on=notice.notified_on, payment_due=notice.payment_due_on
        )
    return context


def _with_transfer(case: Case, context: LetterContext, facts: LetterFacts) -> LetterContext:
    """A 36(5) 告知 recorded by a transfer (``cases.services.transfer_application``) names the agency,
    its contact and the reason from that record unless the officer typed them (条例 art 36(5)), and
    says the application was forwarded when the agency is on the system."""
    transfer = CaseTransfer.objects.filter(from_case=case).first()
    if transfer is None:
        return context
    return replace(
        context,
        responsible_agency=facts.responsible_agency.strip() or transfer.agency_name,
        responsible_agency_contact=facts.responsible_agency_contact.strip() or transfer.agency_contact,
        reasons=facts.reasons.strip() or transfer.reason,
        transferred_on=transfer.transferred_on if transfer.on_system else None,
    )


def _fee_of(case: Case, notice: FeeNotice) -> FeeBreakdown:
    """The notice's tiers, recomputed by the core from its stored inputs (国办函〔2020〕109号)."""
    if FeeMethod(notice.method) is FeeMethod.BY_PIECE:
        fee = compute_fee(pieces=notice.pieces, earlier=notice.earlier_pieces)
    else:
        fee = compute_fee(pages=notice.pages)
    if fee.total != notice.amount:
        raise CaseInputError(f"案件 {case.number} 的收费通知金额与按标准计算的金额不一致，请核对")
    return fee


def compose_letter(kind: LetterType, context: LetterContext, agency: Agency) -> ComposedLetter:
    """Compose with the stored overrides; a missing fact becomes a message that says where to enter it."""
    try:
        composed = compose(kind, context, overrides=template_overrides())
    except LetterFieldMissing as exc:
        field = exc.field or ""
        label = FIELD_LABELS.get(field, field)
        if field in SETTINGS_FIELDS:
            raise CaseInputError(
                f"{agency.name}的文书设置缺少“{label}”，请系统管理员在“系统管理 › 文书设置”中填写"
            ) from None
        raise CaseInputError(f"出具“{kind.label}”需要“{label}”，请填写后重试") from None
    unfilled = unfilled_placeholders(composed.text())
    if unfilled:
        raise CaseInputError(f"“{kind.label}”中仍有未填写的内容：{'、'.join(unfilled)}，请填写后再出具")
    return composed
