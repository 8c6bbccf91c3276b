"""The records of a case's statutory steps: 征求意见, 延长答复期限, 收费通知 (条例 arts 32–34, 42)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from gongkai.cases.choices import ConsultedPartyChoices, ExtensionDecision, FeeMethodChoices
from gongkai.cases.models.cases import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, Case
from gongkai.core.fees import FeeMethod


class Consultation(models.Model):
    """A 征求意见 of a third party (条例 art 32) or another agency (art 34); its days are not counted."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="consultations")
    party = models.CharField("被征求意见方", max_length=16, choices=ConsultedPartyChoices.choices)
    party_name = models.CharField("名称", max_length=200)
    matter = models.TextField("征求意见事项", blank=True)
    sent_on = models.DateField("发出征求意见书之日")
    reply_due_on = models.DateField("答复期限")
    ended_on = models.DateField("征求意见结束之日", null=True, blank=True)
    replied_on = models.DateField("收到意见之日", null=True, blank=True)
    consents = models.BooleanField("同意公开", null=True, blank=True)
    opinion = models.TextField("意见", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["sent_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="consultation_one_open_per_case"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("sent_on")), name="consultation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | (Q(ended_on__isnull=False) & Q(replied_on__gte=F("sent_on"))),
                name="consultation_reply_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"征求{self.get_party_display()}意见：{self.party_name}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class Extension(models.Model):
    """A request to extend the answer period, decided by the 工作机构负责人 (条例 art 33 ¶2)."""

    MAX_DAYS = 20  # mirrored by the CheckConstraint; the rule itself is gongkai.core.deadlines

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField("延长工作日数")
    reason = models.TextField("理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_on = models.DateField("申请日期")
    decision = models.CharField(
        "审批", max_length=16, choices=ExtensionDecision.choices, default=ExtensionDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    notified_on = models.DateField("告知申请人之日", null=True, blank=True)

    class Meta:
        verbose_name = "延长答复期限"
        verbose_name_plural = "延长答复期限"
        ordering = ["requested_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1) & Q(days__lte=20), name="extension_days_1_to_20"),
            models.CheckConstraint(
                condition=(Q(decision=ExtensionDecision.PENDING) & Q(decided_on__isnull=True))
                | (~Q(decision=ExtensionDecision.PENDING) & Q(decided_on__isnull=False)),
                name="extension_decided_iff_date",
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True) | Q(decision=ExtensionDecision.APPROVED),
                name="extension_notified_only_if_approved",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision=ExtensionDecision.APPROVED),
                name="extension_one_approved_per_case",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision=ExtensionDecision.PENDING), name="extension_one_pending_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"延长{self.days}个工作日（{self.get_decision_display()}）"


class FeeNotice(models.Model):
    """A 收费通知 (国办函〔2020〕109号): amount and tier breakdown from ``gongkai.core.fees``."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="fee_notices")
    method = models.CharField("计收方式", max_length=16, choices=FeeMethodChoices.choices)
    pieces = models.PositiveIntegerField("本次件数", null=True, blank=True)
    earlier_pieces = models.PositiveIntegerField("本月此前件数", default=0)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    amount = models.PositiveIntegerField("收费金额（元）")
    breakdown = models.JSONField("计费明细", default=list, blank=True)
    notified_on = models.DateField("发出收费通知之日")
    #: The 送达 of the notice; the payment period runs from it (core.notice_periods), till then 暂定.
    served_on = models.DateField("申请人收到收费通知之日", null=True, blank=True)
    payment_due_on = models.DateField("缴费期限")
    paid_on = models.DateField("缴费日期", null=True, blank=True)
    amount_collected = models.DecimalField(
        "实收金额（元）", max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, null=True, blank=True
    )
    lapsed_on = models.DateField("逾期未缴费处理日", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "收费通知"
        verbose_name_plural = "收费通知"
        ordering = ["notified_on", "id"]
        constraints = [
            # One method per application, never both (国办函〔2020〕109号 art 3).
            models.CheckConstraint(
                condition=(Q(method=FeeMethod.BY_PIECE) & Q(pieces__isnull=False) & Q(pages__isnull=True))
                | (
                    Q(method=FeeMethod.BY_VOLUME)
                    & Q(pages__isnull=False)
                    & Q(pieces__isnull=True)
                    & Q(earlier_pieces=0)
                ),
                name="fee_one_method",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(lapsed_on__isnull=True), name="fee_paid_or_lapsed"
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=F("notified_on")), name="fee_paid_after_notice"
            ),
            models.CheckConstraint(
                condition=Q(amount_collected__isnull=True) | Q(paid_on__isnull=False), name="fee_collected_when_paid"
            ),
        ]

    def __str__(self) -> str:
        return f"收费通知 {self.amount}元"

    @property
    def is_open(self) -> bool:
        return self.paid_on is None and self.lapsed_on is None
