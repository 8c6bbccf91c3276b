"""The agency dashboard's pages: who gets what, the charts' JSON and tables, the .xlsx, bad input."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.accounts.models import Role
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType
from tests.conftest import Tree
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
BOARD = reverse("dashboards:agency_board")
EXPORT = reverse("dashboards:agency_export")


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)


@pytest.fixture
def year(tree: Tree) -> None:
    """Street A: one application answered in time in March, one still open (overdue since 03-31)."""
    for n in (1, 2):
        case = services.register_application(
            actor=tree.officer_a,
            today=dt.date(2026, 3, 2),
            channel=Channel.IN_PERSON,
            applicant=Applicant(ApplicantType.NATURAL_PERSON, f"申请人{n}", id_number=f"1101011990010{n:05d}"),
            request_description="某文件",
        )
        case = services.start_processing(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 2))
        if n == 1:
            services.close_case(actor=tree.leader_a, case=case, outcome=Outcome.GRANTED, today=dt.date(2026, 3, 9))


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _chart(html: str, key: str) -> dict:  # type: ignore[type-arg]
    marker = f'id="chart-{key}-data" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])  # type: ignore[no-any-return]


def test_the_officer_sees_its_agencys_charts(tree: Tree, year: None) -> None:
    response = _client(tree.officer_a).get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert tree.street_a.name in html
    received = _chart(html, "received_closed")
    assert received["categories"][:3] == ["1月", "2月", "3月"]
    assert received["series"][0]["values"] == [0, 0, 2, 0, 0, 0]
    assert received["series"][1]["values"] == [0, 0, 1, 0, 0, 0]
    assert _chart(html, "overdue")["series"][0]["values"] == [0, 0, 1, 1, 1, 1]
    assert 'data-chart-table="timeliness"' in html
    assert "延长后的期限" in html  # how on time is computed, said under the chart
    assert 'data-figure="rate">100.0%' in html
    assert "vendor/echarts/echarts.min.js" in html


def test_a_past_year_and_bad_input(tree: Tree, year: None) -> None:
    client = _client(tree.officer_a)
    html = client.get(BOARD, {"year": "2025"}).content.decode()
    assert "2025年工作统计" not in html  # no record before 2026: the selector offers 2026 only
    for junk in ({"year": "abc"}, {"year": "99999999999"}, {"agency": "x"}, {"agency": "-1"}, {"year": " 2026 "}):
        assert client.get(BOARD, junk).status_code == 200
    assert client.get(EXPORT, {"year": "abc"}).status_code == 200


def test_another_agencys_officer_gets_a_404_and_a_manager_a_403(tree: Tree, year: None) -> None:
    assert _client(tree.officer_b).get(BOARD, {"agency": tree.street_a.pk}).status_code == 404
    assert _client(tree.officer_b).get(EXPORT, {"agency": tree.street_a.pk}).status_code == 404
    assert _client(tree.other_supervisor).get(BOARD, {"agency": tree.street_a.pk}).status_code == 404
    manager = UserFactory(username="mgr_a", agency=tree.street_a, role=Role.MANAGER)
    assert _client(manager).get(BOARD).status_code == 403
    assert Client().get(BOARD).status_code == 302


def test_the_supervisor_picks_an_agency_below_it(tree: Tree, year: None) -> None:
    client = _client(tree.supervisor)
    html = client.get(BOARD, {"agency": tree.street_a.pk}).content.decode()
    assert _chart(html, "received_closed")["series"][0]["values"][2] == 2
    assert f'<option value="{tree.street_b.pk}"' in html  # the selector lists its agencies
    assert tree.other_district.name not in html


def test_a_clerk_sees_its_own_cases_only(tree: Tree, year: None) -> None:
    html = _client(tree.clerk_a).get(BOARD).content.decode()
    assert "依申请公开的数字只含本科室" in html
    assert 'data-chart="chart-received_closed-data"' not in html  # nothing of its own: 暂无数据
    assert 'data-figure="received">0' in html


def test_the_export_has_the_same_figures(tree: Tree, year: None) -> None:
    response = _client(tree.leader_a).get(EXPORT, {"year": "2026"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'dashboard-{tree.street_a.pk}-2026.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[0] == "说明"
    rows = list(book["每月收到与办结的申请"].iter_rows(values_only=True))
    assert rows[0] == ("月份", "收到申请", "办结")
    assert rows[3] == ("3月", 2, 1)
    assert rows[-1] == ("合计", 2, 1)
    overdue = list(book["逾期未办结的申请（每月末）"].iter_rows(values_only=True))
    assert overdue[-1] == ("6月", 1)  # a line: no 合计 row


def test_the_home_page_and_nav_link_to_it(tree: Tree) -> None:
    html = _client(tree.officer_a).get(reverse("backoffice:home")).content.decode()
    assert html.count(BOARD) >= 2  # the nav and the 工作统计 panel
    manager = UserFactory(username="mgr_a", agency=tree.street_a, role=Role.MANAGER)
    assert BOARD not in _client(manager).get(reverse("backoffice:home")).content.decode()
