"""The desk sections of the letters app: drafts waiting for the user's 审核/法制审核/签发 (with a
warning where the case is due within 5 working days or overdue while the draft waits: the clock
runs on during 签批), drafts returned to the user, and letters issued but not served after N
working days.

N is ``settings.LETTER_UNSERVED_ALERT_DAYS`` (default
``core.letters.service.DEFAULT_UNSERVED_ALERT_DAYS``), counted on the working calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.cases.models import Case
from gongkai.cases.selectors import BUCKET_LABELS, DeskDays
from gongkai.core.approval import WAITING, DraftEvent, DraftStatus
from gongkai.core.calendar import with_assumed_years
from gongkai.core.letters.service import DEFAULT_UNSERVED_ALERT_DAYS, unserved_alert_cutoff
from gongkai.letters.approval_policy import may_act, waits_for
from gongkai.letters.deliveries import letters_with_service, unserved
from gongkai.letters.models import Letter, LetterDraft
from gongkai.web.panels import Panel
from gongkai.workcalendar.provider import working_calendar

DESK_LIMIT = 50


def alert_days() -> int:
    return int(getattr(settings, "LETTER_UNSERVED_ALERT_DAYS", DEFAULT_UNSERVED_ALERT_DAYS))


def alert_cutoff(today: dt.date, days: int) -> dt.date:
    """The last 成文日期 shown (years without published holidays are assumed, as for due dates)."""
    return with_assumed_years(working_calendar(), lambda c: unserved_alert_cutoff(today, days, c))[0]


def unserved_for(user: Any, today: dt.date) -> tuple[int, list[Letter], dt.date]:
    """The visible letters issued more than N working days ago and not served: count, first rows."""
    days = alert_days()
    cutoff = alert_cutoff(today, days)
    qs = unserved(Letter.objects.visible_to(user), issued_on_or_before=cutoff)
    qs = letters_with_service(qs).select_related("case").order_by("issued_on", "pk")
    rows = list(qs[:DESK_LIMIT])
    return (len(rows) if len(rows) < DESK_LIMIT else qs.count()), rows, cutoff


@dataclass
class Late:
    """The case's answer due date, when waiting on approval is what may make it late."""

    due_on: dt.date
    label: str


def late_warning(case: Case, days: DeskDays) -> Late | None:
    """Open, and due within 5 working days or overdue (the desk's buckets)."""
    if case.closed_on is not None or case.due_on is None:
        return None
    bucket = days.bucket(case.due_on)
    return Late(case.due_on, BUCKET_LABELS[bucket]) if bucket else None


@dataclass
class DraftRow:
    draft: LetterDraft
    late: Late | None


def approvals_for(user: Any, today: dt.date) -> tuple[list[DraftRow], list[DraftRow]]:
    """The drafts waiting for ``user`` to act (late ones first, then oldest), and the user's drafts
    returned to them — one query for both (the desk's query budget, tests/cases/test_desk.py)."""
    waiting_q = Q(status__in=[s.value for s in WAITING])
    returned_q = Q(status=DraftStatus.DRAFT.value, drafted_by=user, actions__event=DraftEvent.RETURN.value)
    drafts = list(
        LetterDraft.objects.visible_to(user)
        .filter(waiting_q | returned_q)
        .select_related("case", "case__agency", "drafted_by")
        .distinct()
        .order_by("waiting_since", "pk")[: 2 * DESK_LIMIT]
    )
    if not drafts:
        return [], []
    days = DeskDays.of(today)
    mine = [
        DraftRow(d, late_warning(d.case, days))
        for d in drafts
        if d.status_enum is not DraftStatus.DRAFT and waits_for(user, d, d.case)
    ]
    back = [DraftRow(d, late_warning(d.case, days)) for d in drafts if d.status_enum is DraftStatus.DRAFT]
    mine.sort(key=lambda r: (r.late is None, r.draft.waiting_since))
    return mine[:DESK_LIMIT], back[:DESK_LIMIT]


def desk_panels(request: HttpRequest) -> list[Panel]:
    user: Any = request.user
    if not user.is_authenticated:
        return []
    today = clock.today()
    count, rows, cutoff = unserved_for(user, today)
    context = {"count": count, "letters": rows, "days": alert_days(), "cutoff": cutoff}
    panels = [Panel("未送达的文书", "letters/desk_unserved.html", context, order=20)]
    panels.extend(approval_panels(request, always=user.role == Role.LEADER))
    return panels


def case_approval_panels(request: HttpRequest, case: Case) -> list[Panel]:
    """The case page's 签批 section: each draft of the case with its history (who, when, step, comment)."""
    drafts = list(
        LetterDraft.objects.visible_to(request.user)
        .filter(case=case)
        .select_related("drafted_by", "letter")
        .prefetch_related("actions__actor")
    )
    if not drafts:
        return []
    for draft in drafts:
        draft.user_may_act = may_act(request.user, draft, case)  # type: ignore[attr-defined]
    return [Panel("文书签批", "letters/case_approvals.html", {"drafts": drafts, "case": case}, order=10)]


def approval_panels(request: HttpRequest, *, always: bool = False) -> list[Panel]:
    """The 待我签批 section (also on the back-office home page when something waits)."""
    user: Any = request.user
    if not user.is_authenticated:
        return []
    waiting, returned = approvals_for(user, clock.today())
    if not (waiting or returned or always):
        return []
    approvals = {"waiting": waiting, "returned": returned}
    return [Panel("待我签批的文书", "letters/desk_approvals.html", approvals, order=5)]
