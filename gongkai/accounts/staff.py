"""The agency's own users and departments, managed by its 本机关管理员 (``Role.MANAGER``).

One write function per use case, each audited in its transaction and never with a secret: no
password, no hash, no reset token is ever stored by these functions or written to the audit trail.
A new user gets no password; the manager hands over a one-time link (:func:`issue_password_link`),
made with Django's ``default_token_generator``: the token is valid once (setting the password
changes the hash it is computed from), expires after ``PASSWORD_RESET_TIMEOUT``, and issuing a new
one makes the old password and every earlier link unusable.

Refusals (:class:`StaffError` with the field named, or ``PermissionDenied``): only a manager of the
agency acts on that agency's users and departments; no manager gives 系统管理员 or 主管部门 (nor
changes a user who has one); a manager cannot deactivate or demote the agency's last active manager.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from gongkai.accounts.models import MANAGER_ASSIGNABLE_ROLES, Role, User
from gongkai.agencies.models import Agency, Department
from gongkai.audit.services import record
from gongkai.core.errors import GongkaiError


class StaffError(GongkaiError):
    """A user or department change the rules refuse; the message names the field."""


class StaffAudit(StrEnum):
    """Audit action codes of staff management (the foundation's ``user.created`` is reused)."""

    USER_CREATED = "user.created"
    USER_CHANGED = "user.changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    PASSWORD_LINK_ISSUED = "user.password_link_issued"  # noqa: S105  (an action code)
    PASSWORD_SET = "user.password_set"  # noqa: S105  (an action code, not a password)
    DEPARTMENT_CREATED = "department.created"
    DEPARTMENT_CHANGED = "department.changed"


STAFF_AUDIT_LABELS: dict[str, str] = {
    StaffAudit.USER_CHANGED: "修改用户角色或科室",
    StaffAudit.USER_DEACTIVATED: "停用用户",
    StaffAudit.USER_REACTIVATED: "启用用户",
    StaffAudit.PASSWORD_LINK_ISSUED: "生成一次性设置密码链接",
    StaffAudit.PASSWORD_SET: "通过一次性链接设置密码",
    StaffAudit.DEPARTMENT_CHANGED: "修改科室",
}


def managed_agency(actor: User | None) -> Agency:
    """The agency ``actor`` manages; PermissionDenied for anyone but an active 本机关管理员."""
    if actor is None or not actor.is_authenticated or not actor.is_active or actor.role != Role.MANAGER:
        raise PermissionDenied("只有本机关管理员可以管理本机关的用户和科室")
    if actor.agency is None:
        raise PermissionDenied("本机关管理员未关联机构")
    return actor.agency


def _check_user(actor: User, user: User) -> Agency:
    agency = managed_agency(actor)
    if user.agency_id != agency.pk:
        raise PermissionDenied("只能管理本机关的用户")
    if user.role not in MANAGER_ASSIGNABLE_ROLES or user.is_superuser:
        raise PermissionDenied(f"用户“{user.display_name}”的角色为“{user.get_role_display()}”，只能由系统管理员修改")
    return agency


def _check_role(role: Role | str) -> Role:
    try:
        chosen = Role(role)
    except ValueError:
        raise StaffError(f"角色：没有“{role}”这一角色") from None
    if chosen not in MANAGER_ASSIGNABLE_ROLES:
        raise StaffError(f"角色：本机关管理员不能设置“{chosen.label}”，请联系系统管理员")
    return chosen


def _check_department(agency: Agency, department: Department | None) -> None:
    if department is not None and (department.agency_id != agency.pk or not department.is_active):
        raise StaffError(f"科室：“{department.name}”不是{agency.name}启用中的科室")


def _other_active_managers(agency: Agency, user: User) -> bool:
    return User.objects.filter(agency=agency, role=Role.MANAGER, is_active=True).exclude(pk=user.pk).exists()


@transaction.atomic
def create_staff_user(
    *,
    actor: User,
    username: str,
    full_name: str,
    role: Role | str,
    department: Department | None = None,
    email: str = "",
    phone: str = "",
) -> User:
    """A new user of the manager's agency, without a password (hand over :func:`issue_password_link`)."""
    agency = managed_agency(actor)
    chosen = _check_role(role)
    _check_department(agency, department)
    username = username.strip()
    if not username:
        raise StaffError("用户名：请填写")
    if User.objects.filter(username__iexact=username).exists():
        raise StaffError(f"用户名：“{username}”已被使用")
    user = User(
        username=username,
        full_name=full_name.strip(),
        role=chosen,
        agency=agency,
        department=department,
        email=email.strip(),
        phone=phone.strip(),
        is_staff=False,
        is_superuser=False,
    )
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise StaffError("；".join(f"{k}：{'，'.join(v)}" for k, v in exc.message_dict.items())) from None
    user.save()
    record(
        actor=actor,
        action=StaffAudit.USER_CREATED,
        target=user,
        agency=agency,
        changes={
            "username": username,
            "full_name": user.full_name,
            "role": chosen.value,
            "department": department.name if department else None,
        },
    )
    return user


@transaction.atomic
def change_staff_user(
    *, actor: User, user: User, role: Role | str, department: Department | None, full_name: str | None = None
) -> User:
    """Change a user's role, department (and name); the last manager keeps the role."""
    agency = _check_user(actor, user)
    chosen = _check_role(role)
    _check_department(agency, department)
    if user.role == Role.MANAGER and chosen != Role.MANAGER and not _other_active_managers(agency, user):
        raise StaffError("角色：这是本机关唯一的本机关管理员，不能改为其他角色")
    before = {
        "role": user.role,
        "department": user.department.name if user.department else None,
        "full_name": user.full_name,
    }
    user.role = chosen
    user.department = department
    if full_name is not None:
        user.full_name = full_name.strip()
    user.save(update_fields=["role", "department", "full_name"])
    after = {"role": chosen.value, "department": department.name if department else None, "full_name": user.full_name}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        record(actor=actor, action=StaffAudit.USER_CHANGED, target=user, agency=agency, changes=changes)
    return user


@transaction.atomic
def set_user_active(*, actor: User, user: User, active: bool, reason: str = "") -> User:
    """停用 / 启用 a user: a deactivated user cannot log in; their records stay. The last manager stays."""
    agency = _check_user(actor, user)
    if user.is_active == active:
        return user
    if not active and user.role == Role.MANAGER and not _other_active_managers(agency, user):
        raise StaffError("状态：这是本机关唯一的本机关管理员，不能停用")
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        actor=actor,
        action=StaffAudit.USER_REACTIVATED if active else StaffAudit.USER_DEACTIVATED,
        target=user,
        agency=agency,
        changes={"is_active": [not active, active]},
        note=reason.strip(),
    )
    return user


@transaction.atomic
def issue_password_link(*, actor: User, user: User) -> tuple[str, str]:
    """A one-time link's (uidb64, token) to set ``user``'s password; the edge shows it once.

    The current password stops working at once (the user is locked out until they use the link),
    which also voids every earlier link. The token is neither stored nor audited.
    """
    agency = _check_user(actor, user)
    if not user.is_active:
        raise StaffError(f"状态：用户“{user.display_name}”已停用，请先启用再设置密码")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record(actor=actor, action=StaffAudit.PASSWORD_LINK_ISSUED, target=user, agency=agency, changes={})
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


@transaction.atomic
def set_password_with_link(*, user: User, password: str) -> User:
    """The user sets their password through a checked link (the view checks the token)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor=user, action=StaffAudit.PASSWORD_SET, target=user, changes={})
    return user


@transaction.atomic
def create_department(*, actor: User, name: str) -> Department:
    """A new 科室 of the manager's agency."""
    agency = managed_agency(actor)
    name = name.strip()
    if not name:
        raise StaffError("科室名称：请填写")
    if Department.objects.filter(agency=agency, name=name).exists():
        raise StaffError(f"科室名称：{agency.name}已有“{name}”")
    department = Department.objects.create(agency=agency, name=name)
    record(actor=actor, action=StaffAudit.DEPARTMENT_CREATED, target=department, agency=agency, changes={"name": name})
    return department


@transaction.atomic
def change_department(*, actor: User, department: Department, name: str, active: bool) -> Department:
    """Rename or 停用/启用 a 科室; one with active users stays active (move them first)."""
    agency = managed_agency(actor)
    if department.agency_id != agency.pk:
        raise PermissionDenied("只能管理本机关的科室")
    name = name.strip()
    if not name:
        raise StaffError("科室名称：请填写")
    if Department.objects.filter(agency=agency, name=name).exclude(pk=department.pk).exists():
        raise StaffError(f"科室名称：{agency.name}已有“{name}”")
    if not active and department.users.filter(is_active=True).exists():
        raise StaffError(f"状态：科室“{department.name}”还有启用中的用户，请先调整他们的科室")
    before = {"name": department.name, "is_active": department.is_active}
    department.name, department.is_active = name, active
    department.save(update_fields=["name", "is_active"])
    after = {"name": name, "is_active": active}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if changes:
        record(actor=actor, action=StaffAudit.DEPARTMENT_CHANGED, target=department, agency=agency, changes=changes)
    return department
