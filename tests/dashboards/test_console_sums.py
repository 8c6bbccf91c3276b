"""The roll-up's fast sums (inside PostgreSQL) equal the straightforward Python sum of the stored
reports, for a mixed set of sources and cells; an odd cell sends the sum back to Python."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import Table3Key
from gongkai.dashboards import console_selectors as selectors
from gongkai.dashboards import console_sums as sums
from gongkai.dashboards.sources import ReportSource
from gongkai.reports.models import AnnualReportRecord
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch
from tests.factories import AgencyFactory

TODAY = dt.date(2026, 12, 3)
YEAR = 2025
AT = dt.datetime(2026, 1, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
ON_PG = connection.vendor == "postgresql"


def _snapshot(new: int, *, fees: object, blank_reconsideration: bool = False) -> dict:  # type: ignore[type-arg]
    report = AnnualReport.zero(agency="x", year=YEAR).to_dict()
    report["table3"][Table3Key.NEW] = [new, 1, None, 0, 0, 0, new + 1]
    report["table3"]["total"][0] = new
    report["table2"]["fees"]["amount_10k_yuan"] = fees
    if blank_reconsideration:
        report["table4"]["reconsideration"] = dict.fromkeys(report["table4"]["reconsideration"])
    else:
        report["table4"]["reconsideration"]["total"] = new // 2
    return report


def _record(tree, agency, snapshot, status: ReportStatus, supersedes=None) -> AnnualReportRecord:  # type: ignore[no-untyped-def]
    published = status == ReportStatus.PUBLISHED
    return AnnualReportRecord.objects.create(
        agency=agency,
        year=YEAR,
        version=supersedes.version + 1 if supersedes else 1,
        supersedes=supersedes,
        status=status,
        snapshot=snapshot,
        signed_by=tree.leader_a,
        signed_at=AT,
        published_at=AT if published else None,
    )


def _upload(tree, agency, snapshot) -> ReadReport:  # type: ignore[no-untyped-def]
    batch = ReportBatch.objects.create(agency=tree.district, uploaded_by=tree.supervisor)
    return ReadReport.objects.create(
        batch=batch,
        position=1,
        file_name="r.docx",
        sha256="0" * 64,
        year=YEAR,
        matched_agency=agency,
        report=snapshot,
        status=ReadStatus.CONSISTENT,
    )


def _mixed(tree):  # type: ignore[no-untyped-def]
    """Published, signed-only, published over an older signed, uploaded, and nothing."""
    c = AgencyFactory(name="测试区丙局", code="D1-C", parent=tree.district)
    d = AgencyFactory(name="测试区丁局", code="D1-D", parent=tree.district)
    AgencyFactory(name="测试区戊局", code="D1-E", parent=tree.district)  # no report
    _record(tree, tree.street_a, _snapshot(10, fees="12.50"), ReportStatus.PUBLISHED)
    _record(tree, tree.street_b, _snapshot(7, fees=3, blank_reconsideration=True), ReportStatus.SIGNED_OFF)
    first = _record(tree, c, _snapshot(100, fees=None), ReportStatus.SIGNED_OFF)
    _record(tree, c, _snapshot(4, fees="0.5"), ReportStatus.PUBLISHED, supersedes=first)
    _upload(tree, d, _snapshot(5, fees="", blank_reconsideration=True))
    return c, d


def _straightforward(best):  # type: ignore[no-untyped-def]
    tables = selectors.stored_tables(best)
    figures = {pk: sums.key_figures(sums.rows3(t3), sums.nested(t4)) for pk, (_, t3, t4) in tables.items()}
    return sums.python_sums(tables.values()), figures


def test_fast_sums_equal_the_straightforward_sum(tree) -> None:  # type: ignore[no-untyped-def]
    c, d = _mixed(tree)
    ids = list(selectors.console_agencies(tree.supervisor).values_list("pk", flat=True))
    best = selectors.best_sources(tree.supervisor, ids, YEAR)
    assert {pk: source for pk, (source, _) in best.items()} == {
        tree.street_a.pk: ReportSource.PUBLISHED,
        tree.street_b.pk: ReportSource.SIGNED,
        c.pk: ReportSource.PUBLISHED,
        d.pk: ReportSource.UPLOADED,
    }
    fast, fast_figures = selectors.stored_sums(best)
    slow, slow_figures = _straightforward(best)
    assert fast == slow and fast_figures == slow_figures
    # and the figures themselves: 10 + 7 + 4 + 5 new; money summed as a decimal; a cell blank
    # everywhere stays blank, a count stays an int
    assert fast.table3["new"] == [26, 4, None, 0, 0, 0, 30]
    assert type(fast.table3["new"][0]) is int
    assert fast.table2["fees"]["amount_10k_yuan"] == Decimal("16.00")
    assert fast.table4["reconsideration"]["total"] == 5 + 2
    assert fast_figures[d.pk] == [6, 0, 0, 0, None, 0]
    if ON_PG:  # the fast path really ran inside the database
        assert sums.db_sums(*selectors._split(best)) is not None


def test_rollup_uses_the_same_sums_and_totals(tree) -> None:  # type: ignore[no-untyped-def]
    _mixed(tree)
    data = selectors.rollup(tree.supervisor, YEAR, None, today=TODAY)
    slow, _ = _straightforward(selectors.best_sources(tree.supervisor, [r.agency_id for r in data.rows], YEAR))
    assert (data.table2, data.table3, data.table4) == (slow.table2, slow.table3, slow.table4)
    assert data.counted == 4 and len(data.rows) == 5
    assert data.totals == sums.sum_figures(r.figures for r in data.rows if r.figures is not None)
    assert data.totals[0] == 30


def test_a_cell_the_database_reads_otherwise_falls_back_to_python(tree) -> None:  # type: ignore[no-untyped-def]
    odd = _snapshot(3, fees="12.5")
    odd["table3"]["new"][1] = "无"  # Python: blank
    odd["table3"]["new"][2] = True  # Python: blank
    _record(tree, tree.street_a, odd, ReportStatus.PUBLISHED)
    _upload(tree, tree.street_b, _snapshot(2, fees="1"))
    ids = [tree.street_a.pk, tree.street_b.pk]
    best = selectors.best_sources(tree.supervisor, ids, YEAR)
    assert sums.db_sums(*selectors._split(best)) is None
    fast, figures = selectors.stored_sums(best)
    assert (fast, figures) == _straightforward(best)
    assert fast.table3["new"][:3] == [5, 1, None]


@pytest.mark.parametrize("page", [1, 2])
def test_rollup_page_lists_one_page_but_totals_all(tree, settings, monkeypatch, page) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from gongkai import clock
    from gongkai.dashboards import console_views

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(console_views, "LIST_PAGE", 3)
    _mixed(tree)
    client = Client()
    client.force_login(tree.supervisor)
    html = client.get(reverse("dashboards:console_rollup"), {"year": YEAR, "page": page}).content.decode()
    body = html.split('data-rollup="agencies"')[1].split("</table>")[0]
    assert body.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") == (3 if page == 1 else 2)
    assert '<td class="num">30</td>' in body.split("<tfoot>")[1]  # 合计 over all five agencies
    assert ("下一页" in html) == (page == 1)


def test_an_uploaded_report_is_not_shown_as_days_overdue(tree) -> None:  # type: ignore[no-untyped-def]
    from gongkai.core.stats_console import BoardState
    from gongkai.dashboards.console_charts import tiles_html

    _record(tree, tree.street_a, _snapshot(1, fees=None), ReportStatus.PUBLISHED)  # 2026-01-10: on time
    rows = {r.agency_id: r for r in selectors.board(tree.supervisor, YEAR, today=TODAY).rows}
    assert rows[tree.street_b.pk].state is BoardState.MISSING and rows[tree.street_b.pk].days_late == 306
    _upload(tree, tree.street_b, _snapshot(2, fees=None))
    rows = {r.agency_id: r for r in selectors.board(tree.supervisor, YEAR, today=TODAY).rows}
    uploaded = rows[tree.street_b.pk]
    assert uploaded.state is BoardState.UPLOADED and uploaded.days_late is None
    tile = tiles_html([uploaded])
    assert "上传核对" in tile and "天" not in tile.split('class="tile-state"')[1]


def test_live_table2_in_two_queries_equals_the_per_agency_figures(tree, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from gongkai.publications.models import Article20Figures, RegisterDocument, RegisterKind
    from gongkai.publications.selectors import table2_figures

    kinds = list(RegisterKind)
    for agency, issued, abolished in (
        (tree.street_a, dt.date(2025, 3, 1), None),
        (tree.street_a, dt.date(2020, 3, 1), dt.date(2025, 6, 1)),
        (tree.street_a, dt.date(2019, 3, 1), dt.date(2026, 6, 1)),  # in force on 31 December 2025
        (tree.street_b, dt.date(2026, 1, 2), None),  # next year: not counted
    ):
        RegisterDocument.objects.create(
            agency=agency, kind=kinds[issued.year % len(kinds)], title="文件", issued_on=issued, abolished_on=abolished
        )
    Article20Figures.objects.create(agency=tree.street_a, year=YEAR, licensing=3, fees_10k_yuan=Decimal("1.2500"))
    ids = [tree.street_a.pk, tree.street_b.pk, tree.district.pk]
    with django_assert_max_num_queries(2):
        batched = selectors.table2_by_agency(ids, YEAR)
    from gongkai.agencies.models import Agency

    assert batched == {a.pk: table2_figures(a, YEAR) for a in Agency.objects.filter(pk__in=ids)}
    assert batched[tree.street_a.pk]["licensing"]["decisions"] == 3
    assert batched[tree.street_b.pk]["fees"]["amount_10k_yuan"] is None
