"""The trend pages: selectors (indicator lines and jumps, outcome mix, channels, 纠错率 against
peers, 雷同 matrix and pair), scoping (403/404), the .xlsx export, the demo data."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkai.agencies.models import Agency
from gongkai.backoffice.demo import load_foundation
from gongkai.core.report.jumps import JumpThresholds
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import Table3Key
from gongkai.dashboards import demo_trends
from gongkai.dashboards import trends_selectors as sel
from gongkai.reports.models import AnnualReportRecord

pytestmark = pytest.mark.django_db

COPIED = (
    "本单位坚持以人民为中心的发展思想，全面落实政务公开各项要求，持续深化重点领域信息公开工作。"
    "全年组织业务培训，规范依申请公开办理流程，做到受理、审核、答复全流程留痕管理。"
    "下一步将进一步丰富政策解读形式，提升公开质量和实效，更好回应社会关切。"
)


def _publish(
    tree: Any,
    agency: Agency,
    year: int,
    *,
    licensing: int = 0,
    new: int = 0,
    sections: dict | None = None,
    t4: tuple[int, int, int] = (0, 0, 0),
) -> None:  # type: ignore[type-arg]
    report = AnnualReport.zero(agency=agency.name, year=year)
    report.table2["licensing"]["decisions"] = licensing
    report.table3[Table3Key.NEW] = [new, 0, 0, 0, 0, 0, new]
    report.table3[Table3Key.GRANTED] = [new, 0, 0, 0, 0, 0, new]
    upheld, corrected, other = t4
    report.table4["reconsideration"].update(upheld=upheld, corrected=corrected, other=other, total=sum(t4))
    if sections:
        report.sections = sections
    now = timezone.now()
    AnnualReportRecord.objects.create(
        agency=agency,
        year=year,
        status=ReportStatus.PUBLISHED,
        snapshot=report.to_dict(),
        signed_by=tree.leader_a,
        signed_at=now,
        published_at=now,
    )


@pytest.fixture
def history(tree: Any) -> Any:
    for year, value in zip(range(2021, 2026), (512, 498, 537, 550, 9487), strict=True):
        _publish(tree, tree.street_a, year, licensing=value, new=10 + year % 5, t4=(3, 1, 0))
    for year in range(2021, 2026):
        _publish(tree, tree.street_b, year, licensing=60, new=5, t4=(1, 1, 0))
    _publish(tree, tree.other_district, 2025, licensing=1)  # outside the supervisor's reach
    return tree


def _scope(user: Any, **params: Any) -> sel.TrendScope:
    return sel.trend_scope(user, {k: str(v) for k, v in params.items()}, default_year=2025)


def test_scope_defaults_to_the_supervisors_subordinates_and_ignores_junk(history: Any) -> None:
    scope = _scope(history.supervisor, parent="abc", year="99999", agency=history.other_district.pk, indicator="nope")
    assert scope.parent == history.district
    assert {a.pk for a in scope.agencies} == {history.street_a.pk, history.street_b.pk}
    assert scope.year == 2025 and scope.years == [2021, 2022, 2023, 2024, 2025]
    assert scope.agency is None  # another district's agency is not offered
    assert scope.indicator.key == "t2.licensing.decisions"
    assert _scope(history.supervisor, level="county").agencies == []


def test_trend_marks_the_big_jump_only(history: Any) -> None:
    scope = _scope(history.supervisor)
    lines = sel.indicator_trends(scope, sel.scope_reports(history.supervisor, scope), JumpThresholds())
    by_name = {line.name: line for line in lines}
    a = by_name[history.street_a.name]
    assert a.values == [512, 498, 537, 550, 9487]
    assert [(j.index, j.note) for j in a.jumps] == [(4, "+1,625%")]
    assert by_name[history.street_b.name].jumps == []
    assert by_name["合计"].values == [572, 558, 597, 610, 9547]


def test_outcome_mix_per_agency_and_per_year(history: Any) -> None:
    scope = _scope(history.supervisor)
    categories, series = sel.outcome_mix(scope, sel.scope_reports(history.supervisor, scope))
    assert len(categories) == 2 and series["granted"] == [10, 5]
    one = _scope(history.supervisor, agency=history.street_a.pk)
    categories, series = sel.outcome_mix(one, sel.scope_reports(history.supervisor, one))
    assert categories == ["2021年", "2022年", "2023年", "2024年", "2025年"]
    assert series["granted"] == [11, 12, 13, 14, 10]


def test_channels_fall_back_to_the_report_total(history: Any) -> None:
    scope = _scope(history.supervisor)
    rows = sel.channel_volume(history.supervisor, scope, sel.scope_reports(history.supervisor, scope))
    assert {r.agency.pk: r.report_total for r in rows} == {history.street_a.pk: 10, history.street_b.pk: 5}


def test_correction_rate_against_peers(history: Any) -> None:
    rows = {r.agency.pk: r for r in sel.correction_rates(history.supervisor, _scope(history.supervisor))}
    assert rows[history.street_a.pk].reconsideration.percent == 25.0
    assert rows[history.street_a.pk].peer_reconsideration == 50.0  # street_b, its only peer in reach
    assert rows[history.street_b.pk].peer_reconsideration == 25.0


def test_similarity_matrix_and_pair(tree: Any) -> None:
    own_a = {"overview": "甲街道今年重点推进老旧小区改造信息公开，在社区公告栏逐月张贴工程进度。" * 2}
    _publish(tree, tree.street_a, 2025, sections={"overview": COPIED + own_a["overview"]})
    _publish(tree, tree.street_b, 2025, sections={"overview": COPIED})
    matrix = sel.similarity_matrix(tree.supervisor, _scope(tree.supervisor))
    assert [a.pk for a in matrix.agencies] == [tree.street_a.pk, tree.street_b.pk]
    assert matrix.shares[0][0] is None
    assert 0.3 < (matrix.shares[0][1] or 0) < 0.9  # a's own paragraph dilutes the copy
    assert matrix.shares[1][0] == 1.0  # everything b wrote is in a's
    pair = sel.similarity_pair(tree.supervisor, 2025, tree.street_b.pk, tree.street_a.pk)
    assert pair is not None and pair.share == 1.0 and pair.rows
    assert any(copied for _, copied in pair.rows[0].mine)
    assert sel.similarity_pair(tree.supervisor, 2025, tree.street_a.pk, tree.street_a.pk) is None
    assert sel.similarity_pair(tree.supervisor, 2025, tree.street_a.pk, tree.other_district.pk) is None
    assert sel.similarity_pair(tree.officer_a, 2025, tree.street_a.pk, tree.street_b.pk) is None


def test_similarity_matrix_caches_each_pair_by_content(tree: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _publish(tree, tree.street_a, 2025, sections={"overview": COPIED})
    _publish(tree, tree.street_b, 2025, sections={"overview": COPIED})
    compared: list[str] = []
    real = sel.compare_reports

    def counting(sections: Any, sources: Any, **kwargs: Any) -> Any:
        compared.append(next(iter(sections.values()))[:4])
        return real(sections, sources, **kwargs)

    monkeypatch.setattr(sel, "compare_reports", counting)
    first = sel.similarity_matrix(tree.supervisor, _scope(tree.supervisor))
    assert first.shares[0][1] == first.shares[1][0] == 1.0
    computed = len(compared)
    assert computed <= 2  # at most the two pairs (none when an earlier run cached these texts)
    again = sel.similarity_matrix(tree.supervisor, _scope(tree.supervisor))
    assert again.shares == first.shares and len(compared) == computed  # the second read computes nothing
    # b publishes a corrected version 2: its pairs are new content and computed again, the stale share not served
    record = AnnualReportRecord.objects.get(agency=tree.street_b, year=2025)
    rewritten = AnnualReport.from_dict(record.snapshot)
    rewritten.sections = {"overview": "乙街道本年度围绕民生实事逐项公开进展，自行撰写，未照抄他人。" * 3}
    now = timezone.now()
    AnnualReportRecord.objects.create(
        agency=tree.street_b,
        year=2025,
        version=record.version + 1,
        supersedes=record,
        status=ReportStatus.PUBLISHED,
        snapshot=rewritten.to_dict(),
        signed_by=tree.leader_a,
        signed_at=now,
        published_at=now,
    )
    after = sel.similarity_matrix(tree.supervisor, _scope(tree.supervisor))
    assert len(compared) == computed + 2
    assert after.shares[0][1] == after.shares[1][0] == 0.0


def _get(user: Any, url: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_pages_and_scoping(history: Any) -> None:
    url = reverse("dashboards:trends")
    page = _get(history.supervisor, url + "?year=2025")
    assert page.status_code == 200
    assert 'data-chart-table="trend"' in page.content.decode()
    assert "+1,625%" in page.content.decode()
    assert _get(history.supervisor, url + "?year=x&parent=%27&level=<b>").status_code == 200  # junk: no 500
    for user in (history.officer_a, history.clerk_a, history.leader_a):
        assert _get(user, url).status_code == 403
    pair = reverse("dashboards:trends_pair", kwargs={"year": 2025, "a": history.street_a.pk, "b": history.street_b.pk})
    assert _get(history.supervisor, pair).status_code == 200
    assert _get(history.officer_a, pair).status_code == 403
    assert _get(history.other_supervisor, pair).status_code == 404
    outside = reverse(
        "dashboards:trends_pair", kwargs={"year": 2025, "a": history.street_a.pk, "b": history.other_district.pk}
    )
    assert _get(history.admin, outside).status_code == 404  # not siblings


def test_export_has_every_chart_with_the_jump_marked(history: Any) -> None:
    response = _get(history.supervisor, reverse("dashboards:trends_export") + "?year=2025")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["指标趋势", "办理结果构成", "收件渠道", "纠错率", "雷同矩阵"]
    rows = list(book["指标趋势"].iter_rows(values_only=True))
    assert rows[1][-1] == "同比异常"
    last = next(r for r in rows if r[0] == "2025年")
    assert 9487 in last and "+1,625%" in (last[-1] or "")
    assert not any(r[0] == "合计" for r in book["纠错率"].iter_rows(values_only=True))  # rates do not add up
    assert any(r[0] == "合计" for r in book["办理结果构成"].iter_rows(values_only=True))


def test_demo_is_idempotent_and_has_the_jump() -> None:
    load_foundation()
    today = dt.date(2026, 6, 1)
    demo_trends.load(today=today, log=lambda _: None)
    count = AnnualReportRecord.objects.count()
    demo_trends.load(today=today, log=lambda _: None)
    assert AnnualReportRecord.objects.count() == count == 20
    zwfw = Agency.objects.get(code="DEMO-T-ZWFW")
    values = [
        AnnualReport.from_dict(r.snapshot).table2["licensing"]["decisions"]
        for r in AnnualReportRecord.objects.filter(agency=zwfw).order_by("year")
    ]
    assert values[-2:] == [550, 9487]
