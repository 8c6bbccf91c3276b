"""The actions of a case page: which form, which service, when it is offered.

An action with a core ``event`` is offered only when the core's transition table allows that
event from the case's status (``gongkai.core.case_flow.allowed_events``); the service checks
again, so a stale page cannot slip through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gongkai.accounts.models import Role, User
from gongkai.accounts.scoping import can_write
from gongkai.cases import forms as f
from gongkai.cases import services as s
from gongkai.cases.choices import ExtensionDecision
from gongkai.cases.models import Case, user_may_read_case
from gongkai.core.case_flow import Event, allowed_events

Run = Callable[[User, Case, dt.date, dict[str, Any]], Case]


def user_may_act(user: Any, case: Case) -> bool:
    """Staff of the case's agency who can see it (``services`` enforces the same rule)."""
    return bool(can_write(user, case.agency) and user_may_read_case(user, case))


def _always(case: Case, today: dt.date) -> bool:
    return True


@dataclass(frozen=True)
class CaseAction:
    slug: str
    label: str
    form: type[f.ActionForm]
    run: Run
    event: Event | None = None
    roles: frozenset[Role] | None = None
    available: Callable[[Case, dt.date], bool] = _always
    hint: str = ""

    def allowed(self, case: Case, user: Any, today: dt.date) -> bool:
        if not user_may_act(user, case):
            return False
        if self.roles is not None and user.role not in self.roles:
            return False
        if self.event is not None and self.event not in allowed_events(case.status_enum):
            return False
        if self.event is None and not case.is_open:
            return False
        return self.available(case, today)


def _approved_not_notified(case: Case, today: dt.date) -> bool:
    return any(x.decision == ExtensionDecision.APPROVED and x.notified_on is None for x in case.extensions.all())


def _fee_lapsed(case: Case, today: dt.date) -> bool:
    return any(n.is_open and n.payment_due_on < today for n in case.fee_notices.all())


def _no_approved_extension(case: Case, today: dt.date) -> bool:
    return not any(x.decision == ExtensionDecision.APPROVED for x in case.extensions.all())


ACTIONS: tuple[CaseAction, ...] = (
    CaseAction(
        "confirm",
        "确认收到申请",
        f.OnForm,
        lambda u, c, t, d: s.confirm_receipt(actor=u, case=c, today=t, on=d["on"], version=d["version"]),
        Event.CONFIRM_RECEIPT,
        hint="确认之日为收到申请之日（条例第三十一条）",
    ),
    CaseAction(
        "start",
        "开始办理",
        f.ActionForm,
        lambda u, c, t, d: s.start_processing(actor=u, case=c, today=t, version=d["version"]),
        Event.ACCEPT,
    ),
    CaseAction(
        "spot",
        "当场答复",
        f.SpotForm,
        lambda u, c, t, d: s.answer_on_the_spot(
            actor=u, case=c, outcome=d["outcome"], note=d["note"], today=t, version=d["version"]
        ),
        Event.ANSWER_ON_THE_SPOT,
        available=lambda c, t: c.received_on == t,
        hint="条例第三十三条第一款",
    ),
    CaseAction(
        "request_correction",
        "告知补正",
        f.CorrectionForm,
        lambda u, c, t, d: s.request_correction(
            actor=u,
            case=c,
            items=d["items"],
            reply_by=d["reply_by"],
            on=d["on"],
            today=t,
            version=d["version"],
            backdated_reason=d["backdated_reason"],
        ),
        Event.REQUEST_CORRECTION,
        available=lambda c, t: c.correction_requested_on is None,
        hint="自收到申请之日起7个工作日内一次性告知（条例第三十条）",
    ),
    CaseAction(
        "receive_correction",
        "收到补正",
        f.ReceiveCorrectionForm,
        lambda u, c, t, d: s.receive_correction(
            actor=u,
            case=c,
            on=d["on"],
            note=d["note"],
            today=t,
            version=d["version"],
            backdated_reason=d["backdated_reason"],
        ),
        Event.RECEIVE_CORRECTION,
        hint="答复期限自收到补正之日起重新计算（条例第三十条）",
    ),
    CaseAction(
        "lapse_correction",
        "逾期不补正，不再处理",
        f.NoteForm,
        lambda u, c, t, d: s.lapse_correction(actor=u, case=c, note=d["note"], today=t, version=d["version"]),
        Event.CORRECTION_OVERDUE,
        available=lambda c, t: c.correction_reply_by is not None and t > c.correction_reply_by,
    ),
    CaseAction(
        "consult",
        "征求意见",
        f.ConsultationForm,
        lambda u, c, t, d: s.start_consultation(
            actor=u,
            case=c,
            party=d["party"],
            party_name=d["party_name"],
            matter=d["matter"],
            on=d["on"],
            today=t,
            version=d["version"],
            backdated_reason=d["backdated_reason"],
        ),
        Event.START_CONSULTATION,
        hint="征求意见所需时间不计算在答复期限内（条例第三十三条第三款）",
    ),
    CaseAction(
        "consultation_reply",
        "征求意见结束",
        f.ConsultationReplyForm,
        lambda u, c, t, d: s.record_consultation_reply(
            actor=u,
            case=c,
            replied=d["replied"],
            consents=d["consents"],
            opinion=d["opinion"],
            on=d["on"],
            today=t,
            version=d["version"],
            backdated_reason=d["backdated_reason"],
        ),
        Event.END_CONSULTATION,
    ),
    CaseAction(
        "request_extension",
        "申请延长答复期限",
        f.ExtensionRequestForm,
        lambda u, c, t, d: s.request_extension(
            actor=u, case=c, days=d["days"], reason=d["reason"], today=t, version=d["version"]
        ),
        Event.REQUEST_EXTENSION,
        available=_no_approved_extension,
        hint="须经政府信息公开工作机构负责人同意，最长20个工作日（条例第三十三条第二款）",
    ),
    CaseAction(
        "approve_extension",
        "同意延长",
        f.NoteForm,
        lambda u, c, t, d: s.approve_extension(actor=u, case=c, note=d["note"], today=t, version=d["version"]),
        Event.APPROVE_EXTENSION,
        roles=frozenset({Role.LEADER}),
    ),
    CaseAction(
        "refuse_extension",
        "不同意延长",
        f.NoteForm,
        lambda u, c, t, d: s.refuse_extension(actor=u, case=c, note=d["note"], today=t, version=d["version"]),
        Event.REFUSE_EXTENSION,
        roles=frozenset({Role.LEADER}),
    ),
    CaseAction(
        "notify_extension",
        "已告知申请人延期",
        f.BackdatedOnForm,
        lambda u, c, t, d: s.notify_extension(
            actor=u, case=c, on=d["on"], today=t, version=d["version"], backdated_reason=d["backdated_reason"]
        ),
        available=_approved_not_notified,
        hint="须在原答复期限届满前告知申请人",
    ),
    CaseAction(
        "fee_notice",
        "发出收费通知",
        f.FeeNoticeForm,
        lambda u, c, t, d: s.send_fee_notice(
            actor=u,
            case=c,
            method=d["method"],
            pieces=d["pieces"],
            pages=d["pages"],
            on=d["on"],
            today=t,
            version=d["version"],
            backdated_reason=d["backdated_reason"],
        ),
        Event.SEND_FEE_NOTICE,
        hint="国办函〔2020〕109号；按件或按量，不得同时适用",
    ),
    CaseAction(
        "fee_payment",
        "收到缴费",
        f.FeePaymentForm,
        lambda u, c, t, d: s.record_fee_payment(
            actor=u,
            case=c,
            amount_collected=d["amount_collected"],
            on=d["on"],
            today=t,
            version=d["version"],
            backdated_reason=d["backdated_reason"],
        ),
        Event.RECEIVE_PAYMENT,
    ),
    CaseAction(
        "lapse_fee",
        "逾期未缴费，不再处理",
        f.NoteForm,
        lambda u, c, t, d: s.lapse_fee(actor=u, case=c, note=d["note"], today=t, version=d["version"]),
        Event.FEE_OVERDUE,
        available=_fee_lapsed,
    ),
    CaseAction(
        "delay",
        "确定延迟答复期限",
        f.DelayForm,
        lambda u, c, t, d: s.set_delayed_answer(
            actor=u, case=c, due_on=d["due_on"], reason=d["reason"], today=t, version=d["version"]
        ),
        Event.SET_DELAYED_ANSWER,
        available=lambda c, t: c.delay_decided_on is None,
        hint="申请数量、频次明显超过合理范围（条例第三十五条）",
    ),
    CaseAction(
        "close",
        "作出答复（办结）",
        f.CloseForm,
        lambda u, c, t, d: s.close_case(
            actor=u, case=c, outcome=d["outcome"], note=d["note"], on=d["on"], today=t, version=d["version"]
        ),
        Event.ANSWER,
        hint="选择唯一的法定办理结果（条例第三十六条、第三十七条）",
    ),
    CaseAction(
        "withdraw",
        "申请人撤回",
        f.WithdrawForm,
        lambda u, c, t, d: s.withdraw_application(
            actor=u, case=c, note=d["note"], on=d["on"], today=t, version=d["version"]
        ),
        Event.WITHDRAW,
    ),
    CaseAction(
        "transfer",
        "转办／告知负责公开的机关",
        f.TransferForm,
        lambda u, c, t, d: s.transfer_application(
            actor=u,
            case=c,
            today=t,
            reason=d["reason"],
            to_agency=d["to_agency"],
            agency_name=d["agency_name"],
            agency_contact_text=d["agency_contact"],
            version=d["version"],
        ).from_case,
        Event.ANSWER,
        roles=frozenset({Role.OFFICER, Role.LEADER}),
        hint="不属于本机关负责公开：以“本机关不掌握相关政府信息”办结并告知申请人；负责机关在本系统内的，同时转送其办理（条例第三十六条第（五）项）",
    ),
    CaseAction(
        "assign",
        "分办",
        f.AssignForm,
        lambda u, c, t, d: s.assign(
            actor=u, case=c, department=d["department"], officer=d["officer"], today=t, version=d["version"]
        ),
        roles=frozenset({Role.OFFICER, Role.LEADER}),
    ),
)
ACTIONS_BY_SLUG: dict[str, CaseAction] = {a.slug: a for a in ACTIONS}


def available_actions(case: Case, user: Any, today: dt.date) -> list[CaseAction]:
    return [a for a in ACTIONS if a.allowed(case, user, today)]
