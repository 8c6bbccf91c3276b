"""Intake of 依申请公开 applications (条例 arts 29, 31): registration, numbering, receipt, routing.

Two paths make a case from one :class:`~gongkai.cases.applicants.Applicant`: the office registers
what it received (:func:`register_application`), the public portal submits online
(:func:`submit_online_application`, confirmed later by :func:`confirm_online_application`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.models import AGENCY_STAFF_ROLES, Role
from gongkai.accounts.scoping import can_write
from gongkai.agencies.models import SequenceKind
from gongkai.agencies.sequences import allocate
from gongkai.audit.services import record
from gongkai.cases import notifications
from gongkai.cases.applicants import Applicant
from gongkai.cases.choices import CaseNote, DeliveryMethod, ProvisionForm
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Case
from gongkai.cases.services._machinery import (
    PORTAL_ACTOR_NAME,
    CaseAudit,
    after_commit,
    apply_change,
    check_pieces,
    check_step,
    checked_day,
    clock_changes,
    lock_case,
    log_event,
    submission_moment,
)
from gongkai.core.case_flow import Event, initial_status, next_status
from gongkai.core.deadlines import Channel, receipt_date
from gongkai.core.errors import DeadlineError

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency, Department


def case_number(agency: Agency, year: int, sequence: int) -> str:
    """ "果园街道〔2026〕第0012号": the agency's short name, the year, the sequence."""
    return f"{agency.short_name or agency.name}〔{year}〕第{sequence:04d}号"


def allocate_number(agency: Agency, year: int) -> tuple[int, str]:
    """The next case number of ``agency`` in ``year`` (call inside the write's transaction).

    A new year's counter starts at the highest number already used (cases imported without one).
    """

    def used() -> int:
        return Case.objects.filter(agency=agency, year=year).aggregate(m=Max("sequence"))["m"] or 0

    sequence = allocate(agency, SequenceKind.CASE, year, floor=used)
    return sequence, case_number(agency, year, sequence)


def _new_case(
    agency: Agency,
    *,
    year: int,
    channel: Channel,
    applicant: Applicant,
    request_description: str,
    document_number: str,
    submitted_at: dt.datetime,
    **fields: Any,
) -> Case:
    """A numbered case with the applicant and the request (条例 art 29 ¶2), validated like the model."""
    if not applicant.applicant_name:
        raise CaseInputError("缺少申请人姓名或名称（条例第二十九条）")
    if not request_description.strip():
        raise CaseInputError("缺少所需信息的名称、文号或特征性描述（条例第二十九条）")
    sequence, number = allocate_number(agency, year)
    case = Case(
        agency=agency,
        year=year,
        sequence=sequence,
        number=number,
        channel=channel.value,
        submitted_at=submitted_at,
        status=initial_status(channel).value,
        **applicant.case_fields(),
        request_description=request_description.strip(),
        document_number=document_number.strip(),
        **fields,
    )
    try:
        case.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise CaseInputError("；".join(f"{_label(k)}：{'，'.join(v)}" for k, v in exc.message_dict.items())) from None
    case.save(force_insert=True)
    return case


def _label(name: str) -> str:
    """A Case field's Chinese name, for messages."""
    if name == "__all__":
        return "申请"
    return str(getattr(Case._meta.get_field(name), "verbose_name", name))


def set_first_clock(case: Case, today: dt.date) -> None:
    """Store the first computed clock of a new case (no version bump: nobody has seen it yet)."""
    clock = clock_changes(case, today)
    Case.objects.filter(pk=case.pk).update(**clock)
    for name, value in clock.items():
        setattr(case, name, value)


@transaction.atomic
def register_application(
    *,
    actor: User,
    today: dt.date,
    channel: Channel | str,
    applicant: Applicant,
    request_description: str,
    document_number: str = "",
    provision_form: str = ProvisionForm.PAPER,
    delivery_method: str = DeliveryMethod.POST,
    pieces: int = 1,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    submitted_at: dt.datetime | None = None,
    department: Department | None = None,
    assigned_to: User | None = None,
) -> Case:
    """Register an application received by the office: 条例 arts 29, 31.

    The receipt date follows the channel (art 31): 当面/口头 → today; 邮寄签收 → ``signed_on``
    (may be earlier: letters are often registered days later); 平常信函, 互联网, 传真 →
    ``confirmed_on`` if the applicant already confirmed, else the case waits for
    :func:`confirm_receipt`. A clerk's registration goes to the clerk's department by default.
    """
    agency = actor.agency
    if agency is None or not can_write(actor, agency):
        raise PermissionDenied("只有本机关工作人员可以登记申请")
    channel = Channel(channel)
    if department is not None and department.agency_id != agency.pk:
        raise CaseInputError(f"科室“{department.name}”不属于{agency.name}")
    if assigned_to is not None and (assigned_to.agency_id != agency.pk or assigned_to.role not in AGENCY_STAFF_ROLES):
        raise CaseInputError(f"承办人“{assigned_to.display_name}”不是{agency.name}的工作人员")
    if department is None and actor.role == Role.CLERK:
        department = actor.department
    check_pieces(pieces)

    received_on: dt.date | None = None
    confirm_now = False
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        received_on = receipt_date(channel, submitted_on=today)
    elif channel is Channel.POST_SIGNED:
        if signed_on is None:
            raise CaseInputError("邮寄（签收）的申请须填写签收日期（条例第三十一条第（二）项）")
        received_on = receipt_date(channel, signed_on=checked_day(signed_on, today, "签收日期"))
    elif confirmed_on is not None:
        received_on = receipt_date(channel, confirmed_on=checked_day(confirmed_on, today, "确认日期"))
        confirm_now = True

    case = _new_case(
        agency,
        year=today.year,
        channel=channel,
        applicant=applicant,
        request_description=request_description,
        document_number=document_number,
        provision_form=provision_form,
        delivery_method=delivery_method,
        submitted_at=submitted_at or submission_moment(today),
        received_on=None if confirm_now else received_on,
        department=department,
        assigned_to=assigned_to,
        registered_by=actor,
        pieces=pieces,
    )
    log_event(
        case,
        kind=CaseNote.REGISTERED,
        on=today,
        actor=actor,
        payload={"渠道": channel.label, "收到申请之日": received_on},
    )
    if confirm_now:
        status_before = case.status
        case.status = next_status(case.status_enum, Event.CONFIRM_RECEIPT).value
        case.received_on = received_on
        Case.objects.filter(pk=case.pk).update(status=case.status, received_on=received_on)
        log_event(
            case,
            kind=Event.CONFIRM_RECEIPT,
            on=today,
            actor=actor,
            status_before=status_before,
            payload={"确认日期": received_on},
        )
    set_first_clock(case, today)
    notifications.tell_applicant(case, CaseNote.REGISTERED)  # the 登记回执 message, sent after commit
    record(
        actor=actor,
        action=CaseAudit.REGISTERED,
        target=case,
        changes={
            "number": case.number,
            "channel": channel.value,
            "received_on": received_on,
            "status": case.status,
            "due_on": case.due_on,
            "department": department,
            "assigned_to": assigned_to,
        },
    )
    if assigned_to is not None and assigned_to.pk != actor.pk:
        case_id = case.pk
        after_commit(lambda: notifications.case_notice(case_id, "新分办案件", "您有一件新分办的政府信息公开申请。"))
    return case


@transaction.atomic
def submit_online_application(
    *,
    agency: Agency,
    applicant: Applicant,
    request_description: str,
    submitted_at: dt.datetime,
    client_ip: str | None,
    document_number: str = "",
    provision_form: str = ProvisionForm.ELECTRONIC,
    delivery_method: str = DeliveryMethod.EMAIL,
    pieces: int = 1,
    channel: Channel = Channel.INTERNET,
    source: str = "",
    source_reference: str = "",
) -> Case:
    """An application submitted on the public portal, or passed on by another system through the
    API (12345, 政务服务网): 条例 arts 29, 31(2)(3).

    The case waits for confirmation (``Status.AWAITING_CONFIRMATION``): the receipt date is the
    day both sides confirm (:func:`confirm_online_application`). The returned case carries the
    ``tracking_code`` the applicant uses to follow it. ``source`` names the other system (its
    API client) and ``source_reference`` that system's own number; ``channel`` must be one whose
    receipt is a confirmation with the applicant (互联网, 传真, 平常信函: art 31(2)(3)).
    """
    if not agency.is_active:
        raise CaseInputError(f"{agency.name} 暂不受理网上申请")
    if not channel.needs_confirmation:
        raise CaseInputError(f"提交方式“{channel.label}”不能在线提交：只接受互联网、传真或平常信函（条例第三十一条）")
    submitted_on = timezone.localtime(submitted_at).date()
    case = _new_case(
        agency,
        year=submitted_on.year,
        channel=channel,
        applicant=applicant,
        request_description=request_description,
        document_number=document_number,
        provision_form=provision_form,
        delivery_method=delivery_method,
        submitted_at=submitted_at,
        client_ip=client_ip or None,
        pieces=max(1, pieces),
    )
    log_event(
        case,
        kind=CaseNote.SUBMITTED_ONLINE,
        on=submitted_on,
        actor=None,
        actor_name=source or PORTAL_ACTOR_NAME,
        payload={"来源地址": client_ip or ""} | ({"来源系统": source, "来源编号": source_reference} if source else {}),
    )
    record(
        actor=None,
        actor_name=source,
        action=CaseAudit.SUBMITTED_ONLINE,
        target=case,
        changes={"number": case.number, "status": case.status, "channel": channel.value}
        | ({"source_reference": source_reference} if source else {}),
        note=f"来源地址 {client_ip or '未知'}",
    )
    notifications.tell_applicant(case, CaseNote.SUBMITTED_ONLINE)  # with the tracking code
    case_id, agency_id = case.pk, agency.pk
    after_commit(
        lambda: notifications.case_notice(
            case_id,
            "新的网上申请待确认",
            "收到一件网上提交的政府信息公开申请，请与申请人确认；确认之日为收到申请之日（条例第三十一条第（三）项）。",
            to=notifications.staff_of(agency_id, Role.OFFICER),
        )
    )
    return case


@transaction.atomic
def confirm_receipt(
    *, actor: User, case: Case, today: dt.date, on: dt.date | None = None, version: int | None = None
) -> Case:
    """Confirm receipt with the applicant; that day is the receipt date: 条例 art 31(2)(3)."""
    locked = lock_case(actor, case, version)
    day = checked_day(on, today, "确认日期")
    step = check_step(locked, Event.CONFIRM_RECEIPT)
    submitted_on = timezone.localtime(locked.submitted_at).date()
    try:
        received = receipt_date(locked.channel_enum, submitted_on=submitted_on, confirmed_on=day)
    except DeadlineError as exc:
        raise DeadlineError(f"案件 {locked.number}：{exc}") from None
    return apply_change(
        locked,
        actor=actor,
        kind=Event.CONFIRM_RECEIPT,
        on=day,
        today=today,
        changes={"status": step.status.value, "received_on": received},
        payload={"确认日期": received},
    )


def confirm_online_application(*, actor: User, case: Case, today: dt.date, version: int | None = None) -> Case:
    """Confirm an online application today; today becomes the receipt date: 条例 art 31(3)."""
    return confirm_receipt(actor=actor, case=case, today=today, version=version)


@transaction.atomic
def start_processing(*, actor: User, case: Case, today: dt.date, version: int | None = None) -> Case:
    """开始办理 a registered application (no correction needed)."""
    locked = lock_case(actor, case, version)
    step = check_step(locked, Event.ACCEPT)
    return apply_change(
        locked, actor=actor, kind=Event.ACCEPT, on=today, today=today, changes={"status": step.status.value}
    )


@transaction.atomic
def assign(
    *,
    actor: User,
    case: Case,
    department: Department | None,
    officer: User | None,
    today: dt.date,
    version: int | None = None,
) -> Case:
    """Route the case to a department (科室) and an officer (承办人)."""
    if actor is None or actor.role not in (Role.OFFICER, Role.LEADER):
        raise PermissionDenied("只有信息公开工作人员或负责人可以分办案件")
    locked = lock_case(actor, case, version)
    if not locked.is_open:
        raise CaseInputError(f"案件 {locked.number} 已办结，不能再分办")
    if department is not None and department.agency_id != locked.agency_id:
        raise CaseInputError(f"科室“{department.name}”不属于{locked.agency.name}")
    if officer is not None and (officer.agency_id != locked.agency_id or officer.role not in AGENCY_STAFF_ROLES):
        raise CaseInputError(f"承办人“{officer.display_name}”不是{locked.agency.name}的工作人员")
    changed_officer = officer is not None and officer.pk != locked.assigned_to_id
    result = apply_change(
        locked,
        actor=actor,
        kind=CaseNote.ASSIGNED,
        on=today,
        today=today,
        recompute=False,
        changes={"department": department, "assigned_to": officer},
        payload={"科室": department.name if department else "", "承办人": officer.display_name if officer else ""},
    )
    if changed_officer and officer is not None and officer.pk != actor.pk:
        case_id = result.pk
        after_commit(lambda: notifications.case_notice(case_id, "新分办案件", "您有一件新分办的政府信息公开申请。"))
    return result
