"""Every page of the desk renders for every demo login, on the demo data (no 500, no template error)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.cases.models import Case

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def demo(db, on_day):  # type: ignore[no-untyped-def]
    from gongkai.backoffice.demo import load_foundation
    from gongkai.cases import demo as cases_demo

    load_foundation()
    cases_demo.load(today=TODAY, log=lambda _: None)
    on_day(TODAY)


@pytest.mark.parametrize("username", ["gy_officer", "gy_clerk", "gy_leader", "my_supervisor", "gl_officer", "admin"])
def test_pages_render_for_each_login(demo, client: Client, username: str) -> None:  # type: ignore[no-untyped-def]
    user = User.objects.get(username=username)
    client.force_login(user)
    assert client.get(reverse("backoffice:home")).status_code == 200
    assert client.get(reverse("cases:desk")).status_code == 200
    assert client.get(reverse("cases:reviews")).status_code == 200
    assert client.get(reverse("workcalendar:year_list")).status_code == 200
    visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
    for case in Case.objects.all():
        expected = 200 if case.pk in visible else 404
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == expected, (username, case)
        assert client.get(reverse("cases:deadline", args=[case.pk])).status_code in (
            (200, 302) if case.pk in visible else (404,)
        )
    assert client.get("/api/cases/").status_code == 200


def test_demo_desk_shows_the_states(demo, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username="gy_officer"))
    page = client.get(reverse("cases:desk"))
    buckets = {key: len(cases) for key, _, cases in page.context["buckets"]}
    assert buckets["overdue"] == 1 and buckets["t2"] == 1
    text = page.content.decode()
    for label in ("待补正", "征求意见中", "待确认收到", "已办结", "暂定"):
        assert label in text, label
    client.force_login(User.objects.get(username="gy_clerk"))
    assert len(client.get(reverse("cases:desk")).context["page"]) == 1  # the 城市管理办公室 case only


def _repeated_ids(html: str) -> list[str]:
    from collections import Counter
    from html.parser import HTMLParser

    ids: Counter[str] = Counter()

    class Ids(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            ids.update(value for name, value in attrs if name == "id" and value)

    Ids().feed(html)
    return sorted(i for i, n in ids.items() if n > 1)


@pytest.mark.parametrize("username", ["gy_officer", "gy_leader"])
def test_case_pages_repeat_no_element_id(demo, client: Client, username: str) -> None:  # type: ignore[no-untyped-def]
    """Each action's form has its own ids, so every label points at its own field."""
    user = User.objects.get(username=username)
    client.force_login(user)
    for case in Case.objects.visible_to(user):
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert _repeated_ids(page) == [], case.number
    case = Case.objects.filter(request_description__contains="老旧小区改造").get()  # in progress: many forms
    bound = client.post(reverse("cases:act", args=[case.pk, "request_extension"]), {"version": case.version})
    assert bound.status_code in {200, 400, 422} and _repeated_ids(bound.content.decode()) == []
