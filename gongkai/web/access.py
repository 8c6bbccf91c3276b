"""Who may open a back-office view: one declarative decorator per view.

Every back-office view states the roles that may use it::

    @roles(ALL_ROLES)                      # every logged-in user; the queries scope what they see
    @roles(AGENCY_STAFF)                   # officer, clerk, leader: they work on their own agency
    @roles(Role.OFFICER, Role.LEADER)      # a named subset
    @require_POST
    def publish(request, pk): ...

An anonymous request is sent to the login page; a logged-in user of another role gets 403,
before the view reads anything. The roles only decide which pages a user may open: which
*records* they see and change is still decided by ``accounts.scoping`` (``visible_to``,
``can_write``) inside the view and the services, so another agency's record stays a 404.

A system administrator (``is_system_admin``: role ``admin`` or a Django superuser) counts as
``Role.ADMIN``. The decorated view carries its roles as ``view.allowed_roles``, so a test can
check that every view declares them (``tests/security/test_role_url_matrix.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from gongkai.accounts.models import AGENCY_STAFF_ROLES, Role

_V = TypeVar("_V", bound=Callable[..., Any])

#: Every role: pages any logged-in user may open (what they see is scoped by ``visible_to``).
ALL_ROLES = frozenset(Role)
#: 信息公开工作人员、科室信息员、负责人: the people who work on their own agency's records.
AGENCY_STAFF = frozenset(AGENCY_STAFF_ROLES)


def _flatten(allowed: Iterable[Role | Iterable[Role]]) -> frozenset[Role]:
    found: set[Role] = set()
    for entry in allowed:
        if isinstance(entry, Role):
            found.add(entry)
        else:
            found.update(Role(r) for r in entry)
    return frozenset(found)


def user_has_role(user: Any, allowed: frozenset[Role]) -> bool:
    """True when the logged-in ``user`` has one of ``allowed`` (a system administrator counts as admin)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if Role.ADMIN in allowed and getattr(user, "is_system_admin", False):
        return True
    return getattr(user, "role", None) in allowed


def roles(*allowed: Role | Iterable[Role]) -> Callable[[_V], _V]:
    """Let only users of ``allowed`` roles open the view: anonymous → login page, others → 403."""
    permitted = _flatten(allowed)
    if not permitted:
        raise ValueError("roles() needs at least one role")
    labels = "、".join(role.label for role in Role if role in permitted)

    def decorator(view: _V) -> _V:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not user_has_role(request.user, permitted):
                raise PermissionDenied(f"此页面仅供{labels}使用")
            return view(request, *args, **kwargs)

        guarded: Any = login_required(checked)
        guarded.allowed_roles = permitted
        return guarded  # type: ignore[no-any-return]

    return decorator


def allowed_roles(view: Any) -> frozenset[Role] | None:
    """The roles a view declared with :func:`roles`, or None when it declares none."""
    return getattr(view, "allowed_roles", None)


__all__ = ["AGENCY_STAFF", "ALL_ROLES", "allowed_roles", "roles", "user_has_role"]
