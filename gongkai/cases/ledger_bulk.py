"""A ledger import written in bulk: every line planned as the case services would write it, then
inserted together (``gongkai.cases.ledger_io.import_ledger`` checks the file and calls these).

``services.register_application`` and ``services.close_case`` / ``withdraw_application`` write a
case in some twenty queries; 20,000 lines that way took minutes. Here a line is planned in memory
with the same rules (the core's receipt date, transition table and clock; the model's field
checks; the same timeline entries and one audit record per registration and per closing), the
numbers of a year are reserved under the counter's lock in one step, and cases, entries and
records are inserted with one prepared statement per table. tests/security/test_uploads_and_exports.py
compares the result with the services' field by field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.agencies.models import SequenceKind
from gongkai.agencies.sequences import allocate
from gongkai.audit.models import AuditEvent
from gongkai.audit.services import diff
from gongkai.cases.applicants import APPLICANT_FIELDS, Applicant
from gongkai.cases.choices import CaseNote, DeliveryMethod, IdentityDocument, ProvisionForm
from gongkai.cases.clock import CaseClock
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Case, CaseEvent, user_may_read_case
from gongkai.cases.services._machinery import CaseAudit, check_step, submission_moment, transition_action
from gongkai.cases.services.intake import case_number
from gongkai.core.calendar import with_assumed_years
from gongkai.core.case_flow import Event, initial_status, next_status
from gongkai.core.deadlines import Channel, compute_deadline, receipt_date
from gongkai.core.errors import DeadlineError
from gongkai.core.ledger import LedgerRow
from gongkai.core.outcomes import Outcome

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency
    from gongkai.core.calendar import WorkingCalendar
    from gongkai.core.deadlines import FeeClockRule

_RESIDENT_ID = re.compile(r"^\d{17}[\dXx]$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def applicant(row: LedgerRow) -> Applicant:
    """The ledger's 申请人, 证件号码 and 联系方式 as an applicant (a 统一社会信用代码 for an organisation)."""
    number = "".join(row.id_number.split())
    contact = row.contact.strip()
    phone, email = ("", contact) if "@" in contact else (contact, "")
    who = Applicant(row.applicant_type, row.applicant_name, phone=phone, email=email)
    if not number:
        return who
    if row.applicant_type.is_organisation:
        credit = number.upper() if _CREDIT_CODE.match(number.upper()) else ""
        return replace(who, id_type=IdentityDocument.BUSINESS_LICENCE, id_number=number, org_credit_code=credit)
    kind = IdentityDocument.RESIDENT_ID if _RESIDENT_ID.match(number) else IdentityDocument.OTHER
    return replace(who, id_type=kind, id_number=number)


def closing_note(row: LedgerRow) -> str:
    parts = [f"台账导入，原申请编号 {row.case_number}"]
    if row.extended:
        parts.append("台账记载：已延期")
    if row.fee_charged and row.fee_amount:
        parts.append(f"台账记载：收取信息处理费 {row.fee_amount} 元")
    if row.note:
        parts.append(row.note)
    return "；".join(parts)


#: Case fields the ledger fills, checked with the model's validators (the rest are the defaults).
_CHECKED_FIELDS = frozenset(
    {
        "applicant_name",
        "id_type",
        "id_number",
        "org_credit_code",
        "phone",
        "email",
        "request_description",
        "closing_note",
    }
)


@dataclass
class Planned:
    """One ledger line as the rows the services would write."""

    row: LedgerRow
    case: Case
    events: list[dict[str, Any]]
    audits: list[dict[str, Any]]


@dataclass
class Context:
    """What every row of one import shares: the calendar, the fee rule, the submission moments."""

    calendar: WorkingCalendar
    rule: FeeClockRule
    actor_name: str
    moments: dict[dt.date, dt.datetime] = field(default_factory=dict)

    def moment(self, day: dt.date) -> dt.datetime:
        """``submission_moment`` once per day of the import (it asks the clock each time)."""
        if day not in self.moments:
            self.moments[day] = submission_moment(day)
        return self.moments[day]


def plan(actor: User, agency: Agency, row: LedgerRow, context: Context) -> Planned:
    """The case of one ledger line, registered on ``received_on`` and answered on ``answered_on``."""
    today = row.received_on
    channel = row.channel
    who_applies = applicant(row)
    if not who_applies.applicant_name:
        raise CaseInputError("缺少申请人姓名或名称（条例第二十九条）")
    if not row.request.strip():
        raise CaseInputError("缺少所需信息的名称、文号或特征性描述（条例第二十九条）")
    department = actor.department if actor.role == Role.CLERK else None
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        received_on = receipt_date(channel, submitted_on=today)
    elif channel is Channel.POST_SIGNED:
        received_on = receipt_date(channel, signed_on=today)
    else:
        received_on = receipt_date(channel, confirmed_on=today)
    confirm_now = channel not in (Channel.IN_PERSON, Channel.ORAL, Channel.POST_SIGNED)
    case = Case(
        agency=agency,
        year=today.year,
        channel=channel.value,
        submitted_at=context.moment(today),
        status=initial_status(channel).value,
        **_applicant_fields(who_applies),
        request_description=row.request.strip(),
        document_number="",
        provision_form=ProvisionForm.PAPER,
        delivery_method=DeliveryMethod.POST,
        received_on=None if confirm_now else received_on,
        department=department,
        assigned_to=None,
        registered_by=actor,
        pieces=1,
    )
    who = (actor.pk, context.actor_name)
    events = [_event(who, CaseNote.REGISTERED, today, "", "", {"渠道": channel.label, "收到申请之日": received_on})]
    if confirm_now:
        before = case.status
        case.status = next_status(case.status_enum, Event.CONFIRM_RECEIPT).value
        case.received_on = received_on
        events.append(_event(who, Event.CONFIRM_RECEIPT, today, before, case.status, {"确认日期": received_on}))
    clock = _new_case_clock(received_on, today, context.calendar, context.rule)
    case.due_on, case.due_is_provisional, case.due_note = clock.due_on, clock.provisional, clock.note
    registered = {  # as ``audit.services.record`` stores them: dates and models as text
        "number": None,  # filled when numbered (:func:`_write`)
        "channel": channel.value,
        "received_on": received_on.isoformat(),
        "status": case.status,
        "due_on": case.due_on.isoformat() if case.due_on is not None else None,
        "department": str(department) if department is not None else None,
        "assigned_to": None,
    }
    audits: list[dict[str, Any]] = [{"action": CaseAudit.REGISTERED, "changes": registered, "note": ""}]
    if row.outcome is not None:
        assert row.answered_on is not None
        _plan_closing(actor, who, row, case, events, audits)
    _validate(case)
    return Planned(row, case, events, audits)


def _plan_closing(
    actor: User,
    who: tuple[int, str],
    row: LedgerRow,
    case: Case,
    events: list[dict[str, Any]],
    audits: list[dict[str, Any]],
) -> None:
    """``close_case`` (条例 arts 36, 37) or ``withdraw_application`` of the planned case."""
    assert row.outcome is not None and row.answered_on is not None
    if not user_may_read_case(actor, case):
        raise PermissionDenied("无权办理该案件")
    day = row.answered_on
    note = closing_note(row)
    if row.outcome is Outcome.OTHER_OTHER:
        kind, step = Event.WITHDRAW, check_step(case, Event.WITHDRAW)
        assert step.outcome is not None
        payload: dict[str, Any] = {"办理结果": step.outcome.full_label}
    else:
        kind, step = Event.ANSWER, check_step(case, Event.ANSWER, row.outcome)
        if case.received_on is not None and day < case.received_on:
            raise CaseInputError(f"答复日期 {day.isoformat()} 早于收到申请之日 {case.received_on.isoformat()}")
        assert step.outcome is not None
        payload = {"办理结果": step.outcome.full_label, "依据": step.outcome.basis}
    changes = {"status": step.status.value, "outcome": step.outcome.value, "closed_on": day, "closing_note": note}
    tracked = [*changes, "due_on", "due_is_provisional", "due_note"]
    before = {name: getattr(case, name) for name in tracked}
    status_before = case.status
    for field_name, value in changes.items():
        setattr(case, field_name, value)
    case.version += 1
    case.updated_at = timezone.now()
    events.append(_event(who, kind, day, status_before, case.status, payload, note))
    audit_changes = diff(before, {name: getattr(case, name) for name in tracked})
    audit_changes["事项"] = payload
    audits.append({"action": transition_action(kind), "changes": audit_changes, "note": note})


def _event(
    actor: tuple[int, str],
    kind: Event | CaseNote,
    on: dt.date,
    status_before: str,
    status_after: str,
    payload: dict[str, Any],
    note: str = "",
) -> dict[str, Any]:
    """A timeline entry as ``_machinery.log_event`` writes it (without its case yet)."""
    return {
        "kind": kind.value,
        "on": on,
        "actor_id": actor[0],
        "actor_name": actor[1],
        "status_before": status_before,
        "status_after": status_after,
        "payload": {str(k): v.isoformat() if isinstance(v, dt.date) else v for k, v in payload.items()},
        "note": note,
    }


def _applicant_fields(applicant: Applicant) -> dict[str, Any]:
    """``Applicant.case_fields()`` without ``asdict``'s deep copy (every value is a scalar)."""
    data = {name: getattr(applicant, name) for name in APPLICANT_FIELDS}
    data["applicant_type"] = applicant.applicant_type.value
    data["applicant_key"] = applicant.key
    return data


def _new_case_clock(received_on: dt.date, today: dt.date, calendar: WorkingCalendar, rule: FeeClockRule) -> CaseClock:
    """The clock of a case with no event yet (what ``compute_case_clock`` gives a new case)."""
    try:
        result, assumed = with_assumed_years(
            calendar,
            lambda c: compute_deadline(received_on, [], calendar=c, fee_rule=rule, as_of=today),
        )
    except DeadlineError as exc:
        raise DeadlineError(f"收到申请之日 {received_on.isoformat()}：{exc}") from None
    return CaseClock(result, assumed)


def _validate(case: Case) -> None:
    """The model's checks of the fields the ledger filled (``_new_case`` runs ``full_clean``)."""
    exclude = [f.name for f in Case._meta.fields if f.name not in _CHECKED_FIELDS]
    try:
        case.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise CaseInputError(
            "；".join(f"{_field_label(k)}：{'，'.join(v)}" for k, v in exc.message_dict.items())
        ) from None


def _field_label(name: str) -> str:
    if name == "__all__":
        return "申请"
    return str(getattr(Case._meta.get_field(name), "verbose_name", name))


def _reserve_numbers(agency: Agency, year: int, count: int) -> int:
    """The first of ``count`` consecutive sequence numbers of ``agency`` in ``year``
    (``services.allocate_number`` ``count`` times in one step, under the counter's row lock)."""

    def used() -> int:
        return Case.objects.filter(agency=agency, year=year).aggregate(m=Max("sequence"))["m"] or 0

    return allocate(agency, SequenceKind.CASE, year, floor=used, count=count) - count + 1


def write(actor: User, agency: Agency, planned: list[Planned]) -> None:
    """Number the planned cases in ledger order per year, then insert cases, entries, audit records."""
    per_year: dict[int, list[Planned]] = {}
    for p in planned:
        per_year.setdefault(p.case.year, []).append(p)
    for year, group in sorted(per_year.items()):
        first = _reserve_numbers(agency, year, len(group))
        for offset, p in enumerate(group):
            p.case.sequence = first + offset
            p.case.number = case_number(agency, year, p.case.sequence)
            p.audits[0]["changes"]["number"] = p.case.number
    _insert(Case, [vars(p.case) for p in planned])
    for year, group in per_year.items():
        sequences = [p.case.sequence for p in group]
        ids = dict(
            Case.objects.filter(
                agency=agency, year=year, sequence__gte=min(sequences), sequence__lte=max(sequences)
            ).values_list("sequence", "pk")
        )
        for p in group:
            p.case.pk = ids[p.case.sequence]
            p.case._state.adding = False
    _insert(CaseEvent, [{"case_id": p.case.pk, **event} for p in planned for event in p.events])
    label = Case._meta.label_lower
    _insert(
        AuditEvent,
        [
            {
                "actor_id": actor.pk,
                "actor_name": actor.display_name,
                "agency_id": agency.pk,
                "action": str(audit["action"]),
                "object_type": label,
                "object_id": str(p.case.pk),
                "object_repr": str(p.case)[:200],
                "changes": audit["changes"],
                "note": audit["note"],
            }
            for p in planned
            for audit in p.audits
        ],
    )


def _insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """``INSERT`` rows (field attname → value; the field's default when absent) with one
    prepared statement (``executemany``), in batches.

    ``bulk_create`` compiles SQL for every value of every row, which was most of an import's
    time; here values are prepared by the same fields (``get_db_prep_save``), plain text,
    numbers and booleans passed as they are.
    """
    conn = transaction.get_connection()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = conn.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 - names from the model, quoted
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    plain = (str, int, bool, type(None))

    defaults = {f.attname: f.get_db_prep_save(f.get_default(), conn) for f in fields}  # one moment for all

    def prepared(row: dict[str, Any]) -> list[Any]:
        values = []
        for f in fields:
            if f.attname not in row:
                values.append(defaults[f.attname])
                continue
            value = row[f.attname]
            values.append(value if type(value) in plain else f.get_db_prep_save(value, conn))
        return values

    with conn.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            cursor.executemany(sql, [prepared(row) for row in rows[start : start + _BATCH]])


_BATCH = 2000
