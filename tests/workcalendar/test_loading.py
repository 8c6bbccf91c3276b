"""Loading a year's holiday arrangement: stored, used everywhere, open cases recomputed and audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.cases.choices import CaseNote
from gongkai.cases.due_dates import load_calendar_year
from gongkai.cases.models import Case
from gongkai.cli import main
from gongkai.core.calendar import DATA_DIR, EntryKind, parse_calendar_file
from gongkai.core.errors import CalendarDataError
from gongkai.workcalendar.loader import extra_years
from gongkai.workcalendar.models import LoadedYear
from gongkai.workcalendar.provider import working_calendar
from tests.factories import ClosedCase, InProgressCase

pytestmark = pytest.mark.django_db

D = dt.date

DAYS_2027 = """2027-01-01, 放假, 元旦
2027-02-05, 放假, 春节
2027-02-06, 放假, 春节
2027-02-07, 放假, 春节
2027-02-08, 放假, 春节
2027-02-09, 放假, 春节
2027-02-20, 上班, 春节"""
#: A day the provisional plan cannot know (a 元旦 bridge day, for the test): loading it moves due dates.
BRIDGE_DAY = "\n2026-12-31, 放假, 元旦"


def calendar_text(days: str = DAYS_2027, year: int = 2027) -> str:
    return f'''format = "gongkai-calendar/1"
year = {year}
days = """
{days}
"""

[source]
title = "国务院办公厅关于{year}年部分节假日安排的通知（测试）"
number = "国办发明电〔{year - 1}〕1号"
url = "https://www.gov.cn/test"
published = {year - 1}-11-01
'''


LOAD_DAY = D(2026, 12, 22)


def load(text: str | None = None, actor=None, today: dt.date = LOAD_DAY):  # type: ignore[no-untyped-def]
    text = text or calendar_text()
    return load_calendar_year(
        actor=actor, data=parse_calendar_file(text, "2027.toml"), text=text, file_name="2027.toml", today=today
    )


def test_loading_2027_recomputes_provisional_due_dates(tree, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    officer = tree.officer_a
    officer.email = "officer@example.cn"
    officer.save()
    crossing = InProgressCase(actor=officer, assigned_to=officer, today=D(2026, 12, 21))
    inside = InProgressCase(actor=officer, today=D(2026, 3, 2))  # due 2026-03-30: unchanged
    closed = ClosedCase(actor=officer, today=D(2026, 12, 21))  # closed: never recomputed
    # provisional 2027: 元旦 and weekends off (放假办法 第二条)
    assert (crossing.due_on, crossing.due_is_provisional) == (D(2027, 1, 19), True)

    with django_capture_on_commit_callbacks(execute=True):
        result = load(calendar_text(DAYS_2027 + BRIDGE_DAY), actor=tree.admin)
    assert [c.number for c in result.moved] == [crossing.number] and result.problems == ()
    assert "1件案件的期限有变化" in result.summary()

    crossing.refresh_from_db()
    assert (crossing.due_on, crossing.due_is_provisional, crossing.due_note) == (D(2027, 1, 20), False, "")
    assert crossing.version == 3  # a changed due date is a change: open forms become stale
    event = crossing.events.get(kind=CaseNote.DUE_DATE_CHANGED)
    assert event.payload["原期限"] == "2027-01-19" and event.payload["新期限"] == "2027-01-20"
    audit = AuditEvent.objects.for_object(crossing).get(action="case.due_date_changed")
    assert audit.actor == tree.admin and audit.changes["due_on"] == ["2027-01-19", "2027-01-20"]
    assert AuditEvent.objects.filter(action="calendar.year_loaded").count() == 1
    assert not AuditEvent.objects.for_object(inside).filter(action="case.due_date_changed").exists()
    assert not closed.events.filter(kind=CaseNote.DUE_DATE_CHANGED).exists()
    assert [m.to for m in mail.outbox] == [["officer@example.cn"]]
    assert "2027-01-19" in mail.outbox[0].body and "2027-01-20" in mail.outbox[0].body

    assert 2027 in working_calendar().known_years
    assert not working_calendar().is_working_day(D(2027, 1, 1))


def test_extra_years_hook_and_replacing_a_year(tree) -> None:  # type: ignore[no-untyped-def]
    assert extra_years() == []
    first = load()
    years = extra_years()
    assert [y.year for y in years] == [2027] and len(years[0].entries) == 7
    assert years[0].source.number == "国办发明电〔2026〕1号" and years[0].entries[0].line is not None
    second = load(calendar_text(DAYS_2027 + "\n2027-04-05, 放假, 清明节"))
    assert (first.replaced, second.replaced, second.off_days) == (False, True, 7)
    row = LoadedYear.objects.get()
    assert row.days.filter(kind=EntryKind.OFF).count() == 7 and "清明节" in row.text


def test_only_administrators_load_and_examples_are_refused(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        load(actor=tree.officer_a)
    example = (DATA_DIR / "2027.example.toml").read_text(encoding="utf-8")
    with pytest.raises(CalendarDataError, match="示例文件"):
        load_calendar_year(
            actor=None,
            data=parse_calendar_file(example, "x", allow_example=True),
            text=example,
            file_name="2027.example.toml",
            today=D(2026, 12, 1),
        )
    assert LoadedYear.objects.count() == 0


def test_cli_load_and_deadline_use_the_database(tree, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "2027.toml"
    good.write_text(calendar_text(), encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(calendar_text(DAYS_2027 + "\n2027-13-01, 放假, 元旦"), encoding="utf-8")
    assert main(["calendar", "load", str(bad), str(good)]) == 2
    out, err = capsys.readouterr()
    assert "bad.toml 第11行：无效日期 “2027-13-01”" in err
    assert "已加载2027年节假日安排：放假6天，调休上班1天" in out
    assert LoadedYear.objects.get().file_name == "2027.toml"
    assert main(["deadline", "--received", "2026-12-21"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "2027-01-19"


# ---------------------------------------------------------------------------------------------
# The screens
# ---------------------------------------------------------------------------------------------


def _upload(client: Client, text: str, button: str = "load", name: str = "2027.toml"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("workcalendar:upload"), {"file": SimpleUploadedFile(name, text.encode("utf-8")), button: "1"}
    )


def test_upload_screen_is_for_administrators(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    assert client.get(reverse("workcalendar:upload")).status_code == 403
    assert _upload(client, calendar_text()).status_code == 403
    assert client.get(reverse("workcalendar:year_list")).status_code == 200  # everyone reads the calendar
    assert LoadedYear.objects.count() == 0


def test_upload_shows_the_bad_line(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.admin)
    response = _upload(client, calendar_text(DAYS_2027 + "\n2027-03-01, 上班, 调休"), name="x.toml")
    assert response.status_code == 400
    assert response.context["error"] == "x.toml 第11行：2027-03-01 是周一，本来就是工作日，不能列为调休上班"
    assert [n for n, _, bad in response.context["lines"] if bad] == [11]
    assert "不是有效的 TOML" in _upload(client, "year = ", name="y.toml").context["error"]
    response = client.post(
        reverse("workcalendar:upload"), {"file": SimpleUploadedFile("z.toml", b"\xff\xfe\x00"), "load": "1"}
    )
    assert response.status_code == 400 and "UTF-8" in response.context["error"]
    assert LoadedYear.objects.count() == 0


def test_upload_check_then_load(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    InProgressCase(actor=tree.officer_a, today=D(2026, 12, 21))
    client.force_login(tree.admin)
    checked = _upload(client, calendar_text(), button="check")
    assert checked.status_code == 200 and checked.context["checked"].year == 2027
    assert LoadedYear.objects.count() == 0
    loaded = _upload(client, calendar_text(DAYS_2027 + BRIDGE_DAY))
    assert loaded.status_code == 302 and loaded["Location"] == reverse("workcalendar:year_detail", args=[2027])
    page = client.get(loaded["Location"])
    text = page.content.decode()
    assert "已加载2027年节假日安排" in text and "2027-01-19（暂定） → 2027-01-20" in text
    assert "国务院办公厅关于2027年部分节假日安排的通知（测试）" in text
    assert Case.objects.get().due_on == D(2027, 1, 20)


def test_year_pages(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    listing = client.get(reverse("workcalendar:year_list"))
    assert [y["year"] for y in listing.context["years"]][:2] == [2026, 2025]
    assert "2027年节假日安排尚未加载" in listing.content.decode() or listing.context["next_missing"] is None
    page = client.get(reverse("workcalendar:year_detail", args=[2026]))
    assert page.status_code == 200 and "春节" in page.content.decode()
    assert client.get(reverse("workcalendar:year_detail", args=[2099])).status_code == 404
