"""The applicant's side of a case: the messages sent to them, the one-time access codes of the
tracking page, and what they send back online (补正 materials, a payment proof)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.cases.choices import MessageChannel, MessageStatus, ReplyKind
from gongkai.cases.models.cases import Case
from gongkai.cases.models.steps import FeeNotice


class ApplicantMessage(models.Model):
    """One message (SMS or e-mail) to the applicant: created with the step it reports, sent after
    commit, retried with backoff while it fails (``gongkai remind``)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField("事由", max_length=40)
    channel = models.CharField("方式", max_length=8, choices=MessageChannel.choices)
    recipient = models.CharField("收件人", max_length=254)
    subject = models.CharField("标题", max_length=200, blank=True)
    text = models.TextField("内容")
    status = models.CharField(
        "状态", max_length=8, choices=MessageStatus.choices, default=MessageStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    provider_id = models.CharField("发送编号", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    next_attempt_at = models.DateTimeField("下次重试时间", null=True, blank=True)

    class Meta:
        verbose_name = "申请人通知"
        verbose_name_plural = "申请人通知"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_retry_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.kind}"


class AccessCode(models.Model):
    """A one-time code for the tracking page (6 digits, hashed, valid 10 minutes, few attempts)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="access_codes")
    code_hash = models.CharField("验证码摘要", max_length=128)
    channel = models.CharField("方式", max_length=8, choices=MessageChannel.choices)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "一次性验证码"
        verbose_name_plural = "一次性验证码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"验证码 {self.created_at:%Y-%m-%d %H:%M}"


class ContactCode(models.Model):
    """A one-time sign-in code of the optional applicant account, sent to a phone or e-mail on
    record (``cases.access``): keyed by the contact's hash, never the contact itself."""

    contact_hash = models.CharField("联系方式摘要", max_length=128, db_index=True)
    code_hash = models.CharField("验证码摘要", max_length=128)
    channel = models.CharField("方式", max_length=8, choices=MessageChannel.choices)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("失效时间")
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录验证码"
        verbose_name_plural = "登录验证码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"登录验证码 {self.created_at:%Y-%m-%d %H:%M}"


class ApplicantReply(models.Model):
    """What the applicant sent on the tracking page: 补正 materials or a payment proof."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="applicant_replies")
    kind = models.CharField("类型", max_length=16, choices=ReplyKind.choices)
    fee_notice = models.ForeignKey(
        FeeNotice, verbose_name="收费通知", null=True, blank=True, on_delete=models.PROTECT, related_name="proofs"
    )
    text = models.TextField("说明", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    client_ip = models.GenericIPAddressField("提交地址", null=True, blank=True)
    rejected_on = models.DateField("要求重新提交之日", null=True, blank=True)
    rejected_note = models.CharField("要求重新提交的原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "申请人提交"
        verbose_name_plural = "申请人提交"
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=ReplyKind.PAYMENT_PROOF, fee_notice__isnull=False)
                | Q(kind=ReplyKind.CORRECTION, fee_notice__isnull=True),
                name="reply_proof_has_notice",
            ),
            models.UniqueConstraint(
                fields=["fee_notice"],
                condition=Q(kind=ReplyKind.PAYMENT_PROOF, rejected_on__isnull=True),
                name="reply_one_live_proof_per_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.submitted_at:%Y-%m-%d}"


def reply_upload_path(instance: ApplicantFile, filename: str) -> str:
    return f"cases/replies/{instance.reply.case_id}/{instance.reply_id}/{filename}"


class ApplicantFile(models.Model):
    reply = models.ForeignKey(ApplicantReply, verbose_name="提交", on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=reply_upload_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100, blank=True)

    class Meta:
        verbose_name = "申请人上传文件"
        verbose_name_plural = "申请人上传文件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
