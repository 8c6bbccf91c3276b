"""People: each user belongs to one agency (and maybe a department) and has one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    """What a user does; decides what they may see and change (gongkai.accounts.scoping)."""

    OFFICER = "officer", "信息公开工作人员"
    CLERK = "clerk", "科室信息员"
    LEADER = "leader", "负责人"
    SUPERVISOR = "supervisor", "主管部门"
    MANAGER = "manager", "本机关管理员"
    ADMIN = "admin", "系统管理员"


#: Roles that work on their own agency's records (may write).
AGENCY_STAFF_ROLES = frozenset({Role.OFFICER, Role.CLERK, Role.LEADER})
#: Roles that manage their own agency's users and departments (``gongkai.accounts.staff``). A
#: 本机关管理员 is not agency staff: it neither reads nor writes the agency's cases, letters or
#: publications (``accounts.scoping``); give a person who also handles applications a second account.
MANAGER_ROLES = frozenset({Role.MANAGER})
#: The roles a 本机关管理员 may give (never 系统管理员 or 主管部门: those are the administrator's).
MANAGER_ASSIGNABLE_ROLES = frozenset({Role.OFFICER, Role.CLERK, Role.LEADER, Role.MANAGER})
#: Roles that approve extensions and sign off annual reports.
APPROVER_ROLES = frozenset({Role.LEADER})
#: Roles that see applicants' identity numbers unmasked, on a single case (docs/personal-data.md).
IDENTITY_ROLES = frozenset({Role.OFFICER, Role.LEADER})
#: Roles that see applicants' telephone numbers unmasked, on a single case they may read: the
#: staff who call the applicant back (a 科室信息员 only reaches its department's cases).
CONTACT_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.CLERK})
#: Roles that create and revoke their own agency's API clients (docs/api.md); a system
#: administrator manages every agency's.
API_CLIENT_MANAGER_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.MANAGER})


class User(AbstractUser):
    """A person using the back office. Citizens do not log in: they track with a code."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "agencies.Department",
        verbose_name="所属科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.CLERK)
    full_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            # Everyone but a system administrator works for an agency.
            models.CheckConstraint(condition=Q(role=Role.ADMIN) | Q(agency__isnull=False), name="user_agency_required"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def is_system_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles
