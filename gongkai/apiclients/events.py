"""What the domain's changes become as webhook events (connected in ``apps.ready``; the domain
apps import nothing of this app). Personal data never goes into an event: numbers, codes, dates.
"""

from __future__ import annotations

from typing import Any

from gongkai.apiclients.webhooks import enqueue
from gongkai.core.api_scopes import WebhookEvent
from gongkai.core.report.lifecycle import ReportStatus


def case_event_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """A timeline entry that moved the case to another status: ``case.status_changed``."""
    if raw or not created or not instance.status_before or instance.status_after in ("", instance.status_before):
        return
    case = instance.case
    enqueue(
        WebhookEvent.CASE_STATUS_CHANGED,
        agency_id=case.agency_id,
        key=f"case-event:{instance.pk}",
        case_id=case.pk,
        data={
            "case_id": case.pk,
            "number": case.number,
            "status_before": instance.status_before,
            "status": instance.status_after,
            "status_label": instance.get_status_after_display(),
            "event": instance.kind,
            "on": instance.on,
            "due_on": case.due_on,
        },
    )


def _letter_fields(letter: Any) -> dict[str, Any]:
    """What every letter event says about the letter and its case."""
    return {
        "letter_id": letter.pk,
        "letter_number": letter.number,
        "case_id": letter.case_id,
        "case_number": letter.case.number,
    }


def letter_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """A letter issued on a case: ``letter.issued``."""
    if raw or not created:
        return
    case = instance.case
    enqueue(
        WebhookEvent.LETTER_ISSUED,
        agency_id=instance.agency_id,
        key=f"letter:{instance.pk}",
        case_id=case.pk,
        data={
            **_letter_fields(instance),
            "kind": instance.kind,
            "kind_label": instance.get_kind_display(),
            "issued_on": instance.issued_on,
        },
    )


def delivery_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A 送达 with its date of receipt (recorded at once or later): ``letter.delivered``, once."""
    if raw or instance.received_on is None:
        return
    letter = instance.letter
    enqueue(
        WebhookEvent.LETTER_DELIVERED,
        agency_id=letter.agency_id,
        key=f"delivery:{instance.pk}",
        case_id=letter.case_id,
        data={
            **_letter_fields(letter),
            "method": instance.method,
            "method_label": instance.get_method_display(),
            "received_on": instance.received_on,
        },
    )


def report_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """An annual report published (条例 art 49): ``report.published``, once per version."""
    if raw or instance.status != ReportStatus.PUBLISHED.value:
        return
    enqueue(
        WebhookEvent.REPORT_PUBLISHED,
        agency_id=instance.agency_id,
        key=f"report:{instance.pk}:published",
        data={
            "report_id": instance.pk,
            "year": instance.year,
            "version": instance.version,
            "published_at": instance.published_at,
        },
    )


def connect() -> None:
    from django.db.models.signals import post_save

    from gongkai.cases.models import CaseEvent
    from gongkai.letters.models import Delivery, Letter
    from gongkai.reports.models import AnnualReportRecord

    post_save.connect(case_event_saved, sender=CaseEvent, dispatch_uid="apiclients.case_event")
    post_save.connect(letter_saved, sender=Letter, dispatch_uid="apiclients.letter")
    post_save.connect(delivery_saved, sender=Delivery, dispatch_uid="apiclients.delivery")
    post_save.connect(report_saved, sender=AnnualReportRecord, dispatch_uid="apiclients.report")
