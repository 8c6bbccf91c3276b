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
from gongkai.core.approval import ChainRule, DraftEvent, DraftStatus, Signer, Subject
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


# ---------------------------------------------------------------------------------------------
# 签批: the agency's chain policy, who holds which approving office, drafts and their history
# (rules: ``gongkai.core.approval``; services: ``gongkai.letters.approvals``)
# ---------------------------------------------------------------------------------------------

SubjectChoices = text_choices("SubjectChoices", Subject)
SignerChoices = text_choices("SignerChoices", Signer)
DraftStatusChoices = text_choices("DraftStatusChoices", DraftStatus)
DraftEventChoices = text_choices("DraftEventChoices", DraftEvent)


class ChainRuleSetting(models.Model):
    """One row of an agency's 签批 policy, in force from ``effective_from``; a group without a row in
    force follows ``core.approval.DEFAULT_POLICY``."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="chain_rules"
    )
    subject = models.CharField("文书类别", max_length=20, choices=SubjectChoices.choices)
    review = models.BooleanField("须审核", default=False, help_text="科室负责人（或机关负责人）审核")
    legal = models.BooleanField("须法制审核", default=False, help_text="指定的法制审核人员；未指定时由机关负责人审核")
    signer = models.CharField("签发人", max_length=20, choices=SignerChoices.choices, default=Signer.LEADER)
    effective_from = models.DateField(
        "施行日期", help_text="自该日起作出的答复、出具的文书适用本规则；此前的适用默认规则（不对已办结的案件溯及既往）"
    )
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "签批规则"
        verbose_name_plural = "签批规则"
        ordering = ["agency", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "subject"], name="chain_rule_unique"),
            models.CheckConstraint(
                condition=Q(subject__in=[s.value for s in Subject]), name="chain_rule_subject_valid"
            ),
            models.CheckConstraint(condition=Q(signer__in=[s.value for s in Signer]), name="chain_rule_signer_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {Subject(self.subject).label}：{self.rule.describe()}"

    @property
    def rule(self) -> ChainRule:
        return ChainRule(review=self.review, legal=self.legal, signer=Signer(self.signer))


class ApproverOffice(models.TextChoices):
    """An approving office a user holds besides their role."""

    DEPARTMENT_HEAD = "department_head", "科室负责人"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核人员"


class Approver(models.Model):
    """A user's approving office: 科室负责人 of a department (or of all, department empty), or 法制审核.

    The agency's 负责人 (``Role.LEADER``) may act at every step without a row here.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="approver_offices"
    )
    office = models.CharField("职责", max_length=20, choices=ApproverOffice.choices)
    department = models.ForeignKey(
        "agencies.Department",
        verbose_name="科室",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="科室负责人所负责的科室；空白表示本机关各科室",
    )

    class Meta:
        verbose_name = "审核签发人员"
        verbose_name_plural = "审核签发人员"
        ordering = ["user", "office"]
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "department"], name="approver_unique"),
            models.CheckConstraint(
                condition=Q(office__in=[o.value for o in ApproverOffice]), name="approver_office_valid"
            ),
        ]

    def __str__(self) -> str:
        where = f"（{self.department.name}）" if self.department is not None else ""
        return f"{self.user} · {self.get_office_display()}{where}"

    def clean(self) -> None:
        if self.department is not None and self.user_id and self.department.agency_id != self.user.agency_id:
            raise ValidationError({"department": "科室须属于该人员所在机构"})


class DraftQuerySet(models.QuerySet["LetterDraft"]):
    def visible_to(self, user: Any) -> DraftQuerySet:
        """Drafts of the cases ``user`` may read (``Case.objects.visible_to``)."""
        from gongkai.cases.models import Case

        return self.filter(case__in=Case.objects.visible_to(user))


class LetterDraft(models.Model):
    """A letter on its way through 审核 and 签发: no number, no seal, until it is signed off.

    ``facts`` holds what the drafter typed (``letters.context.LetterFacts`` fields); the chain
    (``review``, ``legal``, ``signer``) is the agency's rule when it was sent for approval.
    ``version`` is the optimistic lock: two approvers acting at once, one wins, the other is told.
    """

    agency = models.ForeignKey("agencies.Agency", verbose_name="发文机关", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="letter_drafts")
    kind = models.CharField("文书类型", max_length=64, choices=LetterTypeChoices.choices)
    facts = models.JSONField("拟稿内容", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=DraftStatusChoices.choices, default=DraftStatus.DRAFT)
    review = models.BooleanField("须审核", default=False)
    legal = models.BooleanField("须法制审核", default=False)
    signer = models.CharField("签发人", max_length=20, choices=SignerChoices.choices, default=Signer.DRAFTER)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="拟稿人", on_delete=models.PROTECT, related_name="+"
    )
    waiting_since = models.DateTimeField("进入当前环节", default=timezone.now)
    letter = models.OneToOneField(
        Letter, verbose_name="签发的文书", null=True, blank=True, on_delete=models.PROTECT, related_name="draft"
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("拟稿时间", default=timezone.now)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "文书拟稿"
        verbose_name_plural = "文书拟稿"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=[t.value for t in LetterType]), name="draft_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in DraftStatus]), name="draft_status_valid"),
            models.CheckConstraint(
                condition=Q(status=DraftStatus.ISSUED.value, letter__isnull=False)
                | (~Q(status=DraftStatus.ISSUED.value) & Q(letter__isnull=True)),
                name="draft_letter_only_when_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_enum.label}（{self.status_enum.label}）"

    @property
    def kind_enum(self) -> LetterType:
        return LetterType(self.kind)

    @property
    def status_enum(self) -> DraftStatus:
        return DraftStatus(self.status)

    @property
    def rule(self) -> ChainRule:
        return ChainRule(review=self.review, legal=self.legal, signer=Signer(self.signer))


class DraftAction(models.Model):
    """One step in a draft's history: who, when, what, from which status to which, and the comment."""

    draft = models.ForeignKey(LetterDraft, verbose_name="拟稿", on_delete=models.CASCADE, related_name="actions")
    event = models.CharField("操作", max_length=20, choices=DraftEventChoices.choices, blank=True)
    status_before = models.CharField("原环节", max_length=20, choices=DraftStatusChoices.choices, blank=True)
    status_after = models.CharField("新环节", max_length=20, choices=DraftStatusChoices.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField("意见", blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "签批记录"
        verbose_name_plural = "签批记录"
        ordering = ["draft", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.actor} {self.label}"

    @property
    def label(self) -> str:
        if not self.event:
            return "拟稿"
        if self.event == DraftEvent.APPROVE and self.status_before == DraftStatus.LEGAL_REVIEW:
            return "法制审核通过"
        return DraftEvent(self.event).label
