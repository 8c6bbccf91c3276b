"""Write paths of 依申请公开 cases: one function per use case.

Every function takes the acting user (``actor``) and the day (``today``) from its caller, runs in
one ``transaction.atomic``, checks the actor with ``accounts.scoping.can_write`` (and the
clerk's narrower scope), checks the step with the core's transition table
(``gongkai.core.case_flow.apply_event`` → ``next_status``), recomputes and stores the due date
with ``gongkai.core.deadlines``, appends the timeline entry and the audit record in the same
transaction, and leaves e-mail to ``transaction.on_commit``.

Optimistic locking: a case is changed by ``UPDATE … WHERE id = … AND version = …``; the version
is the one the caller loaded (``version=`` from a form, else ``case.version``). A stale version
raises :class:`~gongkai.cases.errors.StaleCaseError` ("该案件已被他人修改，请刷新后重试"). The row is
also locked (``SELECT … FOR UPDATE``) first, so on PostgreSQL a second writer waits, then sees
the new version and fails cleanly instead of racing.

Dates: ``on`` is the day a thing happened (a letter signed for, a reply received); it defaults to
``today`` and may not lie after it. Services return the updated case: the instance passed in is
stale afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts.models import AGENCY_STAFF_ROLES, Role
from gongkai.accounts.scoping import can_write
from gongkai.audit.services import diff, record
from gongkai.cases import notifications
from gongkai.cases.choices import CaseNote, DeliveryMethod, ExtensionDecision, IdentityDocument, ProvisionForm
from gongkai.cases.clock import (
    clock_events,
    compute_case_clock,
    fee_clock_rule,
    nth_working_day_after,
    with_assumed_years,
)
from gongkai.cases.errors import CaseInputError, StaleCaseError
from gongkai.cases.models import (
    MAX_PAGES,
    MAX_PIECES,
    Case,
    CaseEvent,
    CaseNumberCounter,
    Consultation,
    Extension,
    FeeNotice,
    Review,
    user_may_read_case,
)
from gongkai.core.case_flow import Event, Step, apply_event, initial_status, next_status
from gongkai.core.deadlines import (
    CONSULTATION_REPLY_DAYS,
    FEE_PAYMENT_DAYS,
    Channel,
    ClockEvent,
    ConsultedParty,
    CorrectionRequested,
    DeadlineResult,
    compute_deadline,
    receipt_date,
)
from gongkai.core.deadlines import Extension as ExtensionEvent
from gongkai.core.errors import DeadlineError, GongkaiError, InvalidTransition
from gongkai.core.fees import FeeMethod, compute_fee
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType, ReviewKind, ReviewResult
from gongkai.workcalendar.provider import working_calendar

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency, Department


class CaseAudit(StrEnum):
    """Audit action codes of this app; a transition is ``case.<event>`` (:func:`transition_action`)."""

    REGISTERED = "case.registered"
    SUBMITTED_ONLINE = "case.submitted_online"
    ASSIGNED = "case.assigned"
    EXTENSION_NOTIFIED = "case.extension_notified"
    DUE_DATE_CHANGED = "case.due_date_changed"
    REVIEW_RECORDED = "review.recorded"
    REVIEW_CONCLUDED = "review.concluded"


def transition_action(event: Event) -> str:
    """The audit action of a transition: ``case.`` + the core's event value."""
    return f"case.{event.value}"


_NOTE_ACTIONS: dict[CaseNote, CaseAudit] = {
    CaseNote.REGISTERED: CaseAudit.REGISTERED,
    CaseNote.SUBMITTED_ONLINE: CaseAudit.SUBMITTED_ONLINE,
    CaseNote.ASSIGNED: CaseAudit.ASSIGNED,
    CaseNote.EXTENSION_NOTIFIED: CaseAudit.EXTENSION_NOTIFIED,
    CaseNote.DUE_DATE_CHANGED: CaseAudit.DUE_DATE_CHANGED,
    CaseNote.REVIEW_RECORDED: CaseAudit.REVIEW_RECORDED,
    CaseNote.REVIEW_CONCLUDED: CaseAudit.REVIEW_CONCLUDED,
}

_CLOCK_FIELDS = ("due_on", "due_is_provisional", "due_note")
PORTAL_ACTOR_NAME = "申请人（网上提交）"
SYSTEM_ACTOR_NAME = "系统"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _day(on: dt.date | None, today: dt.date, what: str = "日期") -> dt.date:
    day = today if on is None else on
    if day > today:
        raise CaseInputError(f"{what} {day.isoformat()} 晚于今天 {today.isoformat()}")
    return day


def submission_moment(today: dt.date) -> dt.datetime:
    """Now, or (for back-dated entries) nine o'clock of ``today`` in local time."""
    now = timezone.localtime()
    if now.date() == today:
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))


def _actor_name(actor: User | None, default: str = SYSTEM_ACTOR_NAME) -> str:
    return actor.display_name if actor is not None and actor.pk else default


def _require_writer(actor: User | None, case: Case) -> None:
    """Staff of the case's agency who can see it (a clerk: their department's or their own)."""
    if actor is None or not can_write(actor, case.agency) or not user_may_read_case(actor, case):
        raise PermissionDenied(f"无权办理案件 {case.number}")


def _lock(actor: User | None, case: Case, version: int | None) -> Case:
    """The case row, locked, after the permission and version checks."""
    _require_writer(actor, case)
    expected = case.version if version is None else version
    locked = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
    if locked.version != expected:
        raise StaleCaseError(locked.number)
    return locked


def _step(case: Case, event: Event, outcome: Outcome | None = None) -> Step:
    """The core's transition check (``next_status`` + outcome rule), the message naming the case."""
    try:
        return apply_event(case.status_enum, event, outcome)
    except InvalidTransition as exc:
        raise InvalidTransition(f"案件 {case.number}：{exc}") from None


def _check_pieces(pieces: int, what: str = "件数") -> None:
    """1 to ``MAX_PIECES`` (the column's range; the fee by piece walks every tier up to it)."""
    if not 1 <= pieces <= MAX_PIECES:
        raise CaseInputError(f"{what}应在1至{MAX_PIECES}之间，实为 {pieces}")


def _outcome(value: Outcome | str) -> Outcome:
    try:
        return Outcome(value)
    except ValueError:
        raise CaseInputError(f"无效的办理结果：{value!r}") from None


def _core_check(case: Case, extra: ClockEvent, today: dt.date) -> DeadlineResult:
    """Ask the core whether the case's clock accepts one more event (raises DeadlineError if not)."""
    assert case.received_on is not None
    received_on = case.received_on
    events = [*clock_events(case), extra]
    try:
        result, _ = with_assumed_years(
            working_calendar(),
            lambda c: compute_deadline(received_on, events, calendar=c, fee_rule=fee_clock_rule(), as_of=today),
        )
    except DeadlineError as exc:
        raise DeadlineError(f"案件 {case.number}：{exc}") from None
    return result


def _clock_changes(case: Case, today: dt.date) -> dict[str, Any]:
    try:
        clock = compute_case_clock(case, today=today)
    except DeadlineError as exc:
        raise DeadlineError(f"案件 {case.number}：{exc}") from None
    return {"due_on": clock.due_on, "due_is_provisional": clock.provisional, "due_note": clock.note}


def _save(case: Case, expected: int, changes: dict[str, Any]) -> None:
    """``UPDATE … WHERE id AND version``; the instance gets the new values and version."""
    values = {**changes, "version": expected + 1, "updated_at": timezone.now()}
    if Case.objects.filter(pk=case.pk, version=expected).update(**values) != 1:
        raise StaleCaseError(case.number)
    for name, value in values.items():
        setattr(case, name, value)


def _log(
    case: Case,
    *,
    kind: Event | CaseNote,
    on: dt.date,
    actor: User | None,
    status_before: str = "",
    payload: dict[str, Any] | None = None,
    note: str = "",
    actor_name: str = SYSTEM_ACTOR_NAME,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind.value,
        on=on,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=_actor_name(actor, actor_name),
        status_before=status_before,
        status_after=case.status if status_before else "",
        payload=_json(payload or {}),
        note=note,
    )


def _json(value: dict[str, Any]) -> dict[str, Any]:
    """Dates and decimals as text, so that the payload is plain JSON."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))  # type: ignore[no-any-return]


def _apply(
    case: Case,
    *,
    actor: User | None,
    kind: Event | CaseNote,
    on: dt.date,
    today: dt.date,
    changes: dict[str, Any],
    payload: dict[str, Any] | None = None,
    note: str = "",
    recompute: bool = True,
) -> Case:
    """Write ``changes`` (with the recomputed clock), the timeline entry and the audit record."""
    expected = case.version
    status_before = case.status
    tracked = [*changes, *_CLOCK_FIELDS]
    before = {name: getattr(case, name) for name in tracked}
    for name, value in changes.items():
        setattr(case, name, value)
    changes = dict(changes)
    if recompute:
        clock = _clock_changes(case, today)
        changes.update(clock)
        for name, value in clock.items():
            setattr(case, name, value)
    _save(case, expected, changes)
    is_transition = isinstance(kind, Event)
    _log(
        case,
        kind=kind,
        on=on,
        actor=actor,
        status_before=status_before if is_transition else "",
        payload=payload,
        note=note,
    )
    action = transition_action(kind) if isinstance(kind, Event) else _NOTE_ACTIONS[kind]
    audit_changes = diff(before, {name: getattr(case, name) for name in tracked})
    if payload:
        audit_changes["事项"] = payload
    record(actor=actor, action=action, target=case, changes=audit_changes, note=note)
    return case


def _on_commit(func: Callable[[], Any]) -> None:
    transaction.on_commit(func)


# ---------------------------------------------------------------------------------------------
# Registration (条例 arts 29, 31)
# ---------------------------------------------------------------------------------------------


def applicant_key(
    *,
    applicant_type: ApplicantType | str,
    id_type: str,
    id_number: str,
    org_credit_code: str,
    applicant_name: str,
    phone: str,
) -> str:
    """Who the applicant is, for repeated applications and monthly counts (art 35; fees).

    An organisation is its 统一社会信用代码, a person their document number; without either, the
    name and the telephone number.
    """

    def squash(text: str) -> str:
        return "".join(text.split()).upper()

    if ApplicantType(applicant_type).is_organisation and squash(org_credit_code):
        return f"org:{squash(org_credit_code)}"
    if squash(id_number):
        return f"{id_type}:{squash(id_number)}"
    return f"name:{squash(applicant_name)}|{''.join(ch for ch in phone if ch.isdigit())}"


def case_number(agency: Agency, year: int, sequence: int) -> str:
    """ "果园街道〔2026〕第0012号": the agency's short name, the year, the sequence."""
    return f"{agency.short_name or agency.name}〔{year}〕第{sequence:04d}号"


def allocate_number(agency: Agency, year: int) -> tuple[int, str]:
    """The next case number of ``agency`` in ``year``, under a row lock (call inside atomic).

    A new counter starts at the highest number already used (cases imported without one).
    """
    counter = CaseNumberCounter.objects.select_for_update().filter(agency=agency, year=year).first()
    if counter is None:
        used = Case.objects.filter(agency=agency, year=year).aggregate(m=Max("sequence"))["m"] or 0
        try:
            with transaction.atomic():
                CaseNumberCounter.objects.create(agency=agency, year=year, last=used)
        except IntegrityError:
            pass  # created meanwhile by a concurrent registration: lock that one
        counter = CaseNumberCounter.objects.select_for_update().get(agency=agency, year=year)
    sequence = counter.last + 1
    CaseNumberCounter.objects.filter(pk=counter.pk).update(last=sequence)
    return sequence, case_number(agency, year, sequence)


@dataclass(frozen=True)
class _Applicant:
    applicant_type: str
    applicant_name: str
    request_description: str
    id_type: str = IdentityDocument.RESIDENT_ID
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    org_credit_code: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    document_number: str = ""
    provision_form: str = ProvisionForm.PAPER
    delivery_method: str = DeliveryMethod.POST
    extra: dict[str, Any] = field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "extra"}
        data["applicant_type"] = ApplicantType(self.applicant_type).value
        data["applicant_key"] = applicant_key(
            applicant_type=self.applicant_type,
            id_type=self.id_type,
            id_number=self.id_number,
            org_credit_code=self.org_credit_code,
            applicant_name=self.applicant_name,
            phone=self.phone,
        )
        return data


def _new_case(
    agency: Agency, *, year: int, channel: Channel, applicant: _Applicant, submitted_at: dt.datetime, **fields: Any
) -> Case:
    if not applicant.applicant_name.strip():
        raise CaseInputError("缺少申请人姓名或名称（条例第二十九条）")
    if not applicant.request_description.strip():
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
        **applicant.fields(),
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


def _set_clock(case: Case, today: dt.date) -> None:
    """Store the first computed clock of a new case (no version bump: nobody has seen it yet)."""
    clock = _clock_changes(case, today)
    Case.objects.filter(pk=case.pk).update(**clock)
    for name, value in clock.items():
        setattr(case, name, value)


@transaction.atomic
def register_application(
    *,
    actor: User,
    today: dt.date,
    channel: Channel | str,
    applicant_type: ApplicantType | str,
    applicant_name: str,
    request_description: str,
    id_type: str = IdentityDocument.RESIDENT_ID,
    id_number: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    org_credit_code: str = "",
    legal_representative: str = "",
    contact_person: str = "",
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
    _check_pieces(pieces)

    received_on: dt.date | None = None
    confirm_now = False
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        received_on = receipt_date(channel, submitted_on=today)
    elif channel is Channel.POST_SIGNED:
        if signed_on is None:
            raise CaseInputError("邮寄（签收）的申请须填写签收日期（条例第三十一条第（二）项）")
        received_on = receipt_date(channel, signed_on=_day(signed_on, today, "签收日期"))
    elif confirmed_on is not None:
        received_on = receipt_date(channel, confirmed_on=_day(confirmed_on, today, "确认日期"))
        confirm_now = True

    applicant = _Applicant(
        applicant_type=str(applicant_type),
        applicant_name=applicant_name.strip(),
        request_description=request_description.strip(),
        id_type=id_type,
        id_number=id_number.strip(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        postal_code=postal_code.strip(),
        org_credit_code=org_credit_code.strip(),
        legal_representative=legal_representative.strip(),
        contact_person=contact_person.strip(),
        document_number=document_number.strip(),
        provision_form=provision_form,
        delivery_method=delivery_method,
    )
    case = _new_case(
        agency,
        year=today.year,
        channel=channel,
        applicant=applicant,
        submitted_at=submitted_at or submission_moment(today),
        received_on=None if confirm_now else received_on,
        department=department,
        assigned_to=assigned_to,
        registered_by=actor,
        pieces=pieces,
    )
    _log(
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
        _log(
            case,
            kind=Event.CONFIRM_RECEIPT,
            on=today,
            actor=actor,
            status_before=status_before,
            payload={"确认日期": received_on},
        )
    _set_clock(case, today)
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
        _on_commit(lambda: notifications.case_notice(case_id, "新分办案件", "您有一件新分办的政府信息公开申请。"))
    return case


@transaction.atomic
def submit_online_application(
    *,
    agency: Agency,
    applicant_type: ApplicantType | str,
    applicant_name: str,
    request_description: str,
    submitted_at: dt.datetime,
    client_ip: str | None,
    id_type: str = IdentityDocument.RESIDENT_ID,
    id_number: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    org_credit_code: str = "",
    legal_representative: str = "",
    contact_person: str = "",
    document_number: str = "",
    provision_form: str = ProvisionForm.ELECTRONIC,
    delivery_method: str = DeliveryMethod.EMAIL,
    pieces: int = 1,
) -> Case:
    """An application submitted on the public portal: 条例 arts 29, 31(3).

    The case waits for confirmation (``Status.AWAITING_CONFIRMATION``): the receipt date is the
    day both sides confirm (:func:`confirm_online_application`). The returned case carries the
    ``tracking_code`` the applicant uses to follow it.
    """
    if not agency.is_active:
        raise CaseInputError(f"{agency.name} 暂不受理网上申请")
    applicant = _Applicant(
        applicant_type=str(applicant_type),
        applicant_name=applicant_name.strip(),
        request_description=request_description.strip(),
        id_type=id_type,
        id_number=id_number.strip(),
        phone=phone.strip(),
        email=email.strip(),
        address=address.strip(),
        postal_code=postal_code.strip(),
        org_credit_code=org_credit_code.strip(),
        legal_representative=legal_representative.strip(),
        contact_person=contact_person.strip(),
        document_number=document_number.strip(),
        provision_form=provision_form,
        delivery_method=delivery_method,
    )
    submitted_on = timezone.localtime(submitted_at).date()
    case = _new_case(
        agency,
        year=submitted_on.year,
        channel=Channel.INTERNET,
        applicant=applicant,
        submitted_at=submitted_at,
        client_ip=client_ip or None,
        pieces=max(1, pieces),
    )
    _log(
        case,
        kind=CaseNote.SUBMITTED_ONLINE,
        on=submitted_on,
        actor=None,
        actor_name=PORTAL_ACTOR_NAME,
        payload={"来源地址": client_ip or ""},
    )
    record(
        actor=None,
        action=CaseAudit.SUBMITTED_ONLINE,
        target=case,
        changes={"number": case.number, "status": case.status},
        note=f"来源地址 {client_ip or '未知'}",
    )
    case_id, agency_id = case.pk, agency.pk
    _on_commit(
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
    locked = _lock(actor, case, version)
    day = _day(on, today, "确认日期")
    step = _step(locked, Event.CONFIRM_RECEIPT)
    submitted_on = timezone.localtime(locked.submitted_at).date()
    try:
        received = receipt_date(locked.channel_enum, submitted_on=submitted_on, confirmed_on=day)
    except DeadlineError as exc:
        raise DeadlineError(f"案件 {locked.number}：{exc}") from None
    return _apply(
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
    locked = _lock(actor, case, version)
    step = _step(locked, Event.ACCEPT)
    return _apply(locked, actor=actor, kind=Event.ACCEPT, on=today, today=today, changes={"status": step.status.value})


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
    locked = _lock(actor, case, version)
    if not locked.is_open:
        raise CaseInputError(f"案件 {locked.number} 已办结，不能再分办")
    if department is not None and department.agency_id != locked.agency_id:
        raise CaseInputError(f"科室“{department.name}”不属于{locked.agency.name}")
    if officer is not None and (officer.agency_id != locked.agency_id or officer.role not in AGENCY_STAFF_ROLES):
        raise CaseInputError(f"承办人“{officer.display_name}”不是{locked.agency.name}的工作人员")
    changed_officer = officer is not None and officer.pk != locked.assigned_to_id
    result = _apply(
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
        _on_commit(lambda: notifications.case_notice(case_id, "新分办案件", "您有一件新分办的政府信息公开申请。"))
    return result


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
) -> Case:
    """One-time 补正告知 with the items and a reasonable 补正期限: 条例 art 30.

    The notice is due within 7 working days of receipt (a later one is recorded with the core's
    warning); a second notice is refused by the core ("一次性告知").
    """
    locked = _lock(actor, case, version)
    day = _day(on, today, "补正告知日")
    step = _step(locked, Event.REQUEST_CORRECTION)
    if not items.strip():
        raise CaseInputError("请写明需要补正的事项（条例第三十条）")
    if locked.correction_requested_on is not None:
        _core_check(locked, CorrectionRequested(day, reply_by), today)  # raises: only one notice
    return _apply(
        locked,
        actor=actor,
        kind=Event.REQUEST_CORRECTION,
        on=day,
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
    *, actor: User, case: Case, today: dt.date, on: dt.date | None = None, note: str = "", version: int | None = None
) -> Case:
    """The corrected application arrived: the 20 working days start again from ``on`` (条例 art 30)."""
    locked = _lock(actor, case, version)
    day = _day(on, today, "收到补正日期")
    step = _step(locked, Event.RECEIVE_CORRECTION)
    return _apply(
        locked,
        actor=actor,
        kind=Event.RECEIVE_CORRECTION,
        on=day,
        today=today,
        note=note,
        changes={"status": step.status.value, "correction_received_on": day},
        payload={"收到补正之日": day},
    )


@transaction.atomic
def lapse_correction(*, actor: User, case: Case, today: dt.date, note: str = "", version: int | None = None) -> Case:
    """逾期不补正: 视为放弃申请, the case closes as table 三 （六）1 (条例 art 30)."""
    locked = _lock(actor, case, version)
    step = _step(locked, Event.CORRECTION_OVERDUE)
    if locked.correction_reply_by is None:
        raise CaseInputError(f"案件 {locked.number} 未设定补正期限，不能按逾期不补正处理")
    if today <= locked.correction_reply_by:
        raise CaseInputError(f"案件 {locked.number} 的补正期限 {locked.correction_reply_by.isoformat()} 尚未届满")
    assert step.outcome is not None
    return _apply(
        locked,
        actor=actor,
        kind=Event.CORRECTION_OVERDUE,
        on=today,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": today},
        payload={"补正期限": locked.correction_reply_by},
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
) -> Case:
    """Send a 征求意见书 to a third party (art 32) or another agency (art 34); the clock pauses (art 33 ¶3)."""
    locked = _lock(actor, case, version)
    day = _day(on, today, "发出征求意见书日期")
    step = _step(locked, Event.START_CONSULTATION)
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
    return _apply(
        locked,
        actor=actor,
        kind=Event.START_CONSULTATION,
        on=day,
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
) -> Case:
    """The consultation ends: a reply received on ``on``, or (``replied=False``) none by its 15-day limit.

    条例 art 32: silence lets the agency decide; art 34: silence of another agency is consent.
    """
    locked = _lock(actor, case, version)
    day = _day(on, today, "征求意见结束日期")
    step = _step(locked, Event.END_CONSULTATION)
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
    return _apply(
        locked,
        actor=actor,
        kind=Event.END_CONSULTATION,
        on=day,
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
    locked = _lock(actor, case, version)
    step = _step(locked, Event.REQUEST_EXTENSION)
    if not reason.strip():
        raise CaseInputError("请写明延长答复期限的理由")
    _core_check(locked, ExtensionEvent(days, today), today)  # days 1–20, and not after the due date
    Extension.objects.create(case=locked, days=days, reason=reason.strip(), requested_by=actor, requested_on=today)
    result = _apply(
        locked,
        actor=actor,
        kind=Event.REQUEST_EXTENSION,
        on=today,
        today=today,
        changes={"status": step.status.value},
        payload={"延长工作日": days, "理由": reason.strip()},
    )
    case_id, agency_id = result.pk, result.agency_id
    _on_commit(
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
    locked = _lock(actor, case, version)
    event = Event.APPROVE_EXTENSION if approve else Event.REFUSE_EXTENSION
    step = _step(locked, event)
    extension = locked.extensions.select_for_update().filter(decision=ExtensionDecision.PENDING).first()
    if extension is None:
        raise CaseInputError(f"案件 {locked.number} 没有待审批的延期申请")
    extension.decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REFUSED
    extension.decided_by = actor
    extension.decided_on = today
    extension.decision_note = note
    extension.save(update_fields=["decision", "decided_by", "decided_on", "decision_note"])
    # Approval after the original due date is refused by the core (DeadlineError) on recompute.
    result = _apply(
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
    _on_commit(
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
    *, actor: User, case: Case, today: dt.date, on: dt.date | None = None, version: int | None = None
) -> Case:
    """Record that the applicant was told of the extension (告知申请人, 条例 art 33 ¶2), before the original due date."""
    locked = _lock(actor, case, version)
    day = _day(on, today, "告知日期")
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
    return _apply(
        locked,
        actor=actor,
        kind=CaseNote.EXTENSION_NOTIFIED,
        on=day,
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
) -> Case:
    """Send a 收费通知; the amount and tiers come from ``gongkai.core.fees`` (国办函〔2020〕109号 arts 3–5).

    按件: ``pieces`` (default: the case's 件数) counted after the applicant's earlier 件 at this
    agency in the same natural month. 按量: ``pages`` of this application. ``on`` is the day the
    applicant receives the notice; payment is due 20 working days after it (spec §2.4).
    """
    from gongkai.cases.selectors import applicant_earlier_pieces

    locked = _lock(actor, case, version)
    day = _day(on, today, "收费通知日期")
    step = _step(locked, Event.SEND_FEE_NOTICE)
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
        raise CaseInputError(f"按{method.label}计算应收 0 元（在免费范围内），无需发出收费通知")
    payment_due, _ = nth_working_day_after(day, FEE_PAYMENT_DAYS)
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
    return _apply(
        locked,
        actor=actor,
        kind=Event.SEND_FEE_NOTICE,
        on=day,
        today=today,
        changes={"status": step.status.value},
        payload={
            "计收方式": method.label,
            "金额": breakdown.total,
            "缴费期限": payment_due,
            "明细": breakdown.describe(),
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
) -> Case:
    """The fee was paid on ``on``; the clock runs again (spec §2.4)."""
    locked = _lock(actor, case, version)
    day = _day(on, today, "缴费日期")
    step = _step(locked, Event.RECEIVE_PAYMENT)
    notice = locked.fee_notices.select_for_update().filter(paid_on__isnull=True, lapsed_on__isnull=True).first()
    if notice is None:
        raise CaseInputError(f"案件 {locked.number} 没有待缴费的收费通知")
    if day < notice.notified_on:
        raise CaseInputError(f"缴费日期 {day.isoformat()} 早于收费通知日 {notice.notified_on.isoformat()}")
    notice.paid_on = day
    notice.amount_collected = Decimal(notice.amount if amount_collected is None else amount_collected)
    notice.save(update_fields=["paid_on", "amount_collected"])
    return _apply(
        locked,
        actor=actor,
        kind=Event.RECEIVE_PAYMENT,
        on=day,
        today=today,
        changes={"status": step.status.value},
        payload={"缴费日期": day, "实收金额": notice.amount_collected},
    )


@transaction.atomic
def lapse_fee(*, actor: User, case: Case, today: dt.date, note: str = "", version: int | None = None) -> Case:
    """逾期未缴费: 视为放弃申请, the case closes as table 三 （六）2 (spec §2.4)."""
    locked = _lock(actor, case, version)
    step = _step(locked, Event.FEE_OVERDUE)
    notice = locked.fee_notices.select_for_update().filter(paid_on__isnull=True, lapsed_on__isnull=True).first()
    if notice is None:
        raise CaseInputError(f"案件 {locked.number} 没有待缴费的收费通知")
    if today <= notice.payment_due_on:
        raise CaseInputError(f"缴费期限 {notice.payment_due_on.isoformat()} 尚未届满")
    notice.lapsed_on = today
    notice.save(update_fields=["lapsed_on"])
    assert step.outcome is not None
    return _apply(
        locked,
        actor=actor,
        kind=Event.FEE_OVERDUE,
        on=today,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": today},
        payload={"缴费期限": notice.payment_due_on, "金额": notice.amount},
    )


# ---------------------------------------------------------------------------------------------
# 延迟答复 (条例 art 35) and answers (arts 33 ¶1, 36, 37)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def set_delayed_answer(
    *, actor: User, case: Case, due_on: dt.date, reason: str, today: dt.date, version: int | None = None
) -> Case:
    """A reasonable later answer date for an excessive application: 条例 art 35."""
    locked = _lock(actor, case, version)
    step = _step(locked, Event.SET_DELAYED_ANSWER)
    if not reason.strip():
        raise CaseInputError("请写明延迟答复的理由（条例第三十五条）")
    return _apply(
        locked,
        actor=actor,
        kind=Event.SET_DELAYED_ANSWER,
        on=today,
        today=today,
        changes={
            "status": step.status.value,
            "delay_decided_on": today,
            "delayed_due_on": due_on,
            "delay_reason": reason.strip(),
        },
        payload={"延迟答复期限": due_on, "理由": reason.strip()},
    )


@transaction.atomic
def answer_on_the_spot(
    *, actor: User, case: Case, outcome: Outcome | str, today: dt.date, note: str = "", version: int | None = None
) -> Case:
    """当场答复 on the day of receipt: 条例 art 33 ¶1; exactly one statutory outcome."""
    locked = _lock(actor, case, version)
    step = _step(locked, Event.ANSWER_ON_THE_SPOT, _outcome(outcome))
    if locked.received_on != today:
        raise CaseInputError(f"案件 {locked.number} 不是今天收到的申请，不能当场答复（条例第三十三条第一款）")
    assert step.outcome is not None
    return _apply(
        locked,
        actor=actor,
        kind=Event.ANSWER_ON_THE_SPOT,
        on=today,
        today=today,
        note=note,
        changes={
            "status": step.status.value,
            "outcome": step.outcome.value,
            "closed_on": today,
            "answered_on_the_spot": True,
            "closing_note": note,
        },
        payload={"办理结果": step.outcome.full_label},
    )


@transaction.atomic
def close_case(
    *,
    actor: User,
    case: Case,
    outcome: Outcome | str,
    today: dt.date,
    note: str = "",
    on: dt.date | None = None,
    version: int | None = None,
) -> Case:
    """作出答复 with exactly one statutory outcome (条例 arts 36, 37; table 三 row)."""
    locked = _lock(actor, case, version)
    day = _day(on, today, "答复日期")
    step = _step(locked, Event.ANSWER, _outcome(outcome))
    if locked.received_on is not None and day < locked.received_on:
        raise CaseInputError(f"答复日期 {day.isoformat()} 早于收到申请之日 {locked.received_on.isoformat()}")
    assert step.outcome is not None
    return _apply(
        locked,
        actor=actor,
        kind=Event.ANSWER,
        on=day,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": day, "closing_note": note},
        payload={"办理结果": step.outcome.full_label, "依据": step.outcome.basis},
    )


@transaction.atomic
def withdraw_application(
    *, actor: User, case: Case, today: dt.date, note: str = "", on: dt.date | None = None, version: int | None = None
) -> Case:
    """The applicant withdrew: the case closes as table 三 （六）3 其他 (spec §1.3 [D])."""
    locked = _lock(actor, case, version)
    day = _day(on, today, "撤回日期")
    step = _step(locked, Event.WITHDRAW)
    assert step.outcome is not None
    return _apply(
        locked,
        actor=actor,
        kind=Event.WITHDRAW,
        on=day,
        today=today,
        note=note,
        recompute=False,
        changes={"status": step.status.value, "outcome": step.outcome.value, "closed_on": day, "closing_note": note},
        payload={"办理结果": step.outcome.full_label},
    )


# ---------------------------------------------------------------------------------------------
# 行政复议 / 行政诉讼 (table 四)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def record_review(
    *,
    actor: User,
    kind: ReviewKind | str,
    filed_on: dt.date,
    body: str,
    today: dt.date,
    case: Case | None = None,
    agency: Agency | None = None,
    case_number: str = "",
    applicant_name: str = "",
    subject: str = "",
) -> Review:
    """Record a 行政复议 or 行政诉讼 about the agency's 政府信息公开 work (条例 art 51; table 四)."""
    if case is not None:
        _require_writer(actor, case)
        agency = case.agency
    agency = agency or (actor.agency if actor is not None else None)
    if agency is None or not can_write(actor, agency):
        raise PermissionDenied("只有本机关工作人员可以登记行政复议、行政诉讼")
    filed = _day(filed_on, today, "申请／起诉日期")
    if not body.strip():
        raise CaseInputError("请写明复议机关或法院")
    kind = ReviewKind(kind)
    review = Review.objects.create(
        agency=agency,
        case=case,
        kind=kind.value,
        filed_on=filed,
        body=body.strip(),
        case_number=case_number.strip(),
        applicant_name=applicant_name.strip() or (case.applicant_name if case else ""),
        subject=subject,
        recorded_by=actor,
    )
    record(
        actor=actor,
        action=CaseAudit.REVIEW_RECORDED,
        target=review,
        agency=agency,
        changes={"kind": kind.value, "filed_on": filed, "body": review.body, "case": case},
    )
    if case is not None:
        _log(
            case,
            kind=CaseNote.REVIEW_RECORDED,
            on=filed,
            actor=actor,
            payload={"类别": kind.label, "机关": review.body, "案号": review.case_number},
        )
    return review


@transaction.atomic
def conclude_review(
    *, actor: User, review: Review, result: ReviewResult | str, concluded_on: dt.date, today: dt.date, note: str = ""
) -> Review:
    """The review or lawsuit ended: 维持 / 纠正 / 其他 (table 四)."""
    if not can_write(actor, review.agency) or not Review.objects.visible_to(actor).filter(pk=review.pk).exists():
        raise PermissionDenied("只有本机关工作人员可以登记复议、诉讼结果")
    locked = Review.objects.select_for_update().get(pk=review.pk)
    result = ReviewResult(result)
    if result is ReviewResult.PENDING:
        raise CaseInputError("请选择审结结果（维持、纠正或其他）")
    if locked.result != ReviewResult.PENDING:
        raise CaseInputError(f"该{locked.get_kind_display()}已于 {locked.concluded_on} 审结")
    day = _day(concluded_on, today, "审结日期")
    if day < locked.filed_on:
        raise CaseInputError(f"审结日期 {day.isoformat()} 早于申请／起诉日期 {locked.filed_on.isoformat()}")
    locked.result, locked.concluded_on, locked.result_note = result.value, day, note
    locked.save(update_fields=["result", "concluded_on", "result_note"])
    record(
        actor=actor,
        action=CaseAudit.REVIEW_CONCLUDED,
        target=locked,
        agency=locked.agency,
        changes={"result": result.value, "concluded_on": day},
        note=note,
    )
    if locked.case is not None:
        _log(
            locked.case,
            kind=CaseNote.REVIEW_CONCLUDED,
            on=day,
            actor=actor,
            payload={"类别": ReviewKind(locked.kind).label, "结果": result.label},
            note=note,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# Recomputing due dates (a calendar year loaded)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDateChange:
    """One open case whose stored due date moved (or could not be recomputed)."""

    case_id: int
    number: str
    old: dt.date | None
    new: dt.date | None
    old_provisional: bool
    new_provisional: bool
    problem: str = ""

    def line(self) -> str:
        def show(d: dt.date | None, provisional: bool) -> str:
            return (d.isoformat() if d else "无") + ("（暂定）" if provisional else "")

        if self.problem:
            return f"{self.number}：未能重新计算（{self.problem}）"
        return f"{self.number}：{show(self.old, self.old_provisional)} → {show(self.new, self.new_provisional)}"


@transaction.atomic
def recompute_due_dates(
    *, actor: User | None, today: dt.date, reason: str, agency: Agency | None = None
) -> list[DueDateChange]:
    """Recompute every open case's due date (all agencies, or one); store and audit those that moved.

    Each moved case gets a timeline entry, an audit record and (after commit) an e-mail to its
    officer. A case the core cannot compute any more (e.g. an extension now after the due date)
    keeps its stored date and is reported with the reason.
    """
    if actor is not None and not (actor.is_system_admin or (agency is not None and can_write(actor, agency))):
        raise PermissionDenied("无权重新计算答复期限")
    qs = Case.objects.open().filter(received_on__isnull=False)
    if agency is not None:
        qs = qs.filter(agency=agency)
    changes: list[DueDateChange] = []
    cases = (
        qs.select_for_update(of=("self",))
        .select_related("agency")
        .prefetch_related("consultations", "extensions", "fee_notices")
        .order_by("pk")
    )
    for case in cases:
        try:
            clock = compute_case_clock(case, today=today)
        except GongkaiError as exc:
            changes.append(
                DueDateChange(
                    case.pk,
                    case.number,
                    case.due_on,
                    case.due_on,
                    case.due_is_provisional,
                    case.due_is_provisional,
                    problem=str(exc),
                )
            )
            continue
        if (clock.due_on, clock.provisional, clock.note) == (case.due_on, case.due_is_provisional, case.due_note):
            continue
        change = DueDateChange(
            case.pk, case.number, case.due_on, clock.due_on, case.due_is_provisional, clock.provisional
        )
        _apply(
            case,
            actor=actor,
            kind=CaseNote.DUE_DATE_CHANGED,
            on=today,
            today=today,
            recompute=False,
            changes={"due_on": clock.due_on, "due_is_provisional": clock.provisional, "due_note": clock.note},
            payload={"原期限": change.old, "新期限": change.new, "暂定": clock.provisional, "原因": reason},
        )
        changes.append(change)
        if change.old != change.new:
            _on_commit(_due_date_notice(case.pk, change.old, change.new, reason))
    return changes


def _due_date_notice(case_id: int, old: dt.date | None, new: dt.date | None, reason: str) -> Callable[[], None]:
    return lambda: notifications.due_date_moved(case_id, old, new, reason)
