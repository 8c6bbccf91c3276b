"""转办: one application forwarded to the agency responsible for it (条例 art 36(5); ``gongkai.core.transfer``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.accounts.models import MANAGER_ROLES
from gongkai.accounts.scoping import visible_agencies
from gongkai.cases.models.cases import Case


class TransferQuerySet(models.QuerySet["CaseTransfer"]):
    def visible_to(self, user: Any) -> TransferQuerySet:
        """Transfers one side of which ``user`` may read: the link only, never the other case itself."""
        if user is not None and getattr(user, "role", None) in MANAGER_ROLES:
            return self.none()
        agencies = visible_agencies(user)
        return self.filter(Q(from_case__agency__in=agencies) | Q(to_case__agency__in=agencies))


class CaseTransfer(models.Model):
    """The link between the sending case (closed with a 36(5) 告知) and, when the responsible agency is
    on the system, the case it opened there. Each agency sees of the other's case only its number,
    agency and status (``gongkai.cases.selectors.transfer_links``)."""

    from_case = models.OneToOneField(
        Case, verbose_name="转出案件", on_delete=models.PROTECT, related_name="transfer_out"
    )
    to_case = models.OneToOneField(
        Case, verbose_name="接收案件", null=True, blank=True, on_delete=models.PROTECT, related_name="transfer_in"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="接收机关（本系统内）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    agency_name = models.CharField("负责公开的行政机关", max_length=120)
    agency_contact = models.CharField("该机关联系方式", max_length=200)
    reason = models.TextField("不属于本机关负责公开的理由")
    original_received_on = models.DateField("原收到申请之日")
    transferred_on = models.DateField("转办日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = "转办记录"
        verbose_name_plural = "转办记录"
        ordering = ["-transferred_on", "-id"]
        constraints = [
            # A receiving case exists exactly when the receiving agency is on the system.
            models.CheckConstraint(
                condition=Q(to_agency__isnull=True, to_case__isnull=True)
                | Q(to_agency__isnull=False, to_case__isnull=False),
                name="transfer_case_iff_agency",
            ),
            models.CheckConstraint(
                condition=Q(transferred_on__gte=models.F("original_received_on")), name="transfer_after_receipt"
            ),
        ]

    def __str__(self) -> str:
        return f"转办 → {self.agency_name}"

    @property
    def on_system(self) -> bool:
        return self.to_case_id is not None
