"""A signed-off report cannot be changed by any path; publishing is the one change it accepts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from gongkai.core.outcomes import Outcome
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.taxonomy import TOTAL_COLUMN
from gongkai.reports import services
from gongkai.reports.models import AnnualReportRecord, ReportLocked
from tests.reports.history import CaseSpec, add_cases

pytestmark = pytest.mark.django_db


def test_service_refuses_narrative_change(tree: Any, signed: AnnualReportRecord) -> None:
    with pytest.raises(ReportLocked):
        services.save_narrative(actor=tree.officer_a, record=signed, sections={"overview": "改过的"})
    signed.refresh_from_db()
    assert signed.narrative["overview"].startswith("2023年度")


def test_model_save_refuses(signed: AnnualReportRecord) -> None:
    signed.narrative = {"overview": "改过的"}
    with pytest.raises(ReportLocked):
        signed.save()
    signed.status = ReportStatus.PUBLISHED  # publication may not carry other changes either
    with pytest.raises(ReportLocked):
        signed.save()


def test_queryset_update_and_delete_refuse(signed: AnnualReportRecord) -> None:
    with pytest.raises(ReportLocked):
        AnnualReportRecord.objects.filter(pk=signed.pk).update(narrative={})
    with pytest.raises(ReportLocked):
        AnnualReportRecord.objects.filter(pk=signed.pk).delete()
    with pytest.raises(ReportLocked):
        signed.delete()
    assert AnnualReportRecord.objects.filter(pk=signed.pk).exists()


def test_database_trigger_refuses_raw_update(signed: AnnualReportRecord) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_annualreportrecord SET narrative = '{}' WHERE id = %s", [signed.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_annualreportrecord SET status = 'draft', signed_by_id = NULL, "
            "signed_at = NULL, snapshot = NULL WHERE id = %s",
            [signed.pk],
        )
    signed.refresh_from_db()
    assert signed.status == ReportStatus.SIGNED_OFF and signed.narrative["overview"].startswith("2023年度")


def test_new_records_do_not_change_the_signed_tables(tree: Any, signed: AnnualReportRecord) -> None:
    add_cases(tree.street_a, [CaseSpec(dt.date(2023, 6, 1), dt.date(2023, 6, 2), Outcome.GRANTED)])
    assert services.build_report(signed).table3["new"][TOTAL_COLUMN] == 5


def test_publish_is_the_one_change_allowed(tree: Any, signed: AnnualReportRecord) -> None:
    published = services.publish(actor=tree.officer_a, record=signed)
    published.refresh_from_db()
    assert published.status == ReportStatus.PUBLISHED and published.published_at is not None
    assert published.snapshot == signed.snapshot
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_annualreportrecord SET status = 'signed_off', published_at = NULL WHERE id = %s",
            [signed.pk],
        )


def test_publish_needs_a_signed_off_report(tree: Any, draft: AnnualReportRecord) -> None:
    from gongkai.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.publish(actor=tree.officer_a, record=draft)


def test_signed_report_cannot_be_signed_twice(tree: Any, signed: AnnualReportRecord) -> None:
    from gongkai.core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.sign_off(actor=tree.leader_a, record=signed)


def test_narrative_post_on_signed_report_changes_nothing(tree: Any, signed: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.officer_a)
    response = client.post(reverse("reports:save_narrative", args=[signed.pk]), {"overview": "改过的"}, follow=True)
    assert "不能修改" in response.content.decode()
    signed.refresh_from_db()
    assert signed.narrative["overview"].startswith("2023年度")


def test_admin_cannot_delete_a_signed_report_but_may_delete_a_draft(
    tree: Any, signed: AnnualReportRecord, client: Client
) -> None:
    client.force_login(tree.admin)
    url = f"/admin/reports/annualreportrecord/{signed.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AnnualReportRecord.objects.filter(pk=signed.pk).exists()
    draft = services.new_version(actor=tree.officer_a, record=signed)
    assert client.post(f"/admin/reports/annualreportrecord/{draft.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AnnualReportRecord.objects.filter(pk=draft.pk).exists()


def test_every_change_is_audited(tree: Any, signed: AnnualReportRecord) -> None:
    from gongkai.audit.models import AuditEvent
    from gongkai.reports.services import ReportAuditAction

    services.publish(actor=tree.officer_a, record=signed)
    v2 = services.new_version(actor=tree.officer_a, record=signed)
    actions = set(AuditEvent.objects.for_object(signed).values_list("action", flat=True))
    assert actions == {
        ReportAuditAction.DRAFT_STARTED,
        ReportAuditAction.NARRATIVE_SAVED,
        ReportAuditAction.SIGNED_OFF,
        ReportAuditAction.PUBLISHED,
    }
    assert AuditEvent.objects.for_object(v2).get().action == ReportAuditAction.NEW_VERSION
