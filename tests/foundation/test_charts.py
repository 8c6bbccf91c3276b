"""gongkai.web.charts: the chart's JSON and its accessible table carry the same figures."""

from __future__ import annotations

import json

import pytest
from django.template.loader import render_to_string

from gongkai.web.charts import Chart, ChartKind, Series


def _permits() -> Chart:
    return Chart(
        key="permits",
        title="行政许可",
        kind=ChartKind.BAR,
        categories=["2021", "2022", "2023"],
        series=[Series("本年处理决定", [500, 550, 9487], marked=frozenset({2}), notes={2: "+1625%"})],
        unit="件",
        category_label="年度",
    )


def test_rows_follow_the_categories_and_carry_the_marks() -> None:
    rows = _permits().rows()
    assert [category for category, _ in rows] == ["2021", "2022", "2023"]
    assert [cells[0].value for _, cells in rows] == [500, 550, 9487]
    assert [cells[0].marked for _, cells in rows] == [False, False, True]
    assert rows[2][1][0].note == "+1625%"
    assert rows[2][1][0].text == "9,487"


def test_a_series_of_the_wrong_length_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match="本年新收"):
        Chart(key="x", title="t", kind=ChartKind.LINE, categories=["1月", "2月"], series=[Series("本年新收", [1])])


@pytest.mark.parametrize(
    ("kind", "has_total"),
    [
        (ChartKind.BAR, True),
        (ChartKind.STACKED, True),
        (ChartKind.PIE, True),
        (ChartKind.LINE, False),
        (ChartKind.HEATMAP, False),
    ],
)
def test_total_row_only_where_figures_add_up(kind: ChartKind, has_total: bool) -> None:
    chart = Chart(
        key="k", title="t", kind=kind, categories=["甲", "乙"], series=[Series("a", [1, None]), Series("b", [2, 3])]
    )
    total = chart.total_row()
    assert (total is not None) is has_total
    if total is not None:
        assert [cell.value for cell in total] == [1, 5]


def test_empty_chart_is_said_empty() -> None:
    chart = Chart(key="k", title="t", kind=ChartKind.BAR, categories=["甲"], series=[Series("a", [0])])
    assert chart.is_empty
    assert "暂无数据" in render_to_string("web/chart.html", {"chart": chart})


def test_template_holds_the_json_and_the_same_figures_in_its_table() -> None:
    html = render_to_string("web/chart.html", {"chart": _permits()})
    start = html.index('id="chart-permits-data"')
    payload = html[html.index(">", start) + 1 : html.index("</script>", start)]
    data = json.loads(payload)
    assert data["series"][0]["values"] == [500, 550, 9487]
    assert data["series"][0]["marked"] == [2]
    assert 'data-chart-table="permits"' in html
    assert "9,487" in html and "chart-marked" in html
    assert "<tfoot>" in html and "10,537" in html  # 合计 of the three years
    assert "http" not in html  # nothing from an outside host
