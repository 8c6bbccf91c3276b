"""Write paths for users."""

from __future__ import annotations

from django.db import transaction

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency, Department
from gongkai.audit.services import AuditAction, record


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: Role,
    agency: Agency | None,
    department: Department | None = None,
    full_name: str = "",
    email: str = "",
) -> User:
    """Create a back-office user of ``agency`` with ``role`` (administrators are staff of the admin site)."""
    if department is not None and agency is not None and department.agency_id != agency.pk:
        raise ValueError(f"科室“{department.name}”不属于机构“{agency.name}”")
    user = User(
        username=username,
        role=role,
        agency=agency,
        department=department,
        full_name=full_name,
        email=email,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(
        actor=actor,
        action=AuditAction.USER_CREATED,
        target=user,
        agency=agency,
        changes={"username": username, "role": role.value, "agency": agency.name if agency else None},
    )
    return user


@transaction.atomic
def change_role(*, actor: User, user: User, role: Role) -> User:
    before = user.role
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    record(
        actor=actor,
        action=AuditAction.USER_ROLE_CHANGED,
        target=user,
        agency=user.agency,
        changes={"role": [before, role.value]},
    )
    return user
