"""Holiday arrangements an administrator loaded (legal spec §5): one row per year, one per date.

The package data (chinesecalendar, 2004–2026) needs no rows; a year loaded here replaces the
package's year (``gongkai.core.calendar.WorkingCalendar``). Rows are written only by
``gongkai.workcalendar.services.store_calendar_year`` (called by
``gongkai.cases.due_dates.load_calendar_year``, which then recomputes open cases).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.core.calendar import EntryKind


class EntryKindChoices(models.TextChoices):
    """放假 / 上班, the values of :class:`gongkai.core.calendar.EntryKind`."""

    OFF = EntryKind.OFF.value, "放假"
    WORK = EntryKind.WORK.value, "上班（调休）"


class LoadedYear(models.Model):
    """One year's 国务院办公厅《关于YYYY年部分节假日安排的通知》 as loaded from a data file."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source_title = models.CharField("通知标题", max_length=200)
    source_number = models.CharField("文号", max_length=100)
    source_url = models.URLField("网址", max_length=500)
    source_published = models.DateField("发布日期")
    file_name = models.CharField("数据文件", max_length=200, blank=True)
    text = models.TextField("数据文件内容", help_text="原样保存，便于核对")
    loaded_at = models.DateTimeField("加载时间", default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="加载人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "已加载的节假日安排"
        verbose_name_plural = "已加载的节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class LoadedDay(models.Model):
    """One declared date of a loaded year: 放假 or 调休上班, with the holiday's name."""

    year = models.ForeignKey(LoadedYear, verbose_name="年份", on_delete=models.CASCADE, related_name="days")
    day = models.DateField("日期")
    kind = models.CharField("类别", max_length=4, choices=EntryKindChoices.choices)
    name = models.CharField("节日", max_length=40)
    line = models.PositiveIntegerField("文件行号", null=True, blank=True)

    class Meta:
        verbose_name = "节假日安排日期"
        verbose_name_plural = "节假日安排日期"
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["year", "day"], name="loaded_day_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in EntryKind]), name="loaded_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.name}"
