"""What every write path of 主动公开 shares: the audit codes, who may do what, the clock, field checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import can_write
from gongkai.publications.errors import PublicationError

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


class PublicationAction(StrEnum):
    """Audit action codes of this app."""

    CATEGORY_CREATED = "publication.category_created"
    ITEM_CREATED = "publication.created"
    ITEM_EDITED = "publication.edited"
    ATTACHMENT_ADDED = "publication.attachment_added"
    ATTACHMENT_REMOVED = "publication.attachment_removed"
    SUBMITTED = "publication.submitted"
    REVIEWED = "publication.reviewed"
    PUBLISHED = "publication.published"
    WITHDRAWN = "publication.withdrawn"
    GUIDE_UPDATED = "publication.guide_updated"
    REGISTER_ADDED = "publication.register_added"
    REGISTER_ABOLISHED = "publication.register_abolished"
    ARTICLE20_SET = "publication.article20_set"
    SUGGESTION_ADOPTED = "publication.art44_adopted"
    SUGGESTION_DISMISSED = "publication.art44_dismissed"


#: Who does what, within their own agency (``accounts.scoping.can_write`` decides the agency).
DRAFTING_ROLES = frozenset({Role.CLERK, Role.OFFICER, Role.LEADER})
REVIEWER_ROLES = frozenset({Role.OFFICER, Role.LEADER})
PUBLISHER_ROLES = frozenset({Role.OFFICER, Role.LEADER})
MANAGER_ROLES = frozenset({Role.OFFICER, Role.LEADER})  # catalogue, guide, register, figures


def require_role(actor: User, agency: Agency, roles: frozenset[Role], what: str) -> None:
    if not can_write(actor, agency) or actor.role not in roles:
        labels = "、".join(r.label for r in Role if r in roles)
        raise PermissionDenied(f"只有本机关的{labels}可以{what}")


def resolve_now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def clean_fields(obj: Any, exclude: Iterable[str] = ()) -> None:
    """Field validation (lengths, choices) with the messages turned into one Chinese error."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        parts = []
        for field_name, messages in exc.message_dict.items():
            label = obj._meta.get_field(field_name).verbose_name if field_name != "__all__" else ""
            parts.append(f"{label}：{'；'.join(messages)}" if label else "；".join(messages))
        raise PublicationError("；".join(parts)) from None
