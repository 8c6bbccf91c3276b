"""Signing off: only a leader of the agency, only when the core checks pass, by no other path."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEvent
from gongkai.core.outcomes import Outcome
from gongkai.core.report.findings import Rule
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.taxonomy import TOTAL_COLUMN
from gongkai.reports import services
from gongkai.reports.errors import SignOffRefused
from gongkai.reports.models import DOCUMENT_FORMATS, AnnualReportRecord, ReportLocked
from gongkai.reports.services import ReportAuditAction
from tests.factories import UserFactory
from tests.reports.conftest import start
from tests.reports.history import CaseSpec, add_cases

pytestmark = pytest.mark.django_db


def _break_table3(monkeypatch: Any) -> None:
    """Make the computed table 三 inconsistent (a cell off by one): V2 and V3 errors."""
    real = services.compute_report

    def broken(agency: Any, year: int) -> Any:
        report = real(agency, year)
        report.table3["granted"][0] += 1
        return report

    monkeypatch.setattr(services, "compute_report", broken)


def test_leader_signs_off_and_everything_is_frozen(tree: Any, draft: AnnualReportRecord) -> None:
    record = services.sign_off(actor=tree.leader_a, record=draft)
    record.refresh_from_db()
    assert record.status == ReportStatus.SIGNED_OFF
    assert record.signed_by == tree.leader_a and record.signed_at is not None
    snapshot = record.snapshot_report()
    assert snapshot.table3["new"][TOTAL_COLUMN] == 5 and snapshot.table3["carried_forward"][TOTAL_COLUMN] == 1
    assert snapshot.sections["overview"].startswith("2023年度")
    contents = {fmt: record.document_field(fmt).read() for fmt in DOCUMENT_FORMATS}
    for fmt, content in contents.items():
        assert hashlib.sha256(content).hexdigest() == record.file_digests[fmt]
    assert contents["pdf"][:5] == b"%PDF-" and contents["docx"][:2] == b"PK"
    event = AuditEvent.objects.for_object(record).get(action=ReportAuditAction.SIGNED_OFF)
    assert event.actor == tree.leader_a


def test_check_error_refuses_sign_off_in_the_service(tree: Any, draft: AnnualReportRecord, monkeypatch: Any) -> None:
    _break_table3(monkeypatch)
    with pytest.raises(SignOffRefused) as refused:
        services.sign_off(actor=tree.leader_a, record=draft)
    assert {f.rule for f in refused.value.findings} == {Rule.T3_ROW, Rule.T3_TOTAL}
    assert "表三" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.snapshot is None and not draft.file_pdf
    assert not AuditEvent.objects.for_object(draft).filter(action=ReportAuditAction.SIGNED_OFF).exists()


def test_last_years_signed_report_must_carry_over(tree: Any, history_a: Any) -> None:
    """V6: after 2022 was signed, a 2022 case added later breaks 上年结转 = last year's 结转下年度."""
    add_cases(tree.street_a, [CaseSpec(dt.date(2022, 6, 1), dt.date(2022, 6, 10), Outcome.GRANTED)])
    services.sign_off(actor=tree.leader_a, record=start(tree, 2022))
    add_cases(tree.street_a, [CaseSpec(dt.date(2022, 12, 30))])  # recorded after signing, still open
    record = start(tree, 2023)
    with pytest.raises(SignOffRefused) as refused:
        services.sign_off(actor=tree.leader_a, record=record)
    assert {f.rule for f in refused.value.findings} == {Rule.T3_CARRY}


def test_unfinished_narrative_refuses_sign_off(tree: Any, history_a: Any) -> None:
    record = services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=2023, today=dt.date(2024, 1, 5))
    assert "【待填写" in record.narrative["overview"]
    with pytest.raises(SignOffRefused, match="待填写"):
        services.sign_off(actor=tree.leader_a, record=record)


@pytest.mark.parametrize("who", ["officer_a", "clerk_a", "officer_b", "supervisor", "admin"])
def test_only_a_leader_of_the_agency_signs_off(tree: Any, draft: AnnualReportRecord, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.sign_off(actor=getattr(tree, who), record=draft)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_leader_of_another_agency_cannot_sign_off(tree: Any, draft: AnnualReportRecord) -> None:
    other_leader = UserFactory(agency=tree.street_b, role=Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.sign_off(actor=other_leader, record=draft)


def test_view_post_refuses_when_a_check_fails(
    tree: Any, draft: AnnualReportRecord, client: Client, monkeypatch: Any
) -> None:
    _break_table3(monkeypatch)
    client.force_login(tree.leader_a)
    response = client.post(reverse("reports:sign_off", args=[draft.pk]), {"confirm": "yes"})
    assert response.status_code == 400
    assert "不能签发" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_view_post_by_officer_is_forbidden(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.officer_a)
    assert client.post(reverse("reports:sign_off", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_view_post_by_leader_signs_off(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.leader_a)
    url = reverse("reports:sign_off", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "不能撤销" in page and 'name="confirm"' in page
    response = client.post(url)  # no confirmation: nothing signed
    assert response.status_code == 400 and "确认签发" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SIGNED_OFF


def test_admin_cannot_sign_off_or_change(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.admin)
    url = f"/admin/reports/annualreportrecord/{draft.pk}/change/"
    assert client.get(url).status_code == 200  # view-only page
    response = client.post(url, {"status": ReportStatus.SIGNED_OFF, "signed_by": tree.leader_a.pk, "narrative": "{}"})
    assert response.status_code == 403
    assert client.get("/admin/reports/annualreportrecord/add/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and draft.signed_by is None


def test_api_has_no_write(tree: Any, draft: AnnualReportRecord, client: Client) -> None:
    client.force_login(tree.leader_a)
    url = f"/api/reports/records/{draft.pk}/"
    assert client.get(url).json()["status"] == ReportStatus.DRAFT
    for method in (client.patch, client.put):
        response = method(url, {"status": ReportStatus.SIGNED_OFF}, content_type="application/json")
        assert response.status_code == 405
    assert (
        client.post(
            "/api/reports/records/", {"agency": tree.street_a.pk, "year": 2022, "status": ReportStatus.SIGNED_OFF}
        ).status_code
        == 405
    )
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_queryset_cannot_set_a_status(draft: AnnualReportRecord) -> None:
    with pytest.raises(ReportLocked):
        AnnualReportRecord.objects.filter(pk=draft.pk).update(status=ReportStatus.SIGNED_OFF)


def test_database_refuses_a_signed_off_row_without_signature(draft: AnnualReportRecord) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_annualreportrecord SET status = 'signed_off' WHERE id = %s", [draft.pk])
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_model_save_cannot_forge_a_sign_off_without_snapshot(tree: Any, draft: AnnualReportRecord) -> None:
    draft.status = ReportStatus.SIGNED_OFF
    draft.signed_by = tree.leader_a
    with pytest.raises(IntegrityError), transaction.atomic():
        draft.save()
