"""In a real browser, as the demo supervisor (my_supervisor, 密云区政府): the trend chart marks
行政许可's jump 550 → 9,487 of 密云区政务服务局, the 雷同 heatmap has the two 镇's copied cell,
and the cell's link opens the two texts side by side with the shared passages highlighted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.backoffice.demo import DEMO_PASSWORD, load_foundation
from gongkai.dashboards import demo_trends

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)
    load_foundation()
    demo_trends.load(today=TODAY, log=lambda _: None)


def test_trend_jump_and_similarity_heatmap(live_server, page, screenshots) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill("my_supervisor")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_server.url + reverse("dashboards:trends"))
    page.wait_for_selector("html[data-charts-ready='1']")
    page.screenshot(path=str(screenshots / "trends-1-page.png"), full_page=True)

    option = page.evaluate("() => window.gongkaiCharts.trend.getOption()")
    assert option["xAxis"][0]["data"] == ["2021年", "2022年", "2023年", "2024年", "2025年"]
    line = next(s for s in option["series"] if s["name"] == "密云区政务服务局")
    assert line["data"][-2:] == [550, 9487]
    assert [p["value"] for p in line["markPoint"]["data"]] == ["+1,625%"]
    marked = page.locator("[data-chart-table='trend'] td.chart-marked")
    assert "9,487" in " ".join(marked.all_inner_texts())

    heat = page.evaluate("() => window.gongkaiCharts.similarity.getOption()")
    names = heat["yAxis"][0]["data"]
    xwz, mjy = names.index("太师屯镇"), names.index("穆家峪镇")
    cells = {(x, y): v for x, y, v in heat["series"][0]["data"]}
    assert cells[(xwz, mjy)] > 50  # most of 穆家峪镇's text is in 太师屯镇's
    assert all(v < 20 for (x, y), v in cells.items() if {x, y} != {xwz, mjy})

    # The table has a row per compared agency and a column per agency whose text is measured.
    row = page.locator("[data-chart-table='similarity'] tbody tr", has_text="穆家峪镇").first
    link = row.locator("td").nth(xwz).locator("a")  # 太师屯镇's text against 穆家峪镇's
    link.click()
    page.wait_for_selector("mark")
    page.screenshot(path=str(screenshots / "trends-2-pair.png"), full_page=True)
    assert "北京市密云区太师屯镇人民政府 ↔ 北京市密云区穆家峪镇人民政府" in page.locator("h1").inner_text()
    assert "全面推进政务公开的决策部署" in " ".join(page.locator("mark").all_inner_texts())
    assert Agency.objects.filter(code__startswith="DEMO-T-").count() == 4
