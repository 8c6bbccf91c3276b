"""In a real browser, as the demo officer: the agency dashboard draws its charts with the figures
the selectors count, and the table under each chart holds the same numbers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.backoffice.demo import DEMO_PASSWORD, load_all
from gongkai.core.stats_agency import Timeliness
from gongkai.dashboards.agency_selectors import case_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)


def _series(page, key: str, index: int) -> list:  # type: ignore[no-untyped-def,type-arg]
    return page.evaluate(  # type: ignore[no-any-return]
        "([key, i]) => window.gongkaiCharts[key].getOption().series[i].data.map("
        "d => (d !== null && typeof d === 'object') ? d.value : d)",
        [key, index],
    )


def _column(page, key: str, column: int) -> list[int]:  # type: ignore[no-untyped-def]
    cells = page.locator(f'[data-chart-table="{key}"] tbody tr td:nth-of-type({column})').all_inner_texts()
    return [int(c.split()[0].replace(",", "")) if c.strip() not in ("", "—") else 0 for c in cells]


def test_the_demo_officer_reads_the_dashboard(live_server, page, screenshots) -> None:  # type: ignore[no-untyped-def]
    load_all(today=TODAY, log=lambda _: None)
    officer = User.objects.get(username="gy_officer")
    figures = case_figures(officer, officer.agency, TODAY.year, TODAY)
    assert figures.received_total > 12 and figures.late > 0  # the demo has a year to show

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill("gy_officer")
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="工作统计").first.click()
    page.wait_for_selector("html[data-charts-ready='1']")
    assert page.get_by_role("heading", level=1).inner_text().startswith(officer.agency.name)

    assert _series(page, "received_closed", 0) == figures.received
    assert _series(page, "received_closed", 1) == figures.closed
    assert _column(page, "received_closed", 1) == figures.received
    assert _series(page, "overdue", 0) == figures.overdue
    assert _column(page, "overdue", 1) == figures.overdue
    assert _series(page, "timeliness", 2) == figures.by_timeliness[Timeliness.LATE]
    assert page.locator('[data-figure="rate"]').inner_text() == f"{figures.rate}%"
    page.screenshot(path=str(screenshots / "agency-dashboard-1.png"), full_page=True)

    page.select_option("#id_year", "2023")
    page.get_by_role("button", name="查看").click()
    page.wait_for_selector("html[data-charts-ready='1']")
    assert "2023年工作统计" in page.get_by_role("heading", level=1).inner_text()
    past = case_figures(officer, officer.agency, 2023, TODAY)
    assert sum(_series(page, "received_closed", 0)) == past.received_total == 29
    assert sum(_column(page, "items_month", 1)) + sum(_column(page, "items_month", 2)) == 325
    page.screenshot(path=str(screenshots / "agency-dashboard-2023.png"), full_page=True)
