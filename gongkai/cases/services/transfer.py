"""转办 and 告知 (条例 art 36(5)): the application belongs to another agency.

:func:`transfer_application` answers the application with the 36(5) 告知 (the case closes as table
三 （四）1, ``gongkai.core.transfer.TRANSFER_OUTCOME``) and records the agency to turn to. When that
agency works on this system the application is forwarded: a new case there, numbered by the
receiving agency's own counter, carrying the original receipt date, the applicant, the request and
the applicant's uploaded 补正 materials; its answer clock runs from the day the transfer reaches it
(``gongkai.core.transfer``: 条例 arts 31, 33 ¶2). The 告知书 itself is issued through the letters app
like every answer (the answer letter of （四）1 reads the transfer record).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.accounts.models import Role
from gongkai.audit.services import record
from gongkai.cases import notifications
from gongkai.cases.choices import CaseNote, ReplyKind
from gongkai.cases.models import ApplicantFile, ApplicantReply, Case, CaseTransfer
from gongkai.cases.services._machinery import CaseAudit, after_commit, apply_change, check_step, lock_case, log_event
from gongkai.cases.services.answers import check_close_guards
from gongkai.cases.services.intake import allocate_number, set_first_clock
from gongkai.core.case_flow import Event, Status
from gongkai.core.transfer import TRANSFER_BASIS, TransferPlan, TransferRefused, plan_transfer, waited_note

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency

#: Who may transfer: the staff who answer applications (a 科室信息员 does not close cases).
TRANSFER_ROLES = frozenset({Role.OFFICER, Role.LEADER})

#: The case fields that travel with the application (条例 art 29 ¶2: applicant, request, form).
CARRIED_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "applicant_key",
    "phone",
    "email",
    "address",
    "postal_code",
    "org_credit_code",
    "legal_representative",
    "contact_person",
    "request_description",
    "document_number",
    "provision_form",
    "delivery_method",
    "pieces",
    "channel",
    "submitted_at",
)


def agency_contact(agency: Agency) -> str:
    """The contact a 告知书 gives for an agency on the system: its telephone and address."""
    parts = [p for p in (agency.phone.strip(), agency.address.strip()) if p]
    return "，".join(parts)


@transaction.atomic
def transfer_application(
    *,
    actor: User,
    case: Case,
    today: dt.date,
    reason: str,
    to_agency: Agency | None = None,
    agency_name: str = "",
    agency_contact_text: str = "",
    version: int | None = None,
) -> CaseTransfer:
    """告知 the applicant that another agency is responsible and, if it is on the system, 转办: 条例 art 36(5).

    ``to_agency``: the receiving agency on the system (its name and contact default to the
    agency's record); otherwise ``agency_name`` and ``agency_contact_text`` name an agency outside it.
    """
    if actor is None or actor.role not in TRANSFER_ROLES:
        raise PermissionDenied("只有信息公开工作人员或负责人可以转办申请")
    locked = lock_case(actor, case, version)
    if to_agency is not None:
        if not to_agency.is_active:
            raise TransferRefused(f"{to_agency.name} 未启用，不能转办；请改为告知申请人向该机关提出")
        agency_name = agency_name.strip() or to_agency.name
        agency_contact_text = agency_contact_text.strip() or agency_contact(to_agency)
        if not agency_contact_text:
            raise TransferRefused(
                f"{to_agency.name}在本系统中未登记联系电话和地址，请填写“该机关联系方式”（条例第三十六条第（五）项）"
            )
    plan = plan_transfer(
        original_received_on=locked.received_on,
        transferred_on=today,
        reason=reason,
        agency_name=agency_name,
        agency_contact=agency_contact_text,
        on_system=to_agency is not None,
        same_agency=to_agency is not None and to_agency.pk == locked.agency_id,
    )
    step = check_step(locked, Event.ANSWER, plan.outcome)
    assert step.outcome is not None
    # The 36(5) 告知 is the agency's answer: it leaves only as the agency's 签批 policy allows
    # (the same close guards as every other answer; under the default policy the 负责人 signs it).
    check_close_guards(actor=actor, case=locked, outcome=step.outcome, today=today)
    sending_agency = locked.agency
    closed = apply_change(
        locked,
        actor=actor,
        kind=Event.ANSWER,
        on=today,
        today=today,
        note=plan.reason,
        recompute=False,
        changes={
            "status": step.status.value,
            "outcome": step.outcome.value,
            "closed_on": today,
            "closing_note": plan.reason,
        },
        payload={
            "办理结果": step.outcome.full_label,
            "依据": TRANSFER_BASIS,
            "负责公开的机关": plan.agency_name,
            "联系方式": plan.agency_contact,
            "转办": "已转送该机关办理" if plan.creates_case else "告知申请人向该机关提出（该机关不在本系统）",
        },
    )
    receiving = _receiving_case(actor, closed, to_agency, plan, today) if to_agency is not None else None
    transfer = CaseTransfer.objects.create(
        from_case=closed,
        to_case=receiving,
        to_agency=to_agency,
        agency_name=plan.agency_name,
        agency_contact=plan.agency_contact,
        reason=plan.reason,
        original_received_on=plan.original_received_on,
        transferred_on=plan.transferred_on,
        created_by=actor,
    )
    record(
        actor=actor,
        action=CaseAudit.TRANSFERRED_OUT,
        target=closed,
        agency=sending_agency,
        changes={
            "to_agency": plan.agency_name,
            "on_system": plan.creates_case,
            "to_case": receiving.number if receiving is not None else None,
            "outcome": plan.outcome.value,
        },
        note=plan.reason,
    )
    return transfer


def _receiving_case(actor: User, sent: Case, agency: Agency, plan: TransferPlan, today: dt.date) -> Case:
    """The new case at the receiving agency: its own number, received on the transfer day (art 31)."""
    received_on = plan.receiving_received_on
    assert received_on is not None
    sequence, number = allocate_number(agency, today.year)
    carried: dict[str, Any] = {name: getattr(sent, name) for name in CARRIED_FIELDS}
    case = Case(
        agency=agency,
        year=today.year,
        sequence=sequence,
        number=number,
        status=Status.REGISTERED.value,
        received_on=received_on,
        **carried,
    )
    case.save(force_insert=True)
    payload = {
        "转自": sent.agency.name,
        "原案件编号": sent.number,
        "原收到申请之日": plan.original_received_on,
        "收到申请之日": received_on,
        "说明": waited_note(plan.original_received_on, received_on, sent.agency.name),
    }
    # The receiving agency's timeline names the sending agency, not its officer (nor the reason:
    # that is the sender's 告知书); the audit trail keeps the actor.
    log_event(case, kind=CaseNote.TRANSFERRED_IN, on=today, actor=None, actor_name=sent.agency.name, payload=payload)
    _copy_uploads(sent, case)
    set_first_clock(case, today)
    record(
        actor=actor,
        action=CaseAudit.TRANSFERRED_IN,
        target=case,
        agency=agency,
        changes={
            "from_agency": sent.agency.name,
            "from_case": sent.number,
            "number": case.number,
            "original_received_on": plan.original_received_on,
            "received_on": received_on,
            "due_on": case.due_on,
        },
    )
    notifications.tell_applicant(case, CaseNote.TRANSFERRED_IN, payload)  # new number and tracking code
    case_id, agency_id = case.pk, agency.pk
    after_commit(
        lambda: notifications.case_notice(
            case_id,
            "收到转办的申请",
            f"{sent.agency.name}转送一件政府信息公开申请（原编号 {sent.number}），已登记，请分办。",
            to=notifications.staff_of(agency_id, Role.OFFICER),
        )
    )
    return case


def _copy_uploads(sent: Case, case: Case) -> None:
    """The applicant's 补正 materials go with the application (the stored files are shared, read-only)."""
    for reply in sent.applicant_replies.filter(kind=ReplyKind.CORRECTION).prefetch_related("files"):
        copy = ApplicantReply.objects.create(
            case=case, kind=ReplyKind.CORRECTION, text=reply.text, submitted_at=reply.submitted_at
        )
        ApplicantFile.objects.bulk_create(
            ApplicantFile(reply=copy, file=f.file.name, name=f.name, size=f.size, content_type=f.content_type)
            for f in reply.files.all()
        )
