"""The application and its timeline: ``Case``, its number counter, ``CaseEvent``."""

from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.cases.choices import (
    ApplicantTypeChoices,
    CaseChannel,
    CaseEventKind,
    CaseOutcome,
    CaseStatus,
    DeliveryMethod,
    IdentityDocument,
    ProvisionForm,
)
from gongkai.core.case_flow import CLOCK_NOT_STARTED_STATUSES, CLOCK_PAUSED_STATUSES, OPEN_STATUSES, Status
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gongkai.accounts.models import User

# Without 0/O/1/I/L: a citizen reads the code off paper and types it in.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_GROUPS = 3
TRACKING_GROUP_LEN = 4


def new_tracking_code() -> str:
    """A random code for the citizen portal, e.g. "7H3K-9QXM-2PRT" (about 59 bits)."""
    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_GROUPS * TRACKING_GROUP_LEN))
    return "-".join(chars[i : i + TRACKING_GROUP_LEN] for i in range(0, len(chars), TRACKING_GROUP_LEN))


def normalise_tracking_code(code: str) -> str | None:
    """The stored form of a typed code (any case, spaces or dashes), or None if it cannot be one."""
    chars = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(chars) != TRACKING_GROUPS * TRACKING_GROUP_LEN or any(ch not in TRACKING_ALPHABET for ch in chars):
        return None
    return "-".join(chars[i : i + TRACKING_GROUP_LEN] for i in range(0, len(chars), TRACKING_GROUP_LEN))


def enum_values(members: Any) -> list[str]:
    """The stored values of enum members, for ``CheckConstraint``s."""
    return [m.value for m in members]


OPEN_STATUS_VALUES = enum_values(OPEN_STATUSES)

#: Most 件 one application may count: ``Case.pieces`` is a small integer, and the fee by piece
#: (``gongkai.core.fees.fee_by_piece``) walks the tiers one by one, so an absurd count would hang it.
MAX_PIECES = 9999
#: Most pages one fee notice may charge for: keeps ``FeeNotice.amount`` inside its integer column.
MAX_PAGES = 1_000_000
#: ``FeeNotice.amount_collected``: at most 10 digits, 2 after the point.
AMOUNT_MAX_DIGITS, AMOUNT_DECIMAL_PLACES = 10, 2
#: Open cases whose answer clock runs: not waiting for confirmation or 补正, not paused.
RUNNING_STATUS_VALUES = enum_values(OPEN_STATUSES - CLOCK_NOT_STARTED_STATUSES - CLOCK_PAUSED_STATUSES)


class CaseQuerySet(AgencyScopedQuerySet["Case"]):
    """Reads of cases. Every list, export and API starts from :meth:`visible_to`."""

    def visible_to(self, user: Any) -> CaseQuerySet:
        """The cases ``user`` may read: the agency scope, narrowed for a 科室信息员.

        A clerk sees the cases routed to their department and those they registered themselves;
        everyone else sees every case of the agencies ``accounts.scoping`` lets them read.
        """
        qs = super().visible_to(user)
        if user is not None and user.is_authenticated and user.role == Role.CLERK:
            qs = qs.filter(Q(department_id=user.department_id, department__isnull=False) | Q(registered_by=user))
        return qs  # type: ignore[return-value]

    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUS_VALUES)

    def closed(self) -> CaseQuerySet:
        return self.filter(status=Status.CLOSED)

    def running(self) -> CaseQuerySet:
        """Open cases whose answer clock is running (条例 art 33): due dates that can run out."""
        return self.filter(status__in=RUNNING_STATUS_VALUES, due_on__isnull=False)

    def overdue(self, *, on: date) -> CaseQuerySet:
        return self.running().filter(due_on__lt=on)

    def due_between(self, first: date, last: date) -> CaseQuerySet:
        """Running cases due from ``first`` to ``last`` inclusive."""
        return self.running().filter(due_on__gte=first, due_on__lte=last)

    def by_tracking_code(self, code: str) -> Case | None:
        """The case with this portal tracking code, or None. Not scoped: the code is the secret.

        The portal shows a case found this way to whoever holds the code, so it must show only
        what the applicant may see (status, dates), never another applicant's data.
        """
        normal = normalise_tracking_code(code)
        if normal is None:
            return None
        return self.filter(tracking_code=normal).select_related("agency").first()


def user_may_read_case(user: User | AnonymousUser | None, case: Case) -> bool:
    """Python twin of :meth:`CaseQuerySet.visible_to` for one loaded case (no query for staff)."""
    from gongkai.accounts.scoping import visible_agencies

    if user is None or not user.is_authenticated or user.role == Role.MANAGER:
        return False
    if user.role == Role.CLERK:
        in_scope = (case.department_id is not None and case.department_id == user.department_id) or (
            case.registered_by_id == user.pk
        )
        return in_scope and case.agency_id == user.agency_id
    if user.role in (Role.OFFICER, Role.LEADER):
        return case.agency_id == user.agency_id
    return visible_agencies(user).filter(pk=case.agency_id).exists()


class Case(models.Model):
    """One 政府信息公开申请 and how it was handled."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="受理机关", on_delete=models.PROTECT, related_name="cases", db_index=False
    )  # every agency-scoped query is served by an index that starts with agency (Meta.indexes)
    number = models.CharField("案件编号", max_length=80)
    year = models.PositiveSmallIntegerField("编号年份")
    sequence = models.PositiveIntegerField("编号序号")
    department = models.ForeignKey(
        "agencies.Department",
        verbose_name="承办科室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_cases",
    )

    # Applicant (条例 art 29 ¶2(一))
    applicant_type = models.CharField("申请人类型", max_length=32, choices=ApplicantTypeChoices.choices)
    applicant_name = models.CharField("申请人姓名／名称", max_length=200)
    id_type = models.CharField(
        "身份证明类型", max_length=32, choices=IdentityDocument.choices, default=IdentityDocument.RESIDENT_ID
    )
    id_number = models.CharField("身份证明号码", max_length=64, blank=True)
    applicant_key = models.CharField(
        "申请人识别码",
        max_length=120,
        blank=True,
        help_text="规范化的证件号码（或名称＋电话），用于识别同一申请人（重复申请、按月计件）",
    )
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postal_code = models.CharField("邮政编码", max_length=10, blank=True)
    org_credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人／负责人", max_length=60, blank=True)
    contact_person = models.CharField("联系人", max_length=60, blank=True)

    # What is requested (条例 art 29 ¶2(二)(三))
    request_description = models.TextField("所需信息的名称或特征性描述")
    document_number = models.CharField("文号", max_length=200, blank=True)
    provision_form = models.CharField(
        "信息的指定提供形式", max_length=16, choices=ProvisionForm.choices, default=ProvisionForm.PAPER
    )
    delivery_method = models.CharField(
        "获取信息的方式", max_length=16, choices=DeliveryMethod.choices, default=DeliveryMethod.POST
    )
    pieces = models.PositiveSmallIntegerField(
        "件数", default=1, help_text="按“一事一申请”拆分后的件数（信息处理费按件计收）"
    )

    # Receipt (条例 art 31)
    channel = models.CharField("提交方式", max_length=16, choices=CaseChannel.choices)
    submitted_at = models.DateTimeField("提交时间")
    client_ip = models.GenericIPAddressField("提交地址", null=True, blank=True)
    received_on = models.DateField("收到申请之日", null=True, blank=True)

    # Handling
    status = models.CharField("状态", max_length=32, choices=CaseStatus.choices)
    # NULL, not "": "no outcome yet" must be distinct for the closed ⇔ outcome constraint.
    outcome = models.CharField(  # noqa: DJ001
        "办理结果",
        max_length=40,
        choices=CaseOutcome.choices,
        null=True,
        blank=True,
    )
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closing_note = models.TextField("答复说明", blank=True)
    answered_on_the_spot = models.BooleanField("当场答复", default=False)

    # The clock (computed by gongkai.core.deadlines, stored so that lists need no calendar)
    due_on = models.DateField("答复期限", null=True, blank=True)
    due_is_provisional = models.BooleanField("答复期限为暂定", default=False)
    due_note = models.CharField("期限说明", max_length=200, blank=True)

    # 补正 (条例 art 30): one notice per application
    correction_requested_on = models.DateField("补正告知日", null=True, blank=True)
    correction_reply_by = models.DateField("补正期限", null=True, blank=True)
    #: The applicant received the 补正告知 (its 送达); the 补正期限 runs from it (core.notice_periods).
    correction_served_on = models.DateField("申请人收到补正告知之日", null=True, blank=True)
    correction_items = models.TextField("需要补正的事项", blank=True)
    correction_received_on = models.DateField("收到补正之日", null=True, blank=True)

    # 延迟答复 (条例 art 35)
    delay_decided_on = models.DateField("延迟答复决定日", null=True, blank=True)
    delayed_due_on = models.DateField("延迟答复期限", null=True, blank=True)
    delay_reason = models.TextField("延迟答复理由", blank=True)

    tracking_code = models.CharField("查询码", max_length=20, default=new_tracking_code, editable=False)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "依申请公开案件"
        verbose_name_plural = "依申请公开案件"
        ordering = ["-year", "-sequence"]
        # Each index is here for a query that uses it (issue 19 review; bench/report_compute.py shows
        # the plans). No single-column index on a column that only ever appears after agency_id:
        # the agency-first indexes below serve those, and every index slows each write.
        # The foreign keys department, assigned_to and registered_by keep Django's own index: the
        # clerk's scope (department_id = … OR registered_by_id = …, CaseQuerySet.visible_to), an
        # officer's own cases (panels: assigned_to = …), and the PROTECT check when a user or a
        # department is deleted.
        indexes = [
            # The desk: an agency's running cases by due date (selectors.due_soon, open_counts).
            models.Index(fields=["agency", "status", "due_on"], name="case_desk_idx"),
            # The open cases alone (a few thousand of a province's millions): the desk's due-soon
            # counts and ranking, its department loads and the home panel's counts (selectors
            # most_urgent, department_loads, open_counts) read this small index only (PostgreSQL:
            # index-only, with the columns they group and rank by included).
            models.Index(
                fields=["agency", "due_on"],
                include=["status", "department", "id"],
                condition=~Q(status=Status.CLOSED),
                name="case_open_idx",
            ),
            # Every agency's open cases: the reminder run (reminders.collect: running, due_on ≤ T+2)
            # and the calendar reload (due_dates.recompute_due_dates: all open cases).
            models.Index(fields=["status", "due_on"], name="case_open_due_idx"),
            # Closed cases of an agency since a day (publications.suggestions.candidate_cases).
            models.Index(fields=["agency", "closed_on"], name="case_closed_idx"),
            # Covers table 三 (cases.figures.table3_rows) and the supervisors' roll-up: an index-only
            # scan on PostgreSQL after VACUUM, counting agency_id (in the index), not id. Its prefix
            # (agency, received_on) serves the ledger's and the report's received-in-a-period reads.
            models.Index(
                fields=["agency", "received_on", "closed_on", "applicant_type", "outcome"], name="case_report_idx"
            ),
            # One applicant's applications to an agency: repeats (selectors 重复申请) and the monthly
            # piece count of the fee (按件计收).
            models.Index(fields=["agency", "applicant_key", "received_on"], name="case_applicant_idx"),
        ]
        constraints = [
            # The applicant's lookup by 查询码 (CaseQuerySet.by_tracking_code): equality only, so a
            # constraint (one index) rather than unique=True (which adds a LIKE index on PostgreSQL).
            models.UniqueConstraint(fields=["tracking_code"], name="case_tracking_code_unique"),
            # The case list's order (-year, -sequence) within an agency, and numbering.
            models.UniqueConstraint(fields=["agency", "year", "sequence"], name="case_sequence_unique"),
            models.UniqueConstraint(fields=["agency", "number"], name="case_number_unique"),
            models.CheckConstraint(condition=Q(status__in=enum_values(Status)), name="case_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=enum_values(Channel)), name="case_channel_valid"),
            models.CheckConstraint(
                condition=Q(applicant_type__in=enum_values(ApplicantType)), name="case_applicant_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome__isnull=True) | Q(outcome__in=enum_values(Outcome)), name="case_outcome_valid"
            ),
            # Closed ⇔ exactly one statutory outcome and a closing date.
            models.CheckConstraint(
                condition=(Q(status=Status.CLOSED) & Q(outcome__isnull=False) & Q(closed_on__isnull=False))
                | (~Q(status=Status.CLOSED) & Q(outcome__isnull=True) & Q(closed_on__isnull=True)),
                name="case_closed_iff_outcome",
            ),
            # Only an application never confirmed (art 31) has no receipt date.
            models.CheckConstraint(
                condition=Q(received_on__isnull=False) | Q(status__in=[Status.AWAITING_CONFIRMATION, Status.CLOSED]),
                name="case_received_when_registered",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(received_on__isnull=True) | Q(closed_on__gte=F("received_on")),
                name="case_closed_after_received",
            ),
            models.CheckConstraint(
                condition=Q(correction_received_on__isnull=True)
                | (
                    Q(correction_requested_on__isnull=False)
                    & Q(correction_received_on__gte=F("correction_requested_on"))
                ),
                name="case_correction_after_request",
            ),
            models.CheckConstraint(
                condition=Q(answered_on_the_spot=False) | (Q(status=Status.CLOSED) & Q(closed_on=F("received_on"))),
                name="case_on_the_spot_same_day",
            ),
            models.CheckConstraint(condition=Q(pieces__gte=1), name="case_pieces_positive"),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def channel_enum(self) -> Channel:
        return Channel(self.channel)

    @property
    def outcome_enum(self) -> Outcome | None:
        return Outcome(self.outcome) if self.outcome else None

    @property
    def applicant_type_enum(self) -> ApplicantType:
        return ApplicantType(self.applicant_type)

    @property
    def is_open(self) -> bool:
        return self.status_enum.is_open

    @property
    def clock_running(self) -> bool:
        """The answer clock runs (not waiting for confirmation or 补正, not paused): as ``running()``."""
        return self.status in RUNNING_STATUS_VALUES

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type_enum.is_organisation


class CaseEvent(models.Model):
    """One entry of a case's timeline: a core event (transition) or a note, with its date and actor."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事项", max_length=40, choices=CaseEventKind.choices)
    on = models.DateField("日期")
    at = models.DateTimeField("记录时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    status_before = models.CharField("原状态", max_length=32, choices=CaseStatus.choices, blank=True)
    status_after = models.CharField("新状态", max_length=32, choices=CaseStatus.choices, blank=True)
    payload = models.JSONField("内容", default=dict, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "案件事项"
        verbose_name_plural = "案件事项"
        ordering = ["on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"
