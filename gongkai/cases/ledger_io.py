"""The 依申请公开台账 in and out of the database: export from the cases a user may read, import
as the case services would write it (in bulk: ``gongkai.cases.ledger_bulk``), all or nothing.

The sheet format and its checks are the core's (``gongkai.core.ledger``). The export reads
``Case.objects.visible_to(user)`` and always masks identity numbers (exports are lists,
``gongkai.cases.masking``). The import first reads and checks the whole file, then checks it
against the database (numbers already used, the same application already registered), then
plans every row as the case services would write it (``services.register_application`` and
``close_case`` / ``withdraw_application``: the same transition table, receipt date, clock and
field checks) and, when no row fails, inserts the cases, their timeline entries and one audit
record per registration and per closing in bulk, in one transaction (20,000 rows in seconds;
``bench/ledger_import.py``). If any row fails nothing is written and every problem is reported
with its row.

A registration is dated the day the ledger says the application was received (as a back-dated
registration at the office would be), and an answer the day the ledger says it was given; the
audit records carry the real time and the import's own record names the file.

What the services cannot record from a ledger line without inventing events is refused or
kept as text: a 逾期不补正 or 逾期未缴费 closing needs the 补正/收费 notice's dates (refused, with
the row named); the 延期 and 收费 columns and the ledger's own 申请编号 go into the 答复说明 of an
answered case (an open case gets a warning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce

from gongkai.accounts.scoping import can_read, can_write
from gongkai.audit.services import record
from gongkai.cases import ledger_bulk
from gongkai.cases.choices import ExtensionDecision
from gongkai.cases.clock import fee_clock_rule
from gongkai.cases.models import Case, Extension
from gongkai.core.errors import GongkaiError
from gongkai.core.ledger import (
    NOTHING_IMPORTED,
    LedgerColumn,
    LedgerIssue,
    LedgerReadResult,
    LedgerRow,
    read_ledger,
    write_ledger,
)
from gongkai.core.outcomes import Outcome
from gongkai.workcalendar.provider import working_calendar

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


class LedgerAudit(StrEnum):
    IMPORTED = "ledger.imported"


#: Closings that need a notice's dates the ledger does not hold (条例 art 30; spec §2.4).
NOT_IMPORTABLE_OUTCOMES: frozenset[Outcome] = frozenset({Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID})


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def ledger_cases(user: Any, agency: Agency, year: int) -> Any:
    """The cases of ``agency`` received in ``year`` that ``user`` may read, with the ledger's extras."""
    approved = Extension.objects.filter(case=OuterRef("pk"), decision=ExtensionDecision.APPROVED)
    return (
        Case.objects.visible_to(user)
        .filter(agency=agency, received_on__year=year)
        .annotate(
            has_extension=Exists(approved),
            fee_paid=Coalesce(
                Sum("fee_notices__amount", filter=Q(fee_notices__paid_on__isnull=False)),
                Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("received_on", "year", "sequence")
    )


def ledger_row(case: Any) -> LedgerRow:
    """One ledger line of an annotated case (``ledger_cases``)."""
    assert case.received_on is not None
    fee = int(case.fee_paid or 0)
    return LedgerRow(
        case_number=case.number,
        received_on=case.received_on,
        channel=case.channel_enum,
        applicant_type=case.applicant_type_enum,
        applicant_name=case.applicant_name,
        request=case.request_description,
        id_number=case.org_credit_code or case.id_number if case.is_organisation else case.id_number,
        contact=case.phone or case.email,
        due_on=case.due_on,
        extended=bool(case.has_extension),
        answered_on=case.closed_on,
        outcome=case.outcome_enum,
        fee_charged=fee > 0,
        fee_amount=fee or None,
        note=case.closing_note,
    )


def export_ledger(user: Any, agency: Agency, year: int) -> bytes:
    """The ledger (.xlsx) of ``agency``'s applications received in ``year`` (条例 art 45).

    Only cases ``user`` may read (``Case.objects.visible_to``); identity numbers masked.
    """
    if not can_read(user, agency):
        raise PermissionDenied(f"无权查看{agency.name}的台账")
    return write_ledger(ledger_row(case) for case in ledger_cases(user, agency, year))


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportedCase:
    line: int
    ledger_number: str
    case_number: str
    case_id: int


@dataclass(frozen=True, slots=True)
class LedgerImportResult:
    """What an import did: nothing (``errors``), or every row as a case (``imported``)."""

    filename: str
    errors: tuple[LedgerIssue, ...] = ()
    warnings: tuple[LedgerIssue, ...] = ()
    imported: tuple[ImportedCase, ...] = ()
    read: LedgerReadResult | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"“{self.filename}”中发现 {len(self.errors)} 处错误，{NOTHING_IMPORTED}；请改正后重新上传。"
        return f"“{self.filename}”已导入 {len(self.imported)} 件申请。"


def import_ledger(
    *,
    actor: User,
    agency: Agency,
    data: bytes,
    filename: str,
    today: dt.date,
    progress: Callable[[int, int, str], None] | None = None,
) -> LedgerImportResult:
    """Import a ledger into ``agency`` (the actor's own): all rows or none (条例 art 45).

    ``progress(done, total, message)`` hears how far it got (the background job's page)."""
    if actor.agency_id != agency.pk or not can_write(actor, agency):
        raise PermissionDenied(f"只有{agency.name}的工作人员可以向本机关导入台账")
    report = progress or (lambda done, total, message: None)
    report(0, 1, f"正在读取“{filename}”…")
    read = read_ledger(data, filename)
    name = read.filename
    if not read.ok:
        return LedgerImportResult(name, read.errors, read.warnings, read=read)
    errors = _check_against_database(read.rows, agency, today)
    if errors:
        return LedgerImportResult(name, tuple(errors), read.warnings, read=read)

    warnings = list(read.warnings)
    with transaction.atomic():
        planned: list[ledger_bulk.Planned] = []
        context = ledger_bulk.Context(
            working_calendar(), fee_clock_rule(), actor.display_name
        )  # once: each asks the database
        total = len(read.rows)
        for index, row in enumerate(read.rows, start=1):
            if index % 200 == 0 or index == total:
                report(index, total + 1, f"已核对 {index} / {total} 行")
            try:
                planned.append(ledger_bulk.plan(actor, agency, row, context))
            except (GongkaiError, ValidationError, PermissionDenied) as exc:
                errors.append(LedgerIssue(_message(exc), row.line))
        if errors:
            return LedgerImportResult(name, tuple(errors), tuple(warnings), read=read)
        report(total, total + 1, f"正在写入 {total} 件申请…")
        ledger_bulk.write(actor, agency, planned)
        imported = [ImportedCase(p.row.line, p.row.case_number, p.case.number, p.case.pk) for p in planned]
        for p in planned:
            warnings.extend(_row_warnings(p.row, p.case))
        record(
            actor=actor,
            action=LedgerAudit.IMPORTED,
            agency=agency,
            changes={
                "file": name,
                "rows": len(imported),
                "cases": [c.case_number for c in imported],
            },
            note=f"导入台账“{name}”，共 {len(imported)} 件",
        )
    return LedgerImportResult(name, (), tuple(warnings), tuple(imported), read=read)


def _check_against_database(rows: tuple[LedgerRow, ...], agency: Agency, today: dt.date) -> list[LedgerIssue]:
    """Row problems only the database or today's date reveal, all of them, before anything is written."""
    errors: list[LedgerIssue] = []
    C = LedgerColumn
    used = set(
        Case.objects.filter(agency=agency, number__in=[r.case_number for r in rows]).values_list("number", flat=True)
    )
    registered = set(
        Case.objects.filter(agency=agency, received_on__in={r.received_on for r in rows}).values_list(
            "received_on", "applicant_name", "request_description"
        )
    )
    for row in rows:
        if row.received_on > today:
            errors.append(
                LedgerIssue(f"收到申请日期 {row.received_on.isoformat()} 晚于今天", row.line, C.RECEIVED_ON.label)
            )
        if row.answered_on is not None and row.answered_on > today:
            errors.append(
                LedgerIssue(f"答复日期 {row.answered_on.isoformat()} 晚于今天", row.line, C.ANSWERED_ON.label)
            )
        if row.case_number in used:
            errors.append(
                LedgerIssue(
                    f"申请编号“{row.case_number}”已是本机关系统中的案件编号（该台账可能已经导入过）",
                    row.line,
                    C.CASE_NUMBER.label,
                )
            )
        elif (row.received_on, row.applicant_name, row.request) in registered:
            errors.append(
                LedgerIssue("系统中已有同一申请人同日提出的相同申请（该台账可能已经导入过）", row.line, C.REQUEST.label)
            )
        if row.outcome in NOT_IMPORTABLE_OUTCOMES:
            errors.append(
                LedgerIssue(
                    f"“{row.outcome.label}”须有补正告知或收费通知的日期和期限，台账中没有，不能导入；"
                    "请在系统中登记该申请并按办理流程记录",
                    row.line,
                    C.OUTCOME.label,
                )
            )
    return errors


def _row_warnings(row: LedgerRow, case: Case) -> list[LedgerIssue]:
    warnings = []
    if row.outcome is None:
        kept = []
        if row.extended:
            kept.append("“是否延期”")
        if row.fee_charged:
            kept.append("“收费金额”")
        if kept:
            warnings.append(
                LedgerIssue(
                    f"未办结的申请不导入{'、'.join(kept)}：延期、收费须在案件中按办理流程登记",
                    row.line,
                )
            )
        if row.due_on is not None and case.due_on is not None and row.due_on != case.due_on:
            warnings.append(
                LedgerIssue(
                    f"答复期限按系统计算为 {case.due_on.isoformat()}（台账为 {row.due_on.isoformat()}）",
                    row.line,
                    LedgerColumn.DUE_ON.label,
                )
            )
    return warnings


def _message(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)
