"""Letters sent in 依申请公开 cases, their numbering, per-agency letter settings, and the
administrator's overrides of the shipped wording (``gongkai/core/letters/templates.toml``).

Data and invariants only; letters are made by ``gongkai.letters.services.generate_letter``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.choices import text_choices
from gongkai.core.letters import LetterTemplateError, LetterType, check_template, template_keys, template_label
from gongkai.core.letters.service import ServiceMethod

LetterTypeChoices = text_choices("LetterTypeChoices", LetterType)
ServiceMethodChoices = text_choices("ServiceMethodChoices", ServiceMethod)
TEMPLATE_KEY_CHOICES = [(key, f"{template_label(key)}（{key}）") for key in template_keys()]


def seal_path(instance: LetterSettings, filename: str) -> str:
    """ASCII storage path: letters/<agency id>/seal.<ext> (the extension was checked on upload)."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"letters/{instance.agency_id}/seal.{ext}"


class LetterSettings(models.Model):
    """What an agency's letters need that the agency record does not hold."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="letter_settings"
    )
    number_prefix = models.CharField(
        "发文机关代字",
        max_length=40,
        blank=True,
        help_text="发文字号“X〔2026〕12号”中的X；空白时用机构简称加“信息公开”",
    )
    reconsideration_body = models.CharField(
        "行政复议机关",
        max_length=120,
        blank=True,
        help_text="答复书告知的行政复议机关；空白时用上级机构（行政复议法第二十四条的一般情形，请核对）",
    )
    court_name = models.CharField("人民法院", max_length=120, blank=True, help_text="答复书告知的有管辖权的人民法院")
    payment_instructions = models.TextField("信息处理费缴纳方式", blank=True, help_text="收费通知中的缴纳方式、途径")
    seal_image = models.FileField(
        "印章图片",
        upload_to=seal_path,
        max_length=255,
        blank=True,
        help_text="PNG 或 JPG，不超过 1 MB，宜为透明底的红色印章；PDF 文书将其盖在成文日期上",
    )
    # --- How the applicant pays the 信息处理费 (shown on the tracking page with the 收费通知) ---
    payment_code = models.CharField(
        "非税收入执收单位编码／缴款码", max_length=60, blank=True, help_text="非税收入统一缴款的编码或缴款识别码"
    )
    payee_name = models.CharField("收款单位户名", max_length=120, blank=True)
    payee_bank = models.CharField("开户银行", max_length=120, blank=True)
    payee_account = models.CharField("银行账号", max_length=60, blank=True)
    # --- end of payment fields ---
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"{self.agency} 文书设置"


class LetterQuerySet(models.QuerySet["Letter"]):
    def visible_to(self, user: Any) -> LetterQuerySet:
        """Letters of the cases ``user`` may read (``Case.objects.visible_to``)."""
        from gongkai.cases.models import Case

        return self.filter(case__in=Case.objects.visible_to(user))


def letter_path(instance: Letter, filename: str) -> str:
    """ASCII storage path: letters/<agency id>/<year>/<sequence>-<kind>.docx."""
    return f"letters/{instance.agency_id}/{instance.year}/{instance.sequence:05d}-{instance.kind}.docx"


class Letter(models.Model):
    """A letter as issued: its number, date, the .docx file and its plain text."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="发文机关", on_delete=models.PROTECT, related_name="letters"
    )
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("文书类型", max_length=64, choices=LetterTypeChoices.choices)
    year = models.PositiveSmallIntegerField("编号年份")
    sequence = models.PositiveIntegerField("编号序号")
    number = models.CharField("发文字号", max_length=80)
    issued_on = models.DateField("成文日期")
    file = models.FileField("文件", upload_to=letter_path, max_length=255)
    text = models.TextField("文书全文")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("制作时间", default=timezone.now)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "sequence"], name="letter_sequence_unique"),
            models.UniqueConstraint(fields=["agency", "number"], name="letter_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=[t.value for t in LetterType]), name="letter_kind_valid"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="letter_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.kind_enum.label}"

    @property
    def kind_enum(self) -> LetterType:
        return LetterType(self.kind)

    @property
    def download_name(self) -> str:
        return f"{self.number}{self.kind_enum.label}.docx".replace("/", "／")


def proof_path(instance: Delivery, filename: str) -> str:
    """ASCII storage path: letters/<agency id>/<year>/<sequence>-proof.<ext> (storage adds a suffix to repeats)."""
    letter = instance.letter
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"letters/{letter.agency_id}/{letter.year}/{letter.sequence:05d}-proof.{ext}"


class Delivery(models.Model):
    """One 送达 of a letter: method, dates, proof and who recorded it (rules: ``core.letters.service``).

    A letter may have several (an EMS that came back, then 直接送达); it is served once one of
    them has a date of receipt. An applicant's download from the tracking page is an electronic
    送达 recorded by the system (``recorded_by`` empty, ``downloaded_at`` and ``client_address``).
    """

    letter = models.ForeignKey(Letter, verbose_name="文书", on_delete=models.PROTECT, related_name="deliveries")
    method = models.CharField("送达方式", max_length=20, choices=ServiceMethodChoices.choices)
    sent_on = models.DateField("发出日期")
    received_on = models.DateField("送达日期", null=True, blank=True, help_text="申请人签收或下载之日")
    tracking_number = models.CharField("邮件号码", max_length=40, blank=True)
    consent = models.BooleanField("申请人同意电子送达", default=False)
    proof = models.FileField("送达凭证", upload_to=proof_path, max_length=255, blank=True)
    proof_name = models.CharField("凭证文件名", max_length=200, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    downloaded_at = models.DateTimeField("下载时间", null=True, blank=True)
    client_address = models.GenericIPAddressField("下载地址", null=True, blank=True)
    download_count = models.PositiveIntegerField("下载次数", default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["letter", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in ServiceMethod]), name="delivery_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=models.F("sent_on")),
                name="delivery_received_after_sent",
            ),
            models.CheckConstraint(
                condition=~Q(method=ServiceMethod.POST.value) | ~Q(tracking_number=""),
                name="delivery_post_has_tracking_number",
            ),
            models.CheckConstraint(
                condition=~Q(method=ServiceMethod.ELECTRONIC.value) | Q(consent=True),
                name="delivery_electronic_has_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter.number} {self.method_enum.label}"

    @property
    def method_enum(self) -> ServiceMethod:
        return ServiceMethod(self.method)


class LetterTemplateOverride(models.Model):
    """An administrator's wording for one template piece, used instead of the shipped text."""

    key = models.CharField("模板", max_length=80, unique=True, choices=TEMPLATE_KEY_CHOICES)
    text = models.TextField("文字", help_text="占位符写作 {applicant_name}；可用字段见下方说明")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "文书模板（自定义文字）"
        verbose_name_plural = "文书模板（自定义文字）"
        ordering = ["key"]

    def __str__(self) -> str:
        return template_label(self.key)

    def clean(self) -> None:
        """The text must pass the core's check: known placeholders only, required ones kept."""
        try:
            check_template(self.key, self.text)
        except LetterTemplateError as exc:
            raise ValidationError({"text": str(exc)}) from None


def template_overrides() -> dict[str, str]:
    """The stored overrides, key → text, as ``render_letter(overrides=…)`` takes them."""
    return dict(LetterTemplateOverride.objects.values_list("key", "text"))
