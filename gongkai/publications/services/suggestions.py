"""依申请转主动 (条例 art 44): take groups of similar disclosed applications into 主动公开, or not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from gongkai.audit.services import record
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Category, DisclosureSuggestion, Item, SuggestionDecision
from gongkai.publications.services.common import PUBLISHER_ROLES, PublicationAction, require_role, resolve_now
from gongkai.publications.services.items import create_draft
from gongkai.publications.suggestions import MIN_APPLICANTS, applicant_identity, candidate_cases

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


def _suggestion_cases(actor: User, agency: Agency, case_ids: Iterable[int]) -> list[Any]:
    require_role(actor, agency, PUBLISHER_ROLES, "处理依申请转主动建议")
    wanted = set(case_ids)
    cases = [c for c in candidate_cases(agency, today=timezone.localdate()) if c.pk in wanted]
    if len(cases) != len(wanted) or not wanted:
        raise PublicationError("所选申请已处理过，或不是本机关已予以公开／部分公开的申请")
    if len({applicant_identity(c) for c in cases}) < MIN_APPLICANTS:
        raise PublicationError(f"条例第四十四条要求多个申请人：所选申请来自不足{MIN_APPLICANTS}位申请人")
    return cases


@transaction.atomic
def adopt_suggestion(
    *,
    actor: User,
    agency: Agency,
    case_ids: Iterable[int],
    category: Category,
    title: str,
    formed_on: dt.date,
    now: dt.datetime | None = None,
) -> Item:
    """Take a group of similar disclosed applications into 主动公开 (条例 art 44): a draft item,
    which then goes through 保密审查 like any other."""
    cases = _suggestion_cases(actor, agency, case_ids)
    numbers = "、".join(c.number for c in cases)
    body = "".join(f"<p>{_escape(c.request_description)}</p>" for c in cases[:1])
    item = create_draft(
        actor=actor,
        agency=agency,
        category=category,
        title=title,
        formed_on=formed_on,
        body=body,
        origin_note=f"依申请转主动（条例第四十四条）：{numbers}"[:200],
        now=now,
    )
    decision = DisclosureSuggestion.objects.create(
        agency=agency, decision=SuggestionDecision.ADOPTED, item=item, decided_by=actor, decided_at=resolve_now(now)
    )
    decision.cases.set(cases)
    record(
        actor=actor,
        action=PublicationAction.SUGGESTION_ADOPTED,
        target=item,
        changes={"cases": [c.number for c in cases]},
    )
    return item


@transaction.atomic
def dismiss_suggestion(
    *, actor: User, agency: Agency, case_ids: Iterable[int], note: str, now: dt.datetime | None = None
) -> DisclosureSuggestion:
    """Decide not to take a group of applications into 主动公开 (art 44 says "可以"), with the reason."""
    cases = _suggestion_cases(actor, agency, case_ids)
    note = note.strip()
    if not note:
        raise PublicationError("不纳入主动公开须说明理由")
    decision = DisclosureSuggestion.objects.create(
        agency=agency, decision=SuggestionDecision.DISMISSED, note=note, decided_by=actor, decided_at=resolve_now(now)
    )
    decision.cases.set(cases)
    record(
        actor=actor,
        action=PublicationAction.SUGGESTION_DISMISSED,
        target=decision,
        agency=agency,
        note=note,
        changes={"cases": [c.number for c in cases]},
    )
    return decision


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)
