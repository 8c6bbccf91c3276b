"""The one place that decides what a user may see and change.

Every view, export and API that returns agency records filters through here:
``Model.objects.visible_to(user)`` on an ``AgencyScopedQuerySet``, or
``visible_agencies(user)`` / ``can_write(user, agency)`` directly.

- system administrator: sees every agency; writes through the admin only;
- 主管部门 (supervisor): reads its own agency and every agency below it, changes nothing there
  (its own agency's 年报监督 batches excepted: ``can_write(..., roles=...)``);
- officer, clerk, leader: read and write their own agency only;
- 本机关管理员 (manager): sees its own agency (the agency pages, its roster) but none of its
  records: every ``AgencyScopedQuerySet.visible_to`` is empty for it, and it writes only users and
  departments (``gongkai.accounts.staff``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from gongkai.accounts.models import AGENCY_STAFF_ROLES, MANAGER_ROLES, Role
from gongkai.agencies.models import Agency

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gongkai.accounts.models import User

_M = TypeVar("_M", bound=models.Model)


def visible_agencies(user: User | AnonymousUser | None) -> models.QuerySet[Agency]:
    """Agencies whose records ``user`` may read."""
    if user is None or not user.is_authenticated:
        return Agency.objects.none()
    if user.is_system_admin:
        return Agency.objects.all()
    if user.agency_id is None:
        return Agency.objects.none()
    if user.role == Role.SUPERVISOR and user.agency is not None:
        return Agency.objects.subtree_of(user.agency)
    return Agency.objects.filter(pk=user.agency_id)


def can_read(user: User | AnonymousUser | None, agency: Agency) -> bool:
    return visible_agencies(user).filter(pk=agency.pk).exists()


def can_write(
    user: User | AnonymousUser | None, agency: Agency, *, roles: Collection[str] = AGENCY_STAFF_ROLES
) -> bool:
    """True when ``user`` may change ``agency``'s records: a user of ``roles`` (by default the agency's
    staff) of that very agency. Never another agency's rows, whatever the role (年报监督 passes the
    supervisor's role for the batches its own agency uploaded)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.role in roles and user.agency_id == agency.pk


class AgencyScopedQuerySet(models.QuerySet[_M]):
    """QuerySet of a model that belongs to an agency through ``agency_field``."""

    agency_field = "agency"

    def visible_to(self, user: Any) -> AgencyScopedQuerySet[_M]:
        if user is not None and getattr(user, "role", None) in MANAGER_ROLES:
            return self.none()  # a 本机关管理员 manages people, not the agency's records
        return self.filter(**{f"{self.agency_field}__in": visible_agencies(user)})

    def writable_by(self, user: Any) -> AgencyScopedQuerySet[_M]:
        if user is None or not user.is_authenticated or user.role not in AGENCY_STAFF_ROLES:
            return self.none()
        return self.filter(**{f"{self.agency_field}_id": user.agency_id})
