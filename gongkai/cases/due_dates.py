"""Load a calendar year and recompute open cases' due dates: one use case (legal spec §5.4).

The calendar app stores the year (``gongkai.workcalendar.services.store_calendar_year``); this
module, one layer up, recomputes every open case's stored due date in the same transaction
(audit per moved case, e-mail after commit). The web upload and ``gongkai calendar load`` both
call :func:`load_calendar_year`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkai.accounts.scoping import can_write
from gongkai.audit.services import AuditRow, diff, record_rows
from gongkai.cases import notifications
from gongkai.cases.choices import CaseNote, ExtensionDecision
from gongkai.cases.clock import CLOCK_COLUMNS, clock_of, events_from, fee_clock_rule
from gongkai.cases.models import Case, CaseEvent, Consultation, Extension, FeeNotice
from gongkai.cases.services._machinery import CLOCK_RESULT_FIELDS, SYSTEM_ACTOR_NAME, CaseAudit, after_commit
from gongkai.core.errors import GongkaiError
from gongkai.workcalendar.provider import working_calendar
from gongkai.workcalendar.services import store_calendar_year

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency
    from gongkai.core.calendar import CalendarYear, WorkingCalendar
    from gongkai.core.deadlines import FeeClockRule


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


#: Open cases read, computed and written per round: bounds the memory of a province-wide reload.
BATCH_SIZE = 2000


@transaction.atomic
def recompute_due_dates(
    *,
    actor: User | None,
    today: dt.date,
    reason: str,
    agency: Agency | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[DueDateChange]:
    """Recompute every open case's due date (all agencies, or one); store and audit those that moved.

    Each moved case gets a timeline entry, an audit record and (after commit) an e-mail to its
    officer. A case the core cannot compute any more (e.g. an extension now after the due date)
    keeps its stored date and is reported with the reason.

    Built for 100,000 open cases (bench/calendar_reload.py): the calendar is built once and handed
    to the core; cases are read in rounds of ``BATCH_SIZE`` by primary-key range (no list of ids
    sent to the database) as plain tuples with their clock rows (locked ``FOR UPDATE``); only the
    cases whose date changed are written, in one statement a round (:func:`_write_clocks`), with
    their timeline entries and audit records in bulk. ``progress(done, total, message)`` hears
    of each round (the background job's page, the command line's progress).
    """
    if actor is not None and not (actor.is_system_admin or (agency is not None and can_write(actor, agency))):
        raise PermissionDenied("无权重新计算答复期限")
    qs = Case.objects.open().filter(received_on__isnull=False)
    if agency is not None:
        qs = qs.filter(agency=agency)
    calendar = working_calendar()
    rule = fee_clock_rule()
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    changes: list[DueDateChange] = []
    for first in range(0, len(ids), BATCH_SIZE):
        chunk = ids[first : first + BATCH_SIZE]
        in_round = qs.filter(pk__gte=chunk[0], pk__lte=chunk[-1])
        changes.extend(_recompute_round(in_round, actor, today, reason, calendar, rule))
        if progress is not None:
            done = first + len(chunk)
            progress(done, len(ids), f"已重新计算{done}/{len(ids)}件办理中案件的答复期限")
    moved = [c for c in changes if not c.problem and c.old != c.new]
    if moved:
        after_commit(lambda: notifications.due_dates_moved([(c.case_id, c.old, c.new) for c in moved], reason))
    return changes


_ROUND_FIELDS = ("pk", "number", "agency_id", "status", *CLOCK_RESULT_FIELDS, *CLOCK_COLUMNS)


def _recompute_round(
    cases: QuerySet[Case],
    actor: User | None,
    today: dt.date,
    reason: str,
    calendar: WorkingCalendar,
    rule: FeeClockRule,
) -> list[DueDateChange]:
    # Plain tuples (no model instances: ~15 µs a row); a model is made only for a moved case.
    rows = list(cases.select_for_update().order_by("pk").values_list(*_ROUND_FIELDS))
    # The clock rows of the same cases, by subquery: no list of ids as parameters.
    ids = cases.values("pk")
    consultations = _grouped(
        Consultation.objects.filter(case_id__in=ids).values_list("case_id", "sent_on", "ended_on", "party")
    )
    extensions = _grouped(
        Extension.objects.filter(
            case_id__in=ids, decision=ExtensionDecision.APPROVED, decided_on__isnull=False
        ).values_list("case_id", "days", "decided_on")
    )
    fee_notices = _grouped(
        FeeNotice.objects.filter(case_id__in=ids).values_list("case_id", "notified_on", "paid_on", "served_on")
    )
    changes: list[DueDateChange] = []
    written: list[tuple[int, tuple[Any, ...]]] = []
    timeline: list[tuple[int, dict[str, Any]]] = []
    audit: list[AuditRow] = []
    n_result = len(CLOCK_RESULT_FIELDS)
    for pk, number, agency_id, _status, *values in rows:
        old = tuple(values[:n_result])
        row = dict(zip(CLOCK_COLUMNS, values[n_result:], strict=True))
        events = events_from(
            row,
            consultations=consultations.get(pk, ()),
            extensions=extensions.get(pk, ()),
            fee_notices=fee_notices.get(pk, ()),
        )
        try:
            clock = clock_of(row["received_on"], events, today=today, calendar=calendar, rule=rule)
        except GongkaiError as exc:
            changes.append(DueDateChange(pk, number, old[0], old[0], old[1], old[1], problem=str(exc)))
            continue
        new = (clock.due_on, clock.provisional, clock.note)
        if new == old:
            continue
        change = DueDateChange(pk, number, old[0], new[0], old[1], new[1])
        changes.append(change)
        written.append((pk, new))
        payload = {"原期限": _iso(change.old), "新期限": _iso(change.new), "暂定": clock.provisional, "原因": reason}
        timeline.append((pk, payload))
        before = dict(zip(CLOCK_RESULT_FIELDS, old, strict=True))
        after = dict(zip(CLOCK_RESULT_FIELDS, new, strict=True))
        audit.append(
            AuditRow(
                action=CaseAudit.DUE_DATE_CHANGED,
                object_type=_CASE_LABEL,
                object_id=str(pk),
                object_repr=number,
                agency_id=agency_id,
                changes={**diff(before, after), "事项": payload},
            )
        )
    stamp = timezone.now()
    _write_clocks(written, stamp)
    _write_timeline(timeline, actor=actor, today=today, stamp=stamp)
    record_rows(actor=actor, rows=audit, at=stamp)
    return changes


#: ``Case._meta.label_lower``: the audit rows' object type (``AuditEvent.objects.for_object``).
_CASE_LABEL = "cases.case"


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _write_timeline(
    timeline: list[tuple[int, dict[str, Any]]], *, actor: User | None, today: dt.date, stamp: dt.datetime
) -> None:
    """One 答复期限重新计算 timeline entry per moved case (what ``new_event`` builds), one prepared INSERT."""
    if not timeline:
        return
    ops = connection.ops
    actor_id = actor.pk if actor is not None and actor.pk else None
    actor_name = actor.display_name if actor is not None and actor.pk else SYSTEM_ACTOR_NAME
    on, at = ops.adapt_datefield_value(today), ops.adapt_datetimefield_value(stamp)
    kind = CaseNote.DUE_DATE_CHANGED.value
    params = [
        (case_id, kind, on, at, actor_id, actor_name, "", "", ops.adapt_json_value(payload, None), "")
        for case_id, payload in timeline
    ]
    table = ops.quote_name(CaseEvent._meta.db_table)
    # Only the table's quoted name is formatted in; every value is a parameter.
    sql = (
        f"INSERT INTO {table} (case_id, kind, {ops.quote_name('on')}, at, actor_id, actor_name, "  # noqa: S608
        "status_before, status_after, payload, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _write_clocks(written: list[tuple[int, tuple[Any, ...]]], stamp: dt.datetime) -> None:
    """Store the new clocks of a round in one UPDATE … FROM (VALUES …) (PostgreSQL, SQLite ≥ 3.33).

    The rows are locked FOR UPDATE, so their versions cannot have moved since they were read;
    each written row's version goes up by one, as any other write of a case does.
    """
    if not written:
        return
    table = connection.ops.quote_name(Case._meta.db_table)
    if connection.vendor == "postgresql":
        row = "(%s::bigint, %s::date, %s::boolean, %s::varchar)"
    else:
        row = "(%s, %s, %s, %s)"
    params: list[Any] = []
    for pk, (due_on, provisional, note) in written:
        params += [pk, due_on, provisional, note]
    # Only the table's quoted name and placeholders are formatted in; every value is a parameter.
    sql = (
        f"WITH v(id, due_on, provisional, note) AS (VALUES {', '.join([row] * len(written))}) "  # noqa: S608
        f"UPDATE {table} SET due_on = v.due_on, due_is_provisional = v.provisional, due_note = v.note, "
        f"version = {table}.version + 1, updated_at = %s FROM v WHERE {table}.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, stamp])


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[Any]]:
    """``(case_id, *values)`` rows as ``{case_id: [values, …]}``."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for case_id, *values in rows:
        grouped[case_id].append(tuple(values))
    return grouped


@dataclass(frozen=True)
class LoadResult:
    """A loaded year and the open cases whose due dates it moved (or could not recompute)."""

    year: int
    replaced: bool
    off_days: int
    work_days: int
    changes: tuple[DueDateChange, ...]

    @property
    def moved(self) -> tuple[DueDateChange, ...]:
        return tuple(c for c in self.changes if not c.problem)

    @property
    def problems(self) -> tuple[DueDateChange, ...]:
        return tuple(c for c in self.changes if c.problem)

    def summary(self) -> str:
        verb = "已替换" if self.replaced else "已加载"
        return (
            f"{verb}{self.year}年节假日安排：放假{self.off_days}天，调休上班{self.work_days}天；"
            f"重新计算答复期限，{len(self.moved)}件案件的期限有变化"
            + (f"，{len(self.problems)}件未能计算" if self.problems else "")
        )

    def moved_lines(self) -> list[str]:
        return [c.line() for c in self.changes]


@transaction.atomic
def load_calendar_year(
    *,
    actor: User | None,
    data: CalendarYear,
    text: str,
    file_name: str,
    today: dt.date,
    progress: Callable[[int, int, str], None] | None = None,
) -> LoadResult:
    """Store (or replace) ``data``'s year and recompute every open case's due date (legal spec §5.4).

    Only a system administrator (or the command line, ``actor=None``) may load a year; example
    files are refused (``store_calendar_year``).
    """
    stored = store_calendar_year(actor=actor, data=data, text=text, file_name=file_name, today=today)
    reason = f"加载{data.year}年节假日安排（{data.source.title}）"
    changes = recompute_due_dates(actor=actor, today=today, reason=reason, progress=progress)
    return LoadResult(stored.year, stored.replaced, stored.off_days, stored.work_days, tuple(changes))
