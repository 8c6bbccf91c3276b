"""Load a calendar year and recompute open cases' due dates: one use case (legal spec §5.4).

The calendar app stores the year (``gongkai.workcalendar.services.store_calendar_year``); this
module, one layer up, recomputes every open case's stored due date in the same transaction
(audit per moved case, e-mail after commit). The web upload and ``gongkai calendar load`` both
call :func:`load_calendar_year`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.accounts.scoping import can_write
from gongkai.cases import notifications
from gongkai.cases.choices import CaseNote
from gongkai.cases.clock import compute_case_clock
from gongkai.cases.models import Case
from gongkai.cases.services._machinery import after_commit, apply_change
from gongkai.core.errors import GongkaiError
from gongkai.workcalendar.services import store_calendar_year

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency
    from gongkai.core.calendar import CalendarYear


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
        apply_change(
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
            after_commit(_due_date_notice(case.pk, change.old, change.new, reason))
    return changes


def _due_date_notice(case_id: int, old: dt.date | None, new: dt.date | None, reason: str) -> Callable[[], None]:
    return lambda: notifications.due_date_moved(case_id, old, new, reason)


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
    *, actor: User | None, data: CalendarYear, text: str, file_name: str, today: dt.date
) -> LoadResult:
    """Store (or replace) ``data``'s year and recompute every open case's due date (legal spec §5.4).

    Only a system administrator (or the command line, ``actor=None``) may load a year; example
    files are refused (``store_calendar_year``).
    """
    stored = store_calendar_year(actor=actor, data=data, text=text, file_name=file_name, today=today)
    reason = f"加载{data.year}年节假日安排（{data.source.title}）"
    changes = recompute_due_dates(actor=actor, today=today, reason=reason)
    return LoadResult(stored.year, stored.replaced, stored.off_days, stored.work_days, tuple(changes))
