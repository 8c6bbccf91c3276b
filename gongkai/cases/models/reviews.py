"""行政复议 and 行政诉讼 about the agency's 政府信息公开 work (table 四)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.cases.choices import ReviewKindChoices, ReviewResultChoices
from gongkai.cases.models.cases import Case, enum_values
from gongkai.core.report.taxonomy import ReviewKind, ReviewResult


class ReviewQuerySet(AgencyScopedQuerySet["Review"]):
    def visible_to(self, user: Any) -> ReviewQuerySet:
        """The agency scope, narrowed for a 科室信息员 as for cases.

        A clerk sees the reviews of the cases they may read and those they recorded themselves;
        not the agency's other reviews, which name other departments' applicants.
        """
        qs = super().visible_to(user)
        if user is not None and user.is_authenticated and user.role == Role.CLERK:
            qs = qs.filter(Q(case__in=Case.objects.visible_to(user)) | Q(case__isnull=True, recorded_by=user))
        return qs  # type: ignore[return-value]

    def pending(self) -> ReviewQuerySet:
        return self.filter(result=ReviewResult.PENDING)


class Review(models.Model):
    """A 行政复议 or 行政诉讼 about the agency's 政府信息公开 work (table 四), linked to a case or not."""

    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="被申请／被诉机关",
        on_delete=models.PROTECT,
        related_name="reviews",
        db_index=True,
    )
    case = models.ForeignKey(
        Case, verbose_name="相关案件", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField("类别", max_length=40, choices=ReviewKindChoices.choices, db_index=True)
    filed_on = models.DateField("申请／起诉日期", db_index=True)
    body = models.CharField("复议机关／法院", max_length=200)
    case_number = models.CharField("案号", max_length=100, blank=True)
    applicant_name = models.CharField("申请人／原告", max_length=200, blank=True)
    subject = models.TextField("事由", blank=True)
    result = models.CharField(
        "结果", max_length=16, choices=ReviewResultChoices.choices, default=ReviewResult.PENDING, db_index=True
    )
    concluded_on = models.DateField("审结日期", null=True, blank=True, db_index=True)
    # The dates that start the agency's own deadlines (gongkai.core.review_deadlines)
    copy_received_on = models.DateField(
        "收到申请书／起诉状副本日期",
        null=True,
        blank=True,
        help_text="复议：收到行政复议申请书副本之日；诉讼：收到起诉状副本之日",
    )
    accepted_on = models.DateField(
        "复议受理日期", null=True, blank=True, help_text="复议机关受理申请之日（复议决定期限起算）"
    )
    decision_extended = models.BooleanField("复议机关已延长审理期限", default=False)
    simplified = models.BooleanField("适用简易程序", default=False, help_text="《行政复议法》（2023年修订）第五十三条")
    answered_on = models.DateField("提交书面答复／答辩状日期", null=True, blank=True)
    result_note = models.TextField("结果说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = "行政复议／行政诉讼"
        verbose_name_plural = "行政复议／行政诉讼"
        ordering = ["-filed_on", "-id"]
        indexes = [
            # Covers table 四 (cases.figures.table4_rows) and its roll-up: an index-only scan.
            models.Index(fields=["agency", "filed_on", "concluded_on", "kind", "result"], name="review_report_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(result=ReviewResult.PENDING) & Q(concluded_on__isnull=True))
                | (~Q(result=ReviewResult.PENDING) & Q(concluded_on__isnull=False)),
                name="review_concluded_iff_result",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("filed_on")),
                name="review_concluded_after_filed",
            ),
            models.CheckConstraint(condition=Q(result__in=enum_values(ReviewResult)), name="review_result_valid"),
            models.CheckConstraint(
                condition=Q(copy_received_on__isnull=True) | Q(copy_received_on__gte=F("filed_on")),
                name="review_copy_after_filed",
            ),
            models.CheckConstraint(condition=Q(kind__in=enum_values(ReviewKind)), name="review_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_number or self.filed_on}"

    @property
    def is_pending(self) -> bool:
        return self.result == ReviewResult.PENDING
