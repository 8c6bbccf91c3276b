"""In a real browser, as the demo supervisor: the publication board's chart and tiles show the
demo's states, 催报 of a missing agency records a reminder that reaches the outbox and shows on the
board, and the roll-up's chart shows the summed table 三."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.backoffice.demo import DEMO_PASSWORD, load_all
from gongkai.core.stats_console import BOARD_STATES, BoardState
from gongkai.dashboards import console_selectors as selectors
from gongkai.dashboards.models import Reminder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 12, 3)
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
YEAR = TODAY.year - 1


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)
    monkeypatch.setattr("gongkai.clock.now", lambda: NOW)


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def _series(page: Any, key: str) -> list[Any]:
    page.wait_for_selector("html[data-charts-ready='1']", state="attached")
    data = page.evaluate(f"window.gongkaiCharts['{key}'].getOption().series[0].data")
    return [d["value"] if isinstance(d, dict) else d for d in data]


def test_console_board_remind_and_rollup(live_server, page, screenshots) -> None:  # type: ignore[no-untyped-def]
    load_all(today=TODAY, log=lambda _: None)
    del mail.outbox[:]  # the demo's own letters to applicants
    supervisor = User.objects.get(username="my_supervisor")
    gulou = Agency.objects.get(code="BJ-MY-GL")
    User.objects.filter(username="gl_officer").update(email="gl@example.cn")
    expected = selectors.board(supervisor, YEAR, today=TODAY)
    assert all(expected.counts[s] for s in BOARD_STATES if s is not BoardState.NOT_DUE), expected.counts

    _login(page, live_server.url, "my_supervisor")
    page.goto(live_server.url + reverse("dashboards:console_board") + f"?year={YEAR}")
    assert _series(page, "console-states") == [expected.counts[s] for s in BOARD_STATES]
    table = page.locator("[data-chart-table='console-states'] tbody tr")
    assert table.count() == len(BOARD_STATES)
    assert page.locator(".tile").count() == len(expected.rows)
    assert page.locator(f".tile[data-agency='{gulou.pk}']").get_attribute("data-state") == BoardState.MISSING
    page.screenshot(path=str(screenshots / "console-1-board.png"), full_page=True)

    page.get_by_label(f"催报 {gulou.name}").check()
    page.get_by_role("button", name="发送催报").click()
    page.wait_for_selector(f"tr[data-agency='{gulou.pk}'] .reminded")
    assert "已催报 12月3日" in page.locator(f"tr[data-agency='{gulou.pk}']").inner_text()
    assert "已催报 12月3日" in page.locator(f".tile[data-agency='{gulou.pk}']").inner_text()
    assert Reminder.objects.filter(agency=gulou, year=YEAR, sent_by=supervisor).count() == 1
    assert [m.to for m in mail.outbox] == [["gl@example.cn"]]
    page.screenshot(path=str(screenshots / "console-2-reminded.png"), full_page=True)

    page.get_by_role("link", name="报表汇总（表二、三、四）").click()
    rollup = selectors.rollup(supervisor, YEAR, None, today=TODAY)
    values = _series(page, "console-rollup-outcomes")
    assert values[0] == rollup.table3["granted"][6] and sum(values) == rollup.table3["total"][6]
    assert sum(values) > 0
    page.screenshot(path=str(screenshots / "console-3-rollup.png"), full_page=True)
