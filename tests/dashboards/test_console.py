"""The supervisor's console: the publication board, 催报, the roll-up; scoping and bad input."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai import clock
from gongkai.audit.models import AuditEvent
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import Table3Key
from gongkai.core.stats_console import BoardState
from gongkai.dashboards import console_selectors as selectors
from gongkai.dashboards.console_services import OutOfReach, ReminderError, send_reminders
from gongkai.dashboards.models import Reminder, ReminderChannel
from gongkai.dashboards.sources import ReportSource
from gongkai.notifications import sms
from gongkai.reports.models import AnnualReportRecord
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch
from tests.factories import CaseFactory

TODAY = dt.date(2026, 12, 3)
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
YEAR = 2025  # due 2026-01-31 for 街道 and departments: passed


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _report(new: int, year: int) -> dict:  # type: ignore[type-arg]
    report = AnnualReport.zero(agency="x", year=year)
    report.table3[Table3Key.NEW] = [new, 0, 0, 0, 0, 0, new]
    return report.to_dict()


def _published(tree, agency, year: int, on: dt.date, new: int = 10) -> AnnualReportRecord:  # type: ignore[no-untyped-def]
    at = dt.datetime(on.year, on.month, on.day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    return AnnualReportRecord.objects.create(
        agency=agency,
        year=year,
        status=ReportStatus.PUBLISHED,
        snapshot=_report(new, year),
        signed_by=tree.leader_a,
        signed_at=at,
        published_at=at,
    )


def _upload(tree, agency, year: int, new: int) -> ReadReport:  # type: ignore[no-untyped-def]
    batch = ReportBatch.objects.create(agency=tree.district, uploaded_by=tree.supervisor)
    return ReadReport.objects.create(
        batch=batch,
        position=1,
        file_name="r.docx",
        sha256="0" * 64,
        year=year,
        matched_agency=agency,
        report=_report(new, year),
        status=ReadStatus.CONSISTENT,
    )


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


# -- the board -----------------------------------------------------------------------------


def test_board_states_and_scope(tree) -> None:  # type: ignore[no-untyped-def]
    _published(tree, tree.street_a, YEAR, dt.date(2026, 2, 15))  # after 1-31: late
    board = selectors.board(tree.supervisor, YEAR, today=TODAY)
    states = {r.agency_id: r.state for r in board.rows}
    assert states == {tree.street_a.pk: BoardState.PUBLISHED_LATE, tree.street_b.pk: BoardState.MISSING}
    assert board.counts[BoardState.MISSING] == 1 and board.remindable == 1
    _upload(tree, tree.street_b, YEAR, 5)
    states = {r.agency_id: r.state for r in selectors.board(tree.supervisor, YEAR, today=TODAY).rows}
    assert states[tree.street_b.pk] is BoardState.UPLOADED
    assert selectors.board(tree.other_supervisor, YEAR, today=TODAY).rows == []
    admin_ids = {r.agency_id for r in selectors.board(tree.admin, YEAR, today=TODAY).rows}
    assert {tree.street_a.pk, tree.street_b.pk, tree.district.pk, tree.other_district.pk} <= admin_ids


def test_board_on_time_and_not_due(tree) -> None:  # type: ignore[no-untyped-def]
    _published(tree, tree.street_a, YEAR, dt.date(2026, 1, 20))
    rows = {r.agency_id: r for r in selectors.board(tree.supervisor, YEAR, today=dt.date(2026, 1, 25)).rows}
    assert rows[tree.street_a.pk].state is BoardState.PUBLISHED_ON_TIME
    assert rows[tree.street_b.pk].state is BoardState.NOT_DUE
    assert not rows[tree.street_b.pk].remindable


def test_board_filters_by_parent_and_level(tree) -> None:  # type: ignore[no-untyped-def]
    rows = selectors.board(tree.admin, YEAR, today=TODAY, parent=tree.district.pk).rows
    assert {r.agency_id for r in rows} == {tree.street_a.pk, tree.street_b.pk}
    assert selectors.board(tree.supervisor, YEAR, today=TODAY, level="county").rows == []


# -- 催报 ----------------------------------------------------------------------------------


def test_reminder_sends_mail_sms_and_notice_with_an_audit_row(tree) -> None:  # type: ignore[no-untyped-def]
    tree.officer_b.email, tree.officer_b.phone = "b@example.cn", "13900000000"
    tree.officer_b.save()
    sent = send_reminders(
        actor=tree.supervisor, agency_ids=[tree.street_b.pk], year=YEAR, channels=list(ReminderChannel.values), now=NOW
    )
    assert len(sent) == 1 and sent[0].channels == ["email", "sms", "notice"]
    assert [m.to for m in mail.outbox] == [["b@example.cn"]]
    assert str(YEAR) in mail.outbox[0].subject and tree.street_b.name in mail.outbox[0].body
    assert [s.to for s in sms.outbox] == ["13900000000"]
    event = AuditEvent.objects.get(action="dashboards.report_reminded")
    assert event.agency_id == tree.street_b.pk and event.actor_id == tree.supervisor.pk
    row = next(r for r in selectors.board(tree.supervisor, YEAR, today=TODAY).rows if r.agency_id == tree.street_b.pk)
    assert row.reminder is not None and row.reminder.sent_at == NOW
    # the agency's officer sees it on the 工作台; another agency's officer does not
    assert _client(tree.officer_b).get("/office/").content.decode().count("已催报 12月3日") == 1
    assert "已催报" not in _client(tree.officer_a).get("/office/").content.decode()


def test_reminder_outside_reach_sends_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfReach):
        send_reminders(
            actor=tree.other_supervisor, agency_ids=[tree.street_b.pk], year=YEAR, channels=["email"], now=NOW
        )
    with pytest.raises(OutOfReach):  # a supervisor does not 催报 itself
        send_reminders(actor=tree.supervisor, agency_ids=[tree.district.pk], year=YEAR, channels=["email"], now=NOW)
    assert not Reminder.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("ids", "channels", "year", "message"),
    [
        ([], ["email"], YEAR, ""),
        ("b", [], YEAR, ""),
        ("b", ["fax"], YEAR, ""),
        ("b", ["email"], 1999, ""),
        ("b", ["email"], YEAR, "x" * 501),
    ],
)
def test_reminder_refuses_bad_input(tree, ids, channels, year, message) -> None:  # type: ignore[no-untyped-def]
    agency_ids = [tree.street_b.pk] if ids == "b" else ids
    with pytest.raises(ReminderError):
        send_reminders(
            actor=tree.supervisor, agency_ids=agency_ids, year=year, channels=channels, message=message, now=NOW
        )
    assert not Reminder.objects.exists()


# -- views ---------------------------------------------------------------------------------


def test_board_page_and_remind_post(tree) -> None:  # type: ignore[no-untyped-def]
    client = _client(tree.supervisor)
    page = client.get(reverse("dashboards:console_board"), {"year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-count="missing">2<' in html and f'value="{tree.street_b.pk}"' in html
    answer = client.post(
        reverse("dashboards:console_remind"),
        {"year": YEAR, "agency": [tree.street_b.pk], "channel": ["notice"], "back": f"year={YEAR}"},
    )
    assert answer.status_code == 302
    assert Reminder.objects.filter(agency=tree.street_b, year=YEAR).count() == 1
    assert "已催报 12月3日" in client.get(answer["Location"]).content.decode()


@pytest.mark.parametrize(
    "data",
    [{"agency": "abc", "channel": "email"}, {"year": "x"}, {"agency": "", "channel": ""}, {"year": "99999999999999"}],
)
def test_remind_bad_input_never_500(tree, data) -> None:  # type: ignore[no-untyped-def]
    answer = _client(tree.supervisor).post(reverse("dashboards:console_remind"), data)
    assert answer.status_code == 302 and not Reminder.objects.exists()


def test_console_scoping(tree) -> None:  # type: ignore[no-untyped-def]
    board_url = reverse("dashboards:console_board")
    assert _client(tree.clerk_a).get(board_url).status_code == 403
    assert _client(tree.officer_a).get(reverse("dashboards:console_rollup")).status_code == 403
    other = _client(tree.other_supervisor)
    assert tree.street_a.name not in other.get(board_url, {"year": YEAR}).content.decode()
    answer = other.post(
        reverse("dashboards:console_remind"), {"year": YEAR, "agency": tree.street_a.pk, "channel": "email"}
    )
    assert answer.status_code == 404 and not Reminder.objects.exists()
    assert other.get(reverse("dashboards:console_rollup"), {"agency": tree.street_a.pk}).status_code == 404
    assert other.get(reverse("dashboards:console_board"), {"parent": tree.district.pk, "year": YEAR}).status_code == 200


def test_board_xlsx(tree) -> None:  # type: ignore[no-untyped-def]
    _published(tree, tree.street_a, YEAR, dt.date(2026, 1, 10))
    answer = _client(tree.supervisor).get(reverse("dashboards:console_board_xlsx"), {"year": YEAR})
    assert answer.status_code == 200
    book = load_workbook(BytesIO(answer.content))
    rows = list(book.worksheets[0].values)
    assert rows[0][0] == "机构" and {r[0]: r[2] for r in rows[1:]} == {
        tree.street_a.name: "按时发布",
        tree.street_b.name: "逾期未发布",
    }
    assert list(book["统计"].values)[-1] == ("合计", 2)


# -- roll-up -------------------------------------------------------------------------------


def test_rollup_past_year_sums_sources(tree) -> None:  # type: ignore[no-untyped-def]
    _published(tree, tree.street_a, YEAR, dt.date(2026, 1, 10), new=10)
    _upload(tree, tree.street_b, YEAR, 5)
    data = selectors.rollup(tree.supervisor, YEAR, None, today=TODAY)
    assert data.table3["new"][6] == 15 and not data.live
    assert {r.agency_id: r.source for r in data.rows} == {
        tree.street_a.pk: ReportSource.PUBLISHED,
        tree.street_b.pk: ReportSource.UPLOADED,
    }
    only_b = selectors.rollup(tree.supervisor, YEAR, [tree.street_b.pk], today=TODAY)
    assert only_b.table3["new"][6] == 5
    assert selectors.rollup(tree.other_supervisor, YEAR, [tree.street_a.pk], today=TODAY).rows == []


def test_rollup_current_year_is_live_for_agencies_on_the_system(tree) -> None:  # type: ignore[no-untyped-def]
    CaseFactory(actor=tree.officer_a, today=dt.date(2026, 3, 2))
    CaseFactory(actor=tree.officer_a, today=dt.date(2026, 3, 3))
    _upload(tree, tree.street_b, 2026, 4)
    data = selectors.rollup(tree.supervisor, 2026, None, today=TODAY)
    assert data.live
    assert {r.agency_id: r.source for r in data.rows} == {
        tree.street_a.pk: ReportSource.LIVE,
        tree.street_b.pk: ReportSource.UPLOADED,
    }
    assert data.table3["new"][6] == 6


def test_rollup_page_and_xlsx(tree) -> None:  # type: ignore[no-untyped-def]
    _published(tree, tree.street_a, YEAR, dt.date(2026, 1, 10), new=10)
    client = _client(tree.supervisor)
    page = client.get(reverse("dashboards:console_rollup"), {"year": YEAR})
    html = page.content.decode()
    assert page.status_code == 200 and "系统内发布" in html and "无数据" in html and "合计" in html
    book = load_workbook(BytesIO(client.get(reverse("dashboards:console_rollup_xlsx"), {"year": YEAR}).content))
    assert dict(list(book["数据来源"].values)[1:]) == {tree.street_a.name: "系统内发布", tree.street_b.name: "无数据"}
    new_row = next(r for r in book["表三"].values if str(r[0]).startswith("一、"))
    assert new_row[-1] == 10
    assert client.get(reverse("dashboards:console_rollup"), {"year": "abc", "agency": "x"}).status_code == 404
