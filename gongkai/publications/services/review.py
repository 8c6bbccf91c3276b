"""保密审查, publication and withdrawal: the steps that decide what reaches the portal.

The publication rule is enforced three times over: the transition table
(``gongkai.core.publication_flow``), the checks in :func:`publish` (reviewed, by someone else,
不涉密, content unchanged since the review), and the database constraints on ``Item``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from gongkai.audit.services import record
from gongkai.core.errors import InvalidTransition
from gongkai.core.publication_flow import ItemAction, SecrecyVerdict
from gongkai.core.publication_timeliness import PublicationTimeliness, timeliness
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Item, SecrecyReview
from gongkai.publications.services.common import (
    PUBLISHER_ROLES,
    REVIEWER_ROLES,
    PublicationAction,
    require_role,
    resolve_now,
)
from gongkai.publications.services.items import content_digest, locked_item, next_item_status
from gongkai.publications.timeliness import working_calendar

if TYPE_CHECKING:
    from gongkai.accounts.models import User


@transaction.atomic
def record_secrecy_review(
    *, actor: User, item: Item, result: SecrecyVerdict | str, notes: str = "", now: dt.datetime | None = None
) -> SecrecyReview:
    """Record a 保密审查 ("上网信息不涉密、涉密信息不上网").

    The reviewer is an officer or leader of the agency other than the author. 涉密 needs notes
    (what is secret) and is final: the item never becomes publishable again, and a published or
    withdrawn item found 涉密 leaves the portal at once.
    """
    item = locked_item(item)
    result = SecrecyVerdict(result)
    require_role(actor, item.agency, REVIEWER_ROLES, "进行保密审查")
    if actor.pk == item.author_id:
        raise PublicationError("保密审查须由起草人以外的人员进行")
    notes = notes.strip()
    if result is SecrecyVerdict.CLASSIFIED and not notes:
        raise PublicationError("审查结论为“涉密”时须填写审查意见（涉密内容和依据）")
    previous = item.status
    item.status = next_item_status(item, result.action)
    at = resolve_now(now)
    digest = content_digest(item)
    review = SecrecyReview.objects.create(
        item=item, reviewer=actor, result=result, notes=notes, reviewed_at=at, digest=digest
    )
    item.is_classified = item.is_classified or result is SecrecyVerdict.CLASSIFIED
    item.reviewed_by = actor
    item.reviewed_at = at
    item.reviewed_digest = digest
    item.updated_at = at
    item.save(update_fields=["status", "is_classified", "reviewed_by", "reviewed_at", "reviewed_digest", "updated_at"])
    record(
        actor=actor,
        action=PublicationAction.REVIEWED,
        target=item,
        note=notes,
        changes={"result": result.label, "status": [previous, item.status]},
    )
    return review


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    item: Item
    timeliness: PublicationTimeliness


@transaction.atomic
def publish(*, actor: User, item: Item, today: dt.date, now: dt.datetime | None = None) -> PublishOutcome:
    """Publish a reviewed, 不涉密 item on ``today``; the outcome says whether it was in time (条例 art 26).

    Refused unless: the last review found 不涉密, was made by someone other than the author, and
    the content has not changed since (the digest taken at review matches).
    """
    item = locked_item(item)
    require_role(actor, item.agency, PUBLISHER_ROLES, "发布主动公开信息")
    if item.is_classified:
        raise InvalidTransition("该信息经保密审查为涉密，不得公开")
    new_status = next_item_status(item, ItemAction.PUBLISH)
    if item.reviewed_by_id is None or item.reviewed_at is None:
        raise InvalidTransition("该信息尚未经过保密审查，不能发布")
    if item.reviewed_by_id == item.author_id:
        raise InvalidTransition("保密审查须由起草人以外的人员进行，不能发布")
    if content_digest(item) != item.reviewed_digest:
        raise InvalidTransition("该信息在保密审查后有改动，须重新审查后才能发布")
    if today < item.formed_on:
        raise PublicationError(f"发布日期 {today} 早于成文日期 {item.formed_on}")
    item.status = new_status
    item.published_on = today
    item.published_by = actor
    item.updated_at = resolve_now(now)
    item.save(update_fields=["status", "published_on", "published_by", "updated_at"])
    check = timeliness(item.formed_on, today, working_calendar())
    record(
        actor=actor,
        action=PublicationAction.PUBLISHED,
        target=item,
        note=check.message,
        changes={"published_on": today, "status": new_status.value, "late": check.late},
    )
    return PublishOutcome(item, check)


@transaction.atomic
def withdraw(*, actor: User, item: Item, reason: str, today: dt.date, now: dt.datetime | None = None) -> Item:
    """Take a published item off the portal, with the reason."""
    item = locked_item(item)
    require_role(actor, item.agency, PUBLISHER_ROLES, "撤回主动公开信息")
    reason = reason.strip()
    if not reason:
        raise PublicationError("撤回须说明原因")
    item.status = next_item_status(item, ItemAction.WITHDRAW)
    item.withdrawn_on = today
    item.withdrawal_reason = reason
    item.updated_at = resolve_now(now)
    item.save(update_fields=["status", "withdrawn_on", "withdrawal_reason", "updated_at"])
    record(
        actor=actor,
        action=PublicationAction.WITHDRAWN,
        target=item,
        note=reason,
        changes={"status": item.status, "withdrawn_on": today},
    )
    return item
