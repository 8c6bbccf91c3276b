"""Agencies (行政机关) in a tree, and their departments (科室)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from gongkai.core.report.due_dates import MonthDay


def validate_month_day(value: str) -> None:
    """A report due date as 月-日 (e.g. 2-28): ``core.report.due_dates.MonthDay``."""
    if not value:
        return
    try:
        MonthDay.parse(value)
    except ValueError as exc:
        raise ValidationError(f"年度报告发布期限应为“月-日”，如 2-28：{value}") from exc


class AgencyLevel(models.TextChoices):
    """Administrative level of an agency."""

    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "区县级"
    TOWNSHIP = "township", "乡镇街道"
    DEPARTMENT = "department", "部门"


class AgencyQuerySet(models.QuerySet["Agency"]):
    def subtree_of(self, agency: Agency) -> AgencyQuerySet:
        """The agency and every agency below it (materialised path prefix)."""
        return self.filter(path__startswith=agency.path)

    def active(self) -> AgencyQuerySet:
        return self.filter(is_active=True)


class Agency(models.Model):
    """A 行政机关 that runs its own 政府信息公开 work and publishes its own annual report.

    ``path`` is the materialised path of ids ("/1/4/9/") kept by ``agencies.services``, so that
    "everything a supervisor oversees" is one indexed prefix filter.
    """

    code = models.CharField("机构代码", max_length=32, unique=True, help_text="统一社会信用代码或本系统内的机构编码")
    name = models.CharField("机构全称", max_length=120, unique=True)
    short_name = models.CharField("简称", max_length=60, blank=True)
    level = models.CharField("层级", max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级机构", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, editable=False, db_index=True)
    is_active = models.BooleanField("启用", default=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    report_due = models.CharField(
        "年度报告发布期限",
        max_length=8,
        blank=True,
        validators=[validate_month_day],
        help_text=(
            "乡镇、街道：上级人民政府规定的次年发布期限（月-日，如 2-28）；空白为1月31日。"
            "县级以上人民政府及其部门按《政府信息公开条例》第四十九条（1月31日／3月31日），此项不适用。"
        ),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="agency_code_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="agency_name_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    @property
    def report_due_setting(self) -> MonthDay | None:
        """The due date the supervising government set (``report_due``), or None (条例 art 49's)."""
        try:
            return MonthDay.parse(self.report_due) if self.report_due else None
        except ValueError:
            return None

    def is_within(self, other: Agency) -> bool:
        """True when this agency is ``other`` or below it."""
        return self.path.startswith(other.path)


class Department(models.Model):
    """A 科室 inside an agency; clerks belong to one and cases are routed to one."""

    agency = models.ForeignKey(Agency, verbose_name="机构", on_delete=models.PROTECT, related_name="departments")
    name = models.CharField("科室名称", max_length=60)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "科室"
        verbose_name_plural = "科室"
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="department_unique_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.name} · {self.name}"


class SequenceKind(models.TextChoices):
    """The numbers an agency gives out, each counted per year from 1."""

    CASE = "case", "案件编号"
    LETTER = "letter", "发文字号"
    INDEX = "index", "索引号"


class NumberSequence(models.Model):
    """The last number of one kind given by an agency in a year (``agencies.sequences.allocate``)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("编号种类", max_length=16, choices=SequenceKind.choices)
    year = models.PositiveSmallIntegerField("年份")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "year"], name="number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.year}: {self.last}"
