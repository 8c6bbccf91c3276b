"""The desk's list pages without counting every case (gongkai.cases.pager).

The unfiltered total comes from the summary rows of table 三 plus the cases not yet received:
on random histories it equals the live count for every role; a filtered list, and a clerk's,
count a bounded number of rows past the page and say "共 N 件以上" beyond.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.cases import pager, views
from gongkai.cases.models import Case
from gongkai.cases.pager import desk_page, unfiltered_total
from tests.cases.test_year_figures import _history
from tests.factories import InProgressCase, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize("seed", [3, 2026])
def test_unfiltered_total_equals_the_live_count(tree: Any, seed: int, client: Client) -> None:
    rng = random.Random(seed)
    for n in range(60):
        _history(rng, tree.officer_a, tree.leader_a, tree.street_a, n)
    leader_b = UserFactory(username=f"leader_b{seed}", agency=tree.street_b, role=Role.LEADER)
    for n in range(25):
        _history(rng, tree.officer_b, leader_b, tree.street_b, 500 + n)
    # Some applications never confirmed: no receipt date, in no summary row, still on the desk.
    assert Case.objects.filter(received_on__isnull=True).exists()
    assert Case.objects.filter(received_on__isnull=False).exists()
    manager = UserFactory(username="manager_a", agency=tree.street_a, role=Role.MANAGER)
    for user in (tree.officer_a, tree.leader_a, tree.officer_b, tree.supervisor, tree.other_supervisor, tree.admin):
        assert unfiltered_total(user) == Case.objects.visible_to(user).count(), user.username
    assert unfiltered_total(manager) == 0
    assert unfiltered_total(tree.clerk_a) is None  # a clerk's scope is counted, not summed

    client.force_login(tree.supervisor)
    page = client.get(reverse("cases:desk"))
    live = Case.objects.visible_to(tree.supervisor).count()
    assert page.context["page"].count == live and not page.context["page"].capped
    if live > views.PAGE_SIZE:
        assert f"（共 {live} 件）" in page.content.decode()


def _many(tree: Any, count: int) -> list[Case]:
    return [
        InProgressCase(actor=tree.officer_a, today=D(2026, 3, 2) + dt.timedelta(days=i % 20), applicant_name=f"张{i}")
        for i in range(count)
    ]


def test_filtered_list_counts_a_bounded_number_of_rows(tree: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(pager, "COUNT_AHEAD", 5)
    _many(tree, 10)
    qs = Case.objects.visible_to(tree.officer_a).order_by("-year", "-sequence")
    numbers = list(qs.values_list("number", flat=True))
    first = desk_page(qs, 1, per_page=2)
    assert (first.count, first.capped, first.has_next()) == (5, True, True)
    assert [c.number for c in first] == numbers[:2]
    third = desk_page(qs, "3", per_page=2)  # rows 5-6, counted up to 4 + 5 = 9: more than that
    assert (third.count, third.capped, third.number) == (9, True, 3)
    assert [c.number for c in third] == numbers[4:6]
    fourth = desk_page(qs, 4, per_page=2)  # counted up to 11: all 10, exact
    assert (fourth.count, fourth.capped, fourth.num_pages) == (10, False, 5)
    past = desk_page(qs, 99, per_page=2)  # past the end: the last page, exact
    assert (past.number, past.count, past.capped, [c.number for c in past]) == (5, 10, False, numbers[8:])
    assert desk_page(qs, "x", per_page=2).number == 1
    exact = desk_page(qs, 2, per_page=3, total=10)
    assert (exact.count, exact.capped, exact.num_pages, [c.number for c in exact]) == (10, False, 4, numbers[3:6])
    assert len(desk_page(qs.none(), 1, per_page=3, total=0)) == 0


def test_desk_says_more_than_when_a_filtered_list_is_capped(tree: Any, client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(pager, "COUNT_AHEAD", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    _many(tree, 8)
    client.force_login(tree.officer_a)
    html = client.get(reverse("cases:desk"), {"q": "张"}).content.decode()
    assert "第 1 页（共 5 件以上）" in html and "page=2" in html
    html = client.get(reverse("cases:desk"), {"q": "张", "page": 3}).content.decode()
    assert "第 3 / 4 页（共 8 件）" in html  # counted from row 5: all 8, exact
    # Unfiltered: the exact total from the summary rows, never capped.
    html = client.get(reverse("cases:desk")).content.decode()
    assert "第 1 / 4 页（共 8 件）" in html


def test_a_clerks_list_is_counted_with_the_cap(tree: Any, desk: Any, client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(pager, "COUNT_AHEAD", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(6):
        InProgressCase(actor=tree.officer_a, department=desk.city if i < 5 else desk.office, applicant_name=f"李{i}")
    client.force_login(desk.clerk)
    page = client.get(reverse("cases:desk")).context["page"]
    assert (page.count, page.capped) == (3, True)
    page = client.get(reverse("cases:desk"), {"page": 2}).context["page"]
    assert (page.count, page.capped, len(page)) == (5, False, 2)  # the clerk's 5, not the agency's 6


def test_desk_rows_are_escaped_and_link_each_case(tree: Any, desk: Any, client: Client, on_day: Any) -> None:
    """The rows built in Python (cases_tags.desk_rows / urgent_lines) escape what users typed."""
    on_day(D(2026, 3, 31))
    case = InProgressCase(
        actor=tree.officer_a, department=desk.office, today=D(2026, 3, 2), applicant_name="<b>王五</b>"
    )
    client.force_login(tree.officer_a)
    html = client.get(reverse("cases:desk")).content.decode()
    assert "<b>王五</b>" not in html and html.count("&lt;b&gt;王五&lt;/b&gt;") == 2  # a due-soon line and a row
    assert html.count(f'href="{reverse("cases:detail", args=[case.pk])}"') == 2
    assert f'<span class="badge bad">{case.due_on.isoformat()}</span>' in html  # overdue, in both places
