"""Annual reports (政府信息公开工作年度报告) as records: drafts, signed-off versions, publications.

The tables of a draft are always computed from the records (``reports.compute``); only the
narrative is typed in. Signing off freezes both into ``snapshot`` (the ``gongkai.annual-report/1``
data type with its ``sections``) and stores the rendered documents. Changes after that are new
versions (``supersedes``). The guards against changing a frozen record sit at four levels: the
services, this model's ``save``/``delete`` and queryset, a database trigger (migration 0002) and
the check constraints below.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.choices import text_choices
from gongkai.core.errors import GongkaiError
from gongkai.core.report.lifecycle import LOCKED_STATUSES, OPEN_STATUSES, ReportStatus
from gongkai.core.report.model import AnnualReport

ReportStatusChoices = text_choices("ReportStatusChoices", ReportStatus)

#: The first report year under the 条例 (2008) and a sane upper bound.
FIRST_YEAR = 2008
LAST_YEAR = 2100

#: Document formats stored at sign-off: file field per format.
DOCUMENT_FORMATS: tuple[str, ...] = ("docx", "pdf", "html", "xlsx")


class ReportLocked(GongkaiError):
    """A change to a signed-off or published report (only a new version may change it)."""


class AnnualReportRecordQuerySet(AgencyScopedQuerySet["AnnualReportRecord"]):
    def for_year(self, year: int) -> AnnualReportRecordQuerySet:
        return self.filter(year=year)

    def current(self) -> AnnualReportRecordQuerySet:
        """The newest version of each agency-year (those no other version supersedes)."""
        return self.filter(superseded_by__isnull=True)

    def locked(self) -> AnnualReportRecordQuerySet:
        return self.filter(status__in=LOCKED_STATUSES)

    def published(self) -> AnnualReportRecordQuerySet:
        return self.filter(status=ReportStatus.PUBLISHED)

    def update(self, **kwargs: Any) -> int:
        """Bulk updates never change a status and never touch a frozen record."""
        if "status" in kwargs:
            raise ReportLocked("年度报告的状态只能通过签发、发布操作改变")
        if self.locked().exists():
            raise ReportLocked("已签发或已发布的年度报告不能修改，只能编制新版本")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.locked().exists():
            raise ReportLocked("已签发或已发布的年度报告不能删除")
        return super().delete()


def _upload_to(instance: AnnualReportRecord, filename: str) -> str:
    return f"reports/{instance.agency_id}/{instance.year}/v{instance.version}/{filename}"


class AnnualReportRecord(models.Model):
    """One version of an agency's annual report for a year (条例 arts 49, 50)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    version = models.PositiveSmallIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=16, choices=ReportStatusChoices.choices, default=ReportStatus.DRAFT)
    narrative = models.JSONField("正文", default=dict, blank=True, help_text="各部分文字，键为部分代码")
    snapshot = models.JSONField("签发内容", null=True, blank=True, editable=False)
    findings = models.JSONField("签发时的核对提示", default=list, blank=True, editable=False)
    file_docx = models.FileField("Word 文档", upload_to=_upload_to, blank=True, editable=False)
    file_pdf = models.FileField("PDF 文档", upload_to=_upload_to, blank=True, editable=False)
    file_html = models.FileField("网页文档", upload_to=_upload_to, blank=True, editable=False)
    file_xlsx = models.FileField("Excel 表格", upload_to=_upload_to, blank=True, editable=False)
    file_digests = models.JSONField("文档摘要（SHA-256）", default=dict, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    signed_at = models.DateTimeField("签发时间", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="替代的版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交签发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField("提交签发时间", null=True, blank=True, editable=False)
    contradiction_note = models.JSONField(
        "正文与表格不一致的说明",
        default=dict,
        blank=True,
        editable=False,
        help_text="{reason, keys, by, at}：经办人说明正文与表格不一致的原因，及其所说明的核对结果",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编制人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = AnnualReportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["agency", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "version"], name="report_unique_version"),
            # One draft at a time per agency-year: two drafts would race to be signed.
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(status__in=sorted(s.value for s in OPEN_STATUSES)),
                name="report_one_open_draft",
            ),
            models.CheckConstraint(condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="report_year_range"),
            # Version 1 supersedes nothing; every later version supersedes exactly one.
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True) | Q(version__gt=1, supersedes__isnull=False),
                name="report_version_chain",
            ),
            # A draft carries no signature; a signed-off or published report carries all of it.
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=sorted(s.value for s in OPEN_STATUSES),
                        signed_by__isnull=True,
                        signed_at__isnull=True,
                        snapshot__isnull=True,
                        published_at__isnull=True,
                    )
                    | Q(
                        status=ReportStatus.SIGNED_OFF,
                        signed_by__isnull=False,
                        signed_at__isnull=False,
                        snapshot__isnull=False,
                        published_at__isnull=True,
                    )
                    | Q(
                        status=ReportStatus.PUBLISHED,
                        signed_by__isnull=False,
                        signed_at__isnull=False,
                        snapshot__isnull=False,
                        published_at__isnull=False,
                    )
                ),
                name="report_signature_complete",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="report_year_status_idx")]

    def __str__(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告（第{self.version}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to change a frozen record; the one change allowed is signed_off → published."""
        if self.pk is not None and not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored in LOCKED_STATUSES and not self._is_publication(stored, kwargs.get("update_fields")):
                raise ReportLocked(f"{self}{ReportStatus(stored).label}，不能修改，只能编制新版本")
        super().save(*args, **kwargs)

    def _is_publication(self, stored: str, update_fields: Any) -> bool:
        return (
            stored == ReportStatus.SIGNED_OFF
            and self.status == ReportStatus.PUBLISHED
            and update_fields is not None
            and set(update_fields) <= {"status", "published_at"}
        )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_locked or type(self).objects.filter(pk=self.pk).locked().exists():
            raise ReportLocked(f"{self}已签发，不能删除")
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def is_draft(self) -> bool:
        """A draft being written (editable); a submitted draft waits for the leader."""
        return self.status == ReportStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == ReportStatus.SUBMITTED

    @property
    def is_open(self) -> bool:
        """Not yet signed off (a draft or a submitted draft)."""
        return self.status in OPEN_STATUSES

    @property
    def contradiction_reason(self) -> str:
        return str(self.contradiction_note.get("reason", "")) if self.contradiction_note else ""

    def snapshot_report(self) -> AnnualReport:
        """The signed-off report as data (only for signed-off or published records)."""
        if self.snapshot is None:
            raise ReportLocked(f"{self}尚未签发，没有签发内容")
        return AnnualReport.from_dict(self.snapshot)

    def document_field(self, fmt: str) -> models.fields.files.FieldFile:
        if fmt not in DOCUMENT_FORMATS:
            raise KeyError(fmt)
        field: models.fields.files.FieldFile = getattr(self, f"file_{fmt}")
        return field


# The records of the work the report describes live in their own module (models of this app).
from gongkai.reports.work_models import (  # noqa: E402
    AccountabilityCase,
    ContactCheck,
    ContactCheckKind,
    SelfInspection,
    StaffMember,
    TrainingSession,
)

__all__ = [
    "DOCUMENT_FORMATS",
    "AccountabilityCase",
    "AnnualReportRecord",
    "ContactCheck",
    "ContactCheckKind",
    "ReportLocked",
    "SelfInspection",
    "StaffMember",
    "TrainingSession",
]
