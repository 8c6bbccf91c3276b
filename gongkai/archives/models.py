"""The year lock of an agency's archived case files: an append-only history of locks and unlocks.

A year is locked while its latest :class:`YearLockChange` is a lock. Rows are never changed or
deleted: the history (who locked, who unlocked and why) is the record of the corrections path.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.choices import text_choices
from gongkai.core.archive import LockAction

LockActionChoices = text_choices("LockActionChoices", LockAction)


class YearLockChange(models.Model):
    """One lock or unlock of an agency's year (the 编号年份 of its cases)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机关", on_delete=models.PROTECT, related_name="year_lock_changes"
    )
    year = models.PositiveSmallIntegerField("年度")
    action = models.CharField("操作", max_length=16, choices=LockActionChoices.choices)
    reason = models.TextField("理由", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人姓名", max_length=150)
    at = models.DateTimeField("时间", default=timezone.now)
    case_count = models.PositiveIntegerField("案件数", default=0)

    class Meta:
        verbose_name = "年度归档锁定记录"
        verbose_name_plural = "年度归档锁定记录"
        ordering = ["agency", "year", "at", "id"]
        indexes = [models.Index(fields=["agency", "year", "id"], name="year_lock_latest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=[a.value for a in LockAction]), name="year_lock_action_valid"
            ),
            models.CheckConstraint(
                condition=Q(action=LockAction.LOCKED.value) | ~Q(reason=""), name="year_unlock_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度{LockAction(self.action).label}"
