"""Records of the work a report describes (section 一(五)(六)(七) and 五): who does it, the training,
the self-inspections, the accountability cases (问责), the yearly check of the public contact phone
and the 政府信息公开指南.

国办公开办函〔2021〕30号 lists what section 一 reports (组织机构、平台建设、教育培训、监督保障); the
first draft of the narrative states these records as facts (``reports.narrative.first_draft``).
Each row belongs to one agency; the year of a dated row is the year of its date.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from gongkai.accounts.scoping import AgencyScopedQuerySet

_W = TypeVar("_W", bound="WorkRecord")


class WorkRecordQuerySet(AgencyScopedQuerySet[_W]):
    def for_year(self, year: int) -> WorkRecordQuerySet[_W]:
        return self.filter(on__year=year)


class WorkRecord(models.Model):
    """Common fields: the agency, the date, who entered it."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects: Any

    class Meta:
        abstract = True
        ordering = ["on", "pk"]


class TrainingSession(WorkRecord):
    """A training session on 政府信息公开 work (section 一(六) 教育培训情况)."""

    topic = models.CharField("培训内容", max_length=200)
    attendees = models.PositiveIntegerField("参训人数", validators=[MaxValueValidator(100_000)])

    objects = WorkRecordQuerySet["TrainingSession"].as_manager()

    class Meta(WorkRecord.Meta):
        verbose_name = "培训"
        verbose_name_plural = "培训"

    def __str__(self) -> str:
        return f"{self.on} {self.topic}"


class SelfInspection(WorkRecord):
    """A self-inspection (自查) and what it found (section 一(七) 监督保障; section 五 问题)."""

    scope = models.CharField("自查内容", max_length=200)
    findings = models.TextField("发现的问题", max_length=2000, blank=True, help_text="空白表示未发现问题")
    rectified = models.BooleanField("已整改", default=False)

    objects = WorkRecordQuerySet["SelfInspection"].as_manager()

    class Meta(WorkRecord.Meta):
        verbose_name = "自查"
        verbose_name_plural = "自查"

    def __str__(self) -> str:
        return f"{self.on} {self.scope}"


class AccountabilityCase(WorkRecord):
    """A 问责 (责任追究) for 政府信息公开 work (条例 art 53; section 一(七))."""

    subject = models.CharField("问责事由", max_length=200)
    measure = models.CharField("问责方式", max_length=100, help_text="如：约谈、通报批评、诫勉")
    persons = models.PositiveIntegerField("涉及人数", default=1, validators=[MinValueValidator(1)])

    objects = WorkRecordQuerySet["AccountabilityCase"].as_manager()

    class Meta(WorkRecord.Meta):
        verbose_name = "问责"
        verbose_name_plural = "问责"

    def __str__(self) -> str:
        return f"{self.on} {self.subject}"


class ContactCheckKind(models.TextChoices):
    PHONE = "phone", "对外联系电话"
    GUIDE = "guide", "政府信息公开指南"


class ContactCheck(WorkRecord):
    """The yearly check of the public contact phone and of the 政府信息公开指南 (条例 arts 12, 20)."""

    kind = models.CharField("检查对象", max_length=8, choices=ContactCheckKind.choices)
    result = models.CharField("检查结果", max_length=300)
    ok = models.BooleanField("畅通/准确", default=True)

    objects = WorkRecordQuerySet["ContactCheck"].as_manager()

    class Meta(WorkRecord.Meta):
        verbose_name = "联系电话和指南检查"
        verbose_name_plural = "联系电话和指南检查"

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class StaffMember(WorkRecord):
    """One person on the 政府信息公开 staff roster (section 一(五)); ``on`` is the start date."""

    name = models.CharField("姓名", max_length=40)
    post = models.CharField("岗位", max_length=60)
    full_time = models.BooleanField("专职", default=False)
    left_on = models.DateField("离岗日期", null=True, blank=True)

    objects = WorkRecordQuerySet["StaffMember"].as_manager()

    class Meta(WorkRecord.Meta):
        verbose_name = "信息公开工作人员"
        verbose_name_plural = "信息公开工作人员"
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("on")), name="staff_left_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"
