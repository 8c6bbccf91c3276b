"""Records kept by the dashboards (the 催报 reminders sent to agencies)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReminderChannel(models.TextChoices):
    """How a 催报 reaches the agency."""

    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    NOTICE = "notice", "工作台通知"


class Reminder(models.Model):
    """One 催报: a supervisor reminded an agency that its annual report for ``year`` is not out
    (条例 art 49), through ``channels``; ``result`` says what each channel did."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="report_reminders"
    )
    year = models.PositiveIntegerField("报告年度")
    channels = models.JSONField("方式", default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="催报人", on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("催报时间")
    message = models.TextField("内容")
    result = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "年报催报"
        verbose_name_plural = "年报催报"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["year", "agency", "-sent_at"], name="reminder_year_agency_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}年度报告催报"

    @property
    def channel_labels(self) -> str:
        labels = dict(ReminderChannel.choices)
        return "、".join(str(labels.get(c, c)) for c in self.channels)
