"""The statutory steps while a case is open: 补正 (条例 art 30), 征求意见 (arts 32, 34),
延长答复期限 (art 33 ¶2) and 信息处理费 (国办函〔2020〕109号; 条例 art 42).

Each pauses, restarts or extends the answer clock; the core decides how
(``gongkai.core.deadlines``), :func:`~gongkai.cases.services._machinery.apply_change` stores it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.accounts.models import Role
from gongkai.cases import notifications
from gongkai.cases.choices import CaseNote, ExtensionDecision
from gongkai.cases.clock import compute_case_clock, nth_working_day_after
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import MAX_PAGES, MAX_PIECES, Case, Consultation, Extension, FeeNotice
from gongkai.cases.services._machinery import (
    PORTAL_ACTOR_NAME,
    SYSTEM_ACTOR_NAME,
    after_commit,
    apply_change,
    check_step,
    checked_day,
    core_check,
    lock_case,
    lock_for_applicant,
)
from gongkai.cases.services.notices import fee_period_of
from gongkai.core.case_flow import Event
from gongkai.core.deadlines import CONSULTATION_REPLY_DAYS, ConsultedParty, CorrectionRequested
from gongkai.core.deadlines import Extension as ExtensionEvent
from gongkai.core.fees import FeeMethod, compute_fee

if TYPE_CHECKING:
    from gongkai.accounts.models import User


# ---------------------------------------------------------------------------------------------
# 补正 (条例 art 30)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def request_correction(
    *,
    actor: User,
    case: Case,
    items: str,
    reply_by: dt.date,
    today: dt.date,
    on: dt.date | None = None,
    version: int | None = None,
    backdated_reason: str = "",
) -> Case:
    """One-time 补正告知 with the items and a reasonable 补正期限: 条例 art 30.

    The notice is due within 7 working days of receipt (a later one is recorded with the core's
    warning); a second notice is refused by the core ("一次性告知"). ``reply_by`` is counted from
    ``on`` until the 送达 of the notice is recorded; then the same number of working days runs
    from the applicant's receipt (:func:`~gongkai.cases.services.notices.record_notice_receipt`).
    """
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "补正告知日")
    step = check_step(locked, Event.REQUEST_CORRECTION)
    if not items.strip():
        raise CaseInputError("请写明需要补正的事项（条例第三十条）")
    if locked.correction_requested_on is not None:
        core_check(locked, CorrectionRequested(day, reply_by), today)  # raises: only one notice
    return apply_change(
        locked,
        actor=actor,
        kind=Event.REQUEST_CORRECTION,
        on=day,
        backdated_reason=backdated_reason,
        today=today,
        changes={
            "status": step.status.value,
            "correction_requested_on": day,
            "correction_reply_by": reply_by,
            "correction_items": items.strip(),
        },
        payload={"补正事项": items.strip(), "补正期限": reply_by},
    )


@transaction.atomic
def receive_correction(
    *,
    actor: User | None,
    case: Case,
    today: dt.date,
    on: dt.date | None = None,
    note: str = "",
    version: int | None = None,
    by_applicant: bool = False,
    backdated_reason: str = "",
) -> Case:
    """The corrected application arrived: the 20 working days start again from ``on`` (条例 art 30).

    ``by_applicant``: the applicant answered on the tracking page (``actor`` None, no staff
    permission; refused after the 补正期限, when the application is deemed abandoned). The 补正期限
    runs from the applicant's receipt of the notice (条例 art 30): while no 送达 is recorded it is
    provisional, and an answer after the provisional date is still taken.
    """
    if by_applicant:
        locked = lock_for_applicant(case)
        if actor is not None:
            raise PermissionDenied("网上补正只能由申请人在查询页面提交")
    else:
        locked = lock_case(actor, case, version)
    day = checked_day(on, today, "收到补正日期")
    step = check_step(locked, Event.RECEIVE_CORRECTION)
    served = locked.correction_served_on is not None  # unserved: the period cannot be shown to have ended
    if by_applicant and served and locked.correction_reply_by is not None and day > locked.correction_reply_by:
        raise CaseInputError(
            f"补正期限已于{locked.correction_reply_by.isoformat()}届满，逾期未补正视为放弃申请（条例第三十条），不能再网上补正"
        )
    return apply_change(
        locked,
        actor=actor,
        kind=Event.RECEIVE_CORRECTION,
        on=day,
        backdated_reason=backdated_reason,
        today=today,
        note=note,
        changes={"status": step.status.value, "correction_received_on": day},
        payload={"收到补正之日": day, **({"方式": "申请人网上补正"} if by_applicant else {})},
        actor_name=PORTAL_ACTOR_NAME if by_applicant else SYSTEM_ACTOR_NAME,
    )


@transaction.atomic
def lapse_correction(*, actor: User, case: Case, today: dt.date, note: str = "", version: int | None = None) -> Case:
    """逾期不补正: 视为放弃申请, the case closes as table 三 （六）1 (条例 art 30)."""
    locked = lock_case(actor, case, version)
    step = check_step(locked, Event.CORRECTION_OVERDUE)
    if locked.correction_reply_by is None:
        raise CaseInputError(f"案件 {locked.number} 未设定补正期限，不能按逾期不补正处理")
    if today <= locked.correction_reply_by:
        raise CaseInputError(f"案件 {locked.number} 的补正期限 {locked.correction_reply_by.isoformat()} 尚未届满")
    assert step.outcome is not None
    return apply_change(
        locked,
        actor=actor,
        kind=Event.CORRECTION_OVERDUE,
        on=today,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": today},
        payload={
            "补正期限": locked.correction_reply_by,
            "申请人收到补正告知之日": locked.correction_served_on or "未登记送达（期限按告知日暂计）",
        },
    )


# ---------------------------------------------------------------------------------------------
# Consultation (条例 arts 32, 34)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def start_consultation(
    *,
    actor: User,
    case: Case,
    party: ConsultedParty | str,
    party_name: str,
    today: dt.date,
    matter: str = "",
    on: dt.date | None = None,
    version: int | None = None,
    backdated_reason: str = "",
) -> Case:
    """Send a 征求意见书 to a third party (art 32) or another agency (art 34); the clock pauses (art 33 ¶3)."""
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "发出征求意见书日期")
    step = check_step(locked, Event.START_CONSULTATION)
    party = ConsultedParty(party)
    if party is ConsultedParty.UNSPECIFIED or not party_name.strip():
        raise CaseInputError("请选择被征求意见方（第三方或其他机关）并写明名称")
    reply_due, _ = nth_working_day_after(day, CONSULTATION_REPLY_DAYS)
    Consultation.objects.create(
        case=locked,
        party=party.value,
        party_name=party_name.strip(),
        matter=matter,
        sent_on=day,
        reply_due_on=reply_due,
        created_by=actor,
    )
    return apply_change(
        locked,
        actor=actor,
        kind=Event.START_CONSULTATION,
        on=day,
        backdated_reason=backdated_reason,
        today=today,
        changes={"status": step.status.value},
        payload={"被征求意见方": party.label, "名称": party_name.strip(), "答复期限": reply_due},
    )


@transaction.atomic
def record_consultation_reply(
    *,
    actor: User,
    case: Case,
    today: dt.date,
    replied: bool = True,
    consents: bool | None = None,
    opinion: str = "",
    on: dt.date | None = None,
    version: int | None = None,
    backdated_reason: str = "",
) -> Case:
    """The consultation ends: a reply received on ``on``, or (``replied=False``) none by its 15-day limit.

    条例 art 32: silence lets the agency decide; art 34: silence of another agency is consent.
    """
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "征求意见结束日期")
    step = check_step(locked, Event.END_CONSULTATION)
    consultation = locked.consultations.select_for_update().filter(ended_on__isnull=True).first()
    if consultation is None:
        raise CaseInputError(f"案件 {locked.number} 没有进行中的征求意见")
    if day < consultation.sent_on:
        raise CaseInputError(f"结束日期 {day.isoformat()} 早于发出征求意见书之日 {consultation.sent_on.isoformat()}")
    if not replied and day <= consultation.reply_due_on:
        raise CaseInputError(
            f"征求意见的答复期限 {consultation.reply_due_on.isoformat()} 尚未届满，不能按逾期未提出意见结束（条例第三十二条、第三十四条）"
        )
    if not replied and consultation.party == ConsultedParty.AGENCY:
        consents = True  # art 34: 逾期未提出意见的视为同意公开
    consultation.ended_on = day
    consultation.replied_on = day if replied else None
    consultation.consents = consents
    consultation.opinion = opinion
    consultation.save(update_fields=["ended_on", "replied_on", "consents", "opinion"])
    return apply_change(
        locked,
        actor=actor,
        kind=Event.END_CONSULTATION,
        on=day,
        backdated_reason=backdated_reason,
        today=today,
        changes={"status": step.status.value},
        payload={
            "名称": consultation.party_name,
            "答复": "已答复" if replied else "逾期未提出意见",
            "同意公开": consents,
            "意见": opinion,
        },
    )


# ---------------------------------------------------------------------------------------------
# Extension (条例 art 33 ¶2)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def request_extension(
    *, actor: User, case: Case, days: int, reason: str, today: dt.date, version: int | None = None
) -> Case:
    """Ask the 工作机构负责人 to extend the answer period by ``days`` (≤ 20) working days: 条例 art 33 ¶2."""
    locked = lock_case(actor, case, version)
    step = check_step(locked, Event.REQUEST_EXTENSION)
    if not reason.strip():
        raise CaseInputError("请写明延长答复期限的理由")
    core_check(locked, ExtensionEvent(days, today), today)  # days 1–20, and not after the due date
    Extension.objects.create(case=locked, days=days, reason=reason.strip(), requested_by=actor, requested_on=today)
    result = apply_change(
        locked,
        actor=actor,
        kind=Event.REQUEST_EXTENSION,
        on=today,
        today=today,
        changes={"status": step.status.value},
        payload={"延长工作日": days, "理由": reason.strip()},
    )
    case_id, agency_id = result.pk, result.agency_id
    after_commit(
        lambda: notifications.case_notice(
            case_id,
            "延长答复期限待审批",
            f"申请延长答复期限 {days} 个工作日，理由：{reason.strip()}",
            to=notifications.staff_of(agency_id, Role.LEADER),
        )
    )
    return result


def _require_leader(actor: User, case: Case) -> None:
    if actor is None or actor.role != Role.LEADER or actor.agency_id != case.agency_id:
        raise PermissionDenied("只有本机关政府信息公开工作机构负责人可以审批延长答复期限（条例第三十三条第二款）")


def _decide_extension(
    *, actor: User, case: Case, approve: bool, note: str, today: dt.date, version: int | None
) -> Case:
    _require_leader(actor, case)
    locked = lock_case(actor, case, version)
    event = Event.APPROVE_EXTENSION if approve else Event.REFUSE_EXTENSION
    step = check_step(locked, event)
    extension = locked.extensions.select_for_update().filter(decision=ExtensionDecision.PENDING).first()
    if extension is None:
        raise CaseInputError(f"案件 {locked.number} 没有待审批的延期申请")
    extension.decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REFUSED
    extension.decided_by = actor
    extension.decided_on = today
    extension.decision_note = note
    extension.save(update_fields=["decision", "decided_by", "decided_on", "decision_note"])
    # Approval after the original due date is refused by the core (DeadlineError) on recompute.
    result = apply_change(
        locked,
        actor=actor,
        kind=event,
        on=today,
        today=today,
        note=note,
        changes={"status": step.status.value},
        payload={"延长工作日": extension.days},
    )
    case_id = result.pk
    requester = extension.requested_by
    verdict = "同意" if approve else "不同意"
    after_commit(
        lambda: notifications.case_notice(
            case_id,
            f"负责人{verdict}延长答复期限",
            f"负责人{verdict}延长答复期限 {extension.days} 个工作日。{note}"
            + ("\n请及时告知申请人（条例第三十三条第二款）。" if approve else ""),
            to=[requester] if requester is not None else None,
        )
    )
    return result


@transaction.atomic
def approve_extension(*, actor: User, case: Case, today: dt.date, note: str = "", version: int | None = None) -> Case:
    """The 负责人 agrees, on or before the original due date: 条例 art 33 ¶2 (only a LEADER of the agency)."""
    return _decide_extension(actor=actor, case=case, approve=True, note=note, today=today, version=version)


@transaction.atomic
def refuse_extension(*, actor: User, case: Case, today: dt.date, note: str = "", version: int | None = None) -> Case:
    """The 负责人 does not agree; the original due date stands (条例 art 33 ¶2)."""
    return _decide_extension(actor=actor, case=case, approve=False, note=note, today=today, version=version)


@transaction.atomic
def notify_extension(
    *,
    actor: User,
    case: Case,
    today: dt.date,
    on: dt.date | None = None,
    version: int | None = None,
    backdated_reason: str = "",
) -> Case:
    """Record that the applicant was told of the extension (告知申请人, 条例 art 33 ¶2), before the original due date."""
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "告知日期")
    if not locked.is_open:
        raise CaseInputError(f"案件 {locked.number} 已办结")
    extension = locked.extensions.select_for_update().filter(decision=ExtensionDecision.APPROVED).first()
    if extension is None:
        raise CaseInputError(f"案件 {locked.number} 没有已批准的延期")
    if extension.notified_on is not None:
        raise CaseInputError(f"案件 {locked.number} 已于 {extension.notified_on.isoformat()} 告知申请人延期")
    clock = compute_case_clock(locked, today=today)
    original = clock.result.due_before_extension if clock.result is not None else None
    if original is not None and day > original:
        raise CaseInputError(
            f"告知日期 {day.isoformat()} 晚于原答复期限 {original.isoformat()}：延期须在原期限届满前告知申请人（条例第三十三条第二款）"
        )
    extension.notified_on = day
    extension.save(update_fields=["notified_on"])
    return apply_change(
        locked,
        actor=actor,
        kind=CaseNote.EXTENSION_NOTIFIED,
        on=day,
        backdated_reason=backdated_reason,
        today=today,
        recompute=False,
        changes={},
        payload={"告知日期": day, "延长工作日": extension.days},
    )


# ---------------------------------------------------------------------------------------------
# Fees (国办函〔2020〕109号; 条例 art 42)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def send_fee_notice(
    *,
    actor: User,
    case: Case,
    method: FeeMethod | str,
    today: dt.date,
    pieces: int | None = None,
    pages: int | None = None,
    on: dt.date | None = None,
    version: int | None = None,
    backdated_reason: str = "",
) -> Case:
    """Send a 收费通知; the amount and tiers come from ``gongkai.core.fees`` (国办函〔2020〕109号 arts 3–5).

    按件: ``pieces`` (default: the case's 件数) counted after the applicant's earlier 件 at this
    agency in the same natural month. 按量: ``pages`` of this application. ``on`` is the day the
    notice is sent; payment is due 20 working days after the applicant receives it (国办函〔2020〕
    109号, spec §2.4): counted from ``on`` (暂定) until the 送达 is recorded, when
    :func:`~gongkai.cases.services.notices.record_notice_receipt` counts it again.
    """
    from gongkai.cases.selectors import applicant_earlier_pieces

    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "收费通知日期")
    step = check_step(locked, Event.SEND_FEE_NOTICE)
    method = FeeMethod(method)
    earlier = 0
    if method is FeeMethod.BY_PIECE:
        pieces = pieces or locked.pieces
        if pieces > MAX_PIECES:  # below 1 is the core's FeeError
            raise CaseInputError(f"案件 {locked.number} 的件数应在1至{MAX_PIECES}之间，实为 {pieces}")
        earlier = applicant_earlier_pieces(locked)
        breakdown = compute_fee(pieces=pieces, earlier=earlier)
        pages = None
    else:
        if pages is None:
            raise CaseInputError("按量计收须填写页数")
        if pages > MAX_PAGES:  # below 1 is the core's FeeError
            raise CaseInputError(f"页数应在1至{MAX_PAGES}之间，实为 {pages}")
        breakdown = compute_fee(pages=pages)
        pieces = None
    if breakdown.total == 0:
        raise CaseInputError(f"{method.label}，应收 0 元（在免费范围内），无需发出收费通知")
    payment_due = fee_period_of(FeeNotice(notified_on=day)).due_on
    FeeNotice.objects.create(
        case=locked,
        method=method.value,
        pieces=pieces,
        earlier_pieces=earlier,
        pages=pages,
        amount=breakdown.total,
        notified_on=day,
        payment_due_on=payment_due,
        created_by=actor,
        breakdown=[
            {
                "first": ln.first,
                "last": ln.last,
                "unit_price": ln.unit_price,
                "unit": ln.unit,
                "amount": ln.amount,
                "text": ln.describe(),
            }
            for ln in breakdown.lines
        ],
    )
    return apply_change(
        locked,
        actor=actor,
        kind=Event.SEND_FEE_NOTICE,
        on=day,
        backdated_reason=backdated_reason,
        today=today,
        changes={"status": step.status.value},
        payload={
            "计收方式": method.label,
            "金额": breakdown.total,
            "缴费期限": payment_due,
            "明细": "，".join(breakdown.describe()),
        },
    )


@transaction.atomic
def record_fee_payment(
    *,
    actor: User,
    case: Case,
    today: dt.date,
    amount_collected: Decimal | int | None = None,
    on: dt.date | None = None,
    version: int | None = None,
    backdated_reason: str = "",
) -> Case:
    """The fee was paid on ``on``; the clock runs again (spec §2.4)."""
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "缴费日期")
    step = check_step(locked, Event.RECEIVE_PAYMENT)
    notice = locked.fee_notices.select_for_update().filter(paid_on__isnull=True, lapsed_on__isnull=True).first()
    if notice is None:
        raise CaseInputError(f"案件 {locked.number} 没有待缴费的收费通知")
    if day < notice.notified_on:
        raise CaseInputError(f"缴费日期 {day.isoformat()} 早于收费通知日 {notice.notified_on.isoformat()}")
    notice.paid_on = day
    notice.amount_collected = Decimal(notice.amount if amount_collected is None else amount_collected)
    notice.save(update_fields=["paid_on", "amount_collected"])
    return apply_change(
        locked,
        actor=actor,
        kind=Event.RECEIVE_PAYMENT,
        on=day,
        backdated_reason=backdated_reason,
        today=today,
        changes={"status": step.status.value},
        payload={"缴费日期": day, "实收金额": notice.amount_collected},
    )


@transaction.atomic
def lapse_fee(*, actor: User, case: Case, today: dt.date, note: str = "", version: int | None = None) -> Case:
    """逾期未缴费: 视为放弃申请, the case closes as table 三 （六）2 (spec §2.4)."""
    locked = lock_case(actor, case, version)
    step = check_step(locked, Event.FEE_OVERDUE)
    notice = locked.fee_notices.select_for_update().filter(paid_on__isnull=True, lapsed_on__isnull=True).first()
    if notice is None:
        raise CaseInputError(f"案件 {locked.number} 没有待缴费的收费通知")
    if today <= notice.payment_due_on:
        raise CaseInputError(f"缴费期限 {notice.payment_due_on.isoformat()} 尚未届满")
    notice.lapsed_on = today
    notice.save(update_fields=["lapsed_on"])
    assert step.outcome is not None
    return apply_change(
        locked,
        actor=actor,
        kind=Event.FEE_OVERDUE,
        on=today,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": today},
        payload={
            "缴费期限": notice.payment_due_on,
            "金额": notice.amount,
            "申请人收到收费通知之日": notice.served_on or "未登记送达（期限按发出之日暂计）",
        },
    )
