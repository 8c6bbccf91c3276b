"""年报监督: batches of published annual reports uploaded by a supervisor, and what was read from each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.core.report.findings import VERDICT_LABELS, Verdict


class ReadStatus(models.TextChoices):
    """A file's outcome: the core's :class:`Verdict`, plus 待核对 between reading and checking."""

    CONSISTENT = Verdict.CONSISTENT.value, VERDICT_LABELS[Verdict.CONSISTENT]
    ERRORS = Verdict.ERRORS.value, VERDICT_LABELS[Verdict.ERRORS]
    WARNINGS = Verdict.WARNINGS.value, VERDICT_LABELS[Verdict.WARNINGS]
    UNREADABLE = Verdict.UNREADABLE.value, VERDICT_LABELS[Verdict.UNREADABLE]
    PENDING = "pending", "待核对"


#: Statuses of a file that was read (its report is stored).
READ_STATUSES = frozenset({ReadStatus.CONSISTENT, ReadStatus.ERRORS, ReadStatus.WARNINGS, ReadStatus.PENDING})
#: Badge class of each status in the templates.
STATUS_BADGES: dict[str, str] = {
    ReadStatus.CONSISTENT: "ok",
    ReadStatus.ERRORS: "bad",
    ReadStatus.WARNINGS: "warn",
    ReadStatus.UNREADABLE: "bad",
    ReadStatus.PENDING: "",
}


class ReportBatchQuerySet(AgencyScopedQuerySet["ReportBatch"]):
    agency_field = "agency"


class ReportBatch(models.Model):
    """Files uploaded together by one user, for the scope of the user's agency.

    Whoever may read ``agency``'s records may see the batch (``visible_to``): the uploader's
    agency and the supervisors above it; never another agency.
    """

    agency = models.ForeignKey("agencies.Agency", verbose_name="所属机构", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("批次名称", max_length=120, blank=True)
    created_at = models.DateTimeField("上传时间", default=timezone.now, db_index=True)

    objects = ReportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "年报核对批次"
        verbose_name_plural = "年报核对批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"第{self.pk}批"


class ReadReportQuerySet(AgencyScopedQuerySet["ReadReport"]):
    agency_field = "batch__agency"

    def readable(self) -> ReadReportQuerySet:
        return self.filter(report__isnull=False)


class ReadReport(models.Model):
    """One uploaded file: what was read from it (agency, year, the report) and what the checks found.

    ``report`` is the ``gongkai.annual-report/1`` JSON, null when the file could not be read
    (``read_error`` says why). ``findings`` are the checks' findings in their JSON form.
    """

    batch = models.ForeignKey(ReportBatch, verbose_name="批次", on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField("序号")
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    source_format = models.CharField("文件格式", max_length=8, blank=True)
    agency_name = models.CharField("机关（报告所载）", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    report_format = models.CharField("报告格式", max_length=4, blank=True)
    matched_agency = models.ForeignKey(
        "agencies.Agency", verbose_name="对应机构", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    report = models.JSONField("报告数据", null=True, blank=True)
    findings = models.JSONField("核对结果", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=ReadStatus.choices, default=ReadStatus.PENDING)
    error_count = models.PositiveIntegerField("错误数", default=0)
    warning_count = models.PositiveIntegerField("警告数", default=0)
    read_error = models.TextField("无法读取的原因", blank=True)
    read_ms = models.PositiveIntegerField("读取耗时（毫秒）", default=0)
    previous = models.ForeignKey(
        "self", verbose_name="对照的上年报告", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReadReportQuerySet.as_manager()

    class Meta:
        verbose_name = "读取的年度报告"
        verbose_name_plural = "读取的年度报告"
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="readreport_position_unique"),
            # A file is either read (its report stored) or unreadable (with the reason), never both.
            models.CheckConstraint(
                condition=(Q(status=ReadStatus.UNREADABLE) & Q(report__isnull=True) & ~Q(read_error=""))
                | (~Q(status=ReadStatus.UNREADABLE) & Q(report__isnull=False)),
                name="readreport_read_or_reason",
            ),
        ]
        indexes = [models.Index(fields=["agency_name", "year"], name="readreport_agency_year_idx")]

    def __str__(self) -> str:
        return self.file_name

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")
