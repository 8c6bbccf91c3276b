"""Corrections: a new version supersedes the signed one, with a cell-by-cell and paragraph diff."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.core.outcomes import Outcome
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.taxonomy import ReportTable
from gongkai.reports import services
from gongkai.reports.diff import ChangeKind, report_diff
from gongkai.reports.models import AnnualReportRecord, ReportLocked
from gongkai.reports.selectors import published_reports
from tests.reports.history import CaseSpec, add_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(tree: Any, signed: AnnualReportRecord) -> AnnualReportRecord:
    return services.publish(actor=tree.officer_a, record=signed)


def test_new_version_supersedes_and_diffs(tree: Any, published: AnnualReportRecord, client: Client) -> None:
    v2 = services.new_version(actor=tree.officer_a, record=published)
    assert (v2.version, v2.status, v2.supersedes_id) == (2, ReportStatus.DRAFT, published.pk)
    assert v2.narrative == published.snapshot_report().sections
    # A case that was missed: received and granted in 2023 to a natural person.
    add_cases(tree.street_a, [CaseSpec(dt.date(2023, 9, 1), dt.date(2023, 9, 5), Outcome.GRANTED)])
    overview = v2.narrative["overview"]
    services.save_narrative(actor=tree.officer_a, record=v2, sections={"overview": overview + "\n补充说明一段。"})
    v2.refresh_from_db()

    diff = report_diff(published.snapshot_report(), services.build_report(v2))
    cells = {(c.table, c.row, c.column): (c.old, c.new) for c in diff.cells}
    assert cells == {
        (ReportTable.TABLE3, "new", "0"): (3, 4),
        (ReportTable.TABLE3, "new", "6"): (5, 6),
        (ReportTable.TABLE3, "granted", "0"): (1, 2),
        (ReportTable.TABLE3, "granted", "6"): (1, 2),
        (ReportTable.TABLE3, "total", "0"): (2, 3),
        (ReportTable.TABLE3, "total", "6"): (4, 5),
    }
    assert [(p.section, p.kind, p.new) for p in diff.paragraphs] == [("overview", ChangeKind.ADDED, "补充说明一段。")]
    label = next(c for c in diff.cells if c.row == "granted" and c.column == "0")
    assert (label.row_label, label.column_label) == ("（一）予以公开", "自然人")

    client.force_login(tree.officer_a)
    page = client.get(reverse("reports:diff", args=[v2.pk])).content.decode()
    assert "（一）予以公开" in page and "补充说明一段。" in page and "第1版" in page

    # Until version 2 is published the portal keeps version 1.
    assert list(published_reports(tree.street_a)) == [published]
    services.sign_off(actor=tree.leader_a, record=v2)
    assert list(published_reports(tree.street_a)) == [published]
    services.publish(actor=tree.officer_a, record=v2)
    assert list(published_reports(tree.street_a)) == [AnnualReportRecord.objects.get(pk=v2.pk)]


def test_only_one_new_version_and_not_from_a_draft(
    tree: Any, signed: AnnualReportRecord, draft: AnnualReportRecord
) -> None:
    services.new_version(actor=tree.officer_a, record=signed)
    with pytest.raises((ValidationError, ReportLocked)):
        services.new_version(actor=tree.officer_a, record=signed)


def test_new_version_from_draft_is_refused(tree: Any, draft: AnnualReportRecord) -> None:
    with pytest.raises(ReportLocked):
        services.new_version(actor=tree.officer_a, record=draft)


def test_second_version_one_is_refused(tree: Any, draft: AnnualReportRecord) -> None:
    with pytest.raises(ValidationError):
        services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=2023, today=dt.date(2024, 1, 20))


def test_year_not_ended_is_refused(tree: Any) -> None:
    with pytest.raises(ValidationError, match="尚未结束"):
        services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=2024, today=dt.date(2024, 6, 1))
