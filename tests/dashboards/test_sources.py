"""gongkai.dashboards.sources: one report per agency-year, from the best source, in the user's reach."""

from __future__ import annotations

from django.utils import timezone

from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import Table3Key
from gongkai.dashboards.sources import ReportSource, sourced_reports
from gongkai.reports.models import AnnualReportRecord
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch


def _report(new: int, year: int) -> dict:  # type: ignore[type-arg]
    report = AnnualReport.zero(agency="x", year=year)
    report.table3[Table3Key.NEW] = [new, 0, 0, 0, 0, 0, new]
    return report.to_dict()


def _record(tree, agency, year: int, status: ReportStatus, new: int, supersedes=None) -> AnnualReportRecord:  # type: ignore[no-untyped-def]
    now = timezone.now()
    return AnnualReportRecord.objects.create(
        agency=agency,
        year=year,
        version=supersedes.version + 1 if supersedes else 1,
        supersedes=supersedes,
        status=status,
        snapshot=_report(new, year),
        signed_by=tree.leader_a,
        signed_at=now,
        published_at=now if status == ReportStatus.PUBLISHED else None,
    )


def _upload(tree, agency, year: int, new: int) -> ReadReport:  # type: ignore[no-untyped-def]
    batch = ReportBatch.objects.create(agency=tree.district, uploaded_by=tree.supervisor)
    return ReadReport.objects.create(
        batch=batch,
        position=1,
        file_name=f"{year}.txt",
        sha256="0" * 64,
        year=year,
        matched_agency=agency,
        report=_report(new, year),
        status=ReadStatus.CONSISTENT,
    )


def test_published_beats_a_newer_signed_version_and_an_upload(tree) -> None:  # type: ignore[no-untyped-def]
    a = tree.street_a
    first = _record(tree, a, 2023, ReportStatus.PUBLISHED, 10)
    _record(tree, a, 2023, ReportStatus.SIGNED_OFF, 11, supersedes=first)
    _upload(tree, a, 2023, 99)
    found = sourced_reports(tree.supervisor, [a.pk], [2023])
    chosen = found[(a.pk, 2023)]
    assert chosen.source is ReportSource.PUBLISHED
    assert chosen.report.table3[Table3Key.NEW][6] == 10


def test_an_upload_fills_a_year_with_no_signed_report_and_drafts_never_count(tree) -> None:  # type: ignore[no-untyped-def]
    a, b = tree.street_a, tree.street_b
    AnnualReportRecord.objects.create(agency=a, year=2022, status=ReportStatus.DRAFT)
    _upload(tree, a, 2022, 7)
    found = sourced_reports(tree.supervisor, [a.pk, b.pk], [2022, 2023])
    assert set(found) == {(a.pk, 2022)}
    assert found[(a.pk, 2022)].source is ReportSource.UPLOADED
    assert found[(a.pk, 2022)].report.table3[Table3Key.NEW][6] == 7


def test_agencies_out_of_reach_are_left_out(tree) -> None:  # type: ignore[no-untyped-def]
    _record(tree, tree.street_a, 2023, ReportStatus.PUBLISHED, 10)
    assert sourced_reports(tree.other_supervisor, [tree.street_a.pk], [2023]) == {}
    assert set(sourced_reports(tree.officer_b, [tree.street_a.pk, tree.street_b.pk], [2023])) == set()
    assert set(sourced_reports(tree.officer_a, [tree.street_a.pk], [2023])) == {(tree.street_a.pk, 2023)}
