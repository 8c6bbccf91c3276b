"""The agency dashboard's figures on a small built year: exact counts, extensions counted honestly,
the core's rules and the database's filters agreeing case by case, and who sees which figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Department
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.choices import ExtensionDecision
from gongkai.cases.models import Case
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.core.publication_flow import ItemStatus
from gongkai.core.report.taxonomy import ApplicantType
from gongkai.core.stats_agency import Timeliness, closing_timeliness, overdue_at
from gongkai.dashboards.agency_selectors import (
    available_years,
    case_figures,
    dashboard_agency,
    publication_figures,
)
from gongkai.publications.models import Category, Item
from gongkai.publications.timeliness import working_calendar
from tests.conftest import Tree
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 6, 15)
YEAR = 2026


@dataclass
class Built:
    tree: Tree
    clerk: User
    manager: User
    extended_on_time: Case
    extended_late: Case


def _register(actor: User, day: dt.date, n: int, **extra: object) -> Case:
    return services.register_application(
        actor=actor,
        today=day,
        channel=Channel.IN_PERSON,
        applicant=Applicant(ApplicantType.NATURAL_PERSON, f"申请人{n}", id_number=f"11010119900101{n:04d}"),
        request_description=f"第{n}号申请：某文件",
        **extra,
    )


def _extend(officer: User, leader: User, case: Case, days: int, *, approve: bool) -> Case:
    case = services.request_extension(actor=officer, case=case, days=days, reason="需要调档", today=D(2026, 3, 20))
    decide = services.approve_extension if approve else services.refuse_extension
    return decide(actor=leader, case=case, today=D(2026, 3, 23))


@pytest.fixture
def built(tree: Tree) -> Built:
    officer, leader = tree.officer_a, tree.leader_a
    city = Department.objects.create(agency=tree.street_a, name="城市管理办公室")
    clerk = UserFactory(username="clerk_city", agency=tree.street_a, role=Role.CLERK, department=city)
    manager = UserFactory(username="manager_a", agency=tree.street_a, role=Role.MANAGER)
    march = D(2026, 3, 2)  # due 2026-03-30 (20 working days)

    def start(n: int, day: dt.date = march, **extra: object) -> Case:
        return services.start_processing(actor=officer, case=_register(officer, day, n, **extra), today=day)

    # c1: answered within 20 working days, routed to the clerk's department.
    c1 = start(1, department=city)
    services.close_case(actor=leader, case=c1, outcome=Outcome.GRANTED, today=D(2026, 3, 10))
    # c2: extended by 20 working days; answered after the original due date, within the extension.
    c2 = _extend(officer, leader, start(2), 20, approve=True)
    assert c2.due_on is not None and c2.due_on > D(2026, 4, 20)
    c2 = services.close_case(actor=leader, case=c2, outcome=Outcome.PARTIAL, today=D(2026, 4, 20))
    # c3: extended by 10 working days (to mid-April); answered after the extended date: late.
    c3 = _extend(officer, leader, start(3), 10, approve=True)
    assert c3.due_on is not None and D(2026, 4, 1) < c3.due_on < D(2026, 4, 30)
    c3 = services.close_case(actor=leader, case=c3, outcome=Outcome.UNAVAILABLE_NOT_HELD, today=D(2026, 5, 6))
    # c4: never answered: overdue from 2026-03-31 on.
    start(4)
    # c5: 补正 requested, never corrected: closed without a period ever running.
    c5 = _register(officer, D(2026, 4, 1), 5)
    c5 = services.request_correction(
        actor=officer, case=c5, items="请写明文号", reply_by=D(2026, 4, 12), today=D(2026, 4, 2)
    )
    services.lapse_correction(actor=officer, case=c5, today=D(2026, 4, 20))
    # c7: received in 2025, answered late in January 2026.
    c7 = start(7, D(2025, 12, 1))
    services.close_case(actor=leader, case=c7, outcome=Outcome.GRANTED, today=D(2026, 1, 5))
    # c8: extension refused; answered after the original due date: late (a refusal extends nothing).
    c8 = _extend(officer, leader, start(8), 15, approve=False)
    assert c8.due_on == D(2026, 3, 30)
    services.close_case(actor=leader, case=c8, outcome=Outcome.GRANTED, today=D(2026, 4, 2))
    # Another agency's case: never in street A's figures.
    _register(tree.officer_b, march, 9)
    _items(tree)
    return Built(tree, clerk, manager, c2, c3)


def _items(tree: Tree) -> None:
    officer, leader = tree.officer_a, tree.leader_a
    policy = Category.objects.create(agency=tree.street_a, name="政策文件")
    overview = Category.objects.create(agency=tree.street_a, name="概况信息")
    duties = Category.objects.create(agency=tree.street_a, name="机构职能", parent=overview)
    other = Category.objects.create(agency=tree.street_b, name="政策文件")
    reviewed_at = timezone.make_aware(dt.datetime(2026, 1, 2, 9))
    n = 0

    def item(
        category: Category, formed: dt.date, published: dt.date | None, status: ItemStatus, **extra: object
    ) -> None:
        nonlocal n
        n += 1
        Item.objects.create(
            agency=category.agency,
            index_number=f"T-{n:04d}",
            category=category,
            title=f"信息{n}",
            issuer="测试",
            formed_on=formed,
            published_on=published,
            status=status.value,
            author=officer,
            reviewed_by=leader if published else None,
            reviewed_at=reviewed_at if published else None,
            **extra,
        )

    item(policy, D(2026, 3, 2), D(2026, 3, 5), ItemStatus.PUBLISHED)  # in time, March
    item(policy, D(2026, 3, 2), D(2026, 4, 30), ItemStatus.PUBLISHED)  # past 20 working days, April
    item(duties, D(2026, 4, 1), D(2026, 4, 3), ItemStatus.PUBLISHED)  # in time, April
    item(  # withdrawn since: it was published in May all the same
        duties,
        D(2026, 5, 6),
        D(2026, 5, 6),
        ItemStatus.WITHDRAWN,
        withdrawn_on=D(2026, 5, 10),
        withdrawal_reason="内容有误",
    )
    item(policy, D(2026, 5, 6), None, ItemStatus.DRAFT)  # not published
    item(policy, D(2025, 12, 1), D(2025, 12, 30), ItemStatus.PUBLISHED)  # another year
    item(other, D(2026, 3, 2), D(2026, 3, 5), ItemStatus.PUBLISHED)  # another agency


def test_case_figures_exact(built: Built) -> None:
    officer = built.tree.officer_a
    with CaptureQueriesContext(connection) as queries:
        f = case_figures(officer, officer.agency, YEAR, TODAY)
    assert len(queries) == 4  # received, closed, overdue, table 三: whatever the number of cases
    assert [p.label for p in f.months] == ["1月", "2月", "3月", "4月", "5月", "6月"]
    assert f.received == [0, 0, 5, 1, 0, 0]  # c1–c4 and c8; c5 in April; c7 was received in 2025
    assert f.closed == [1, 0, 1, 3, 1, 0]
    assert f.by_timeliness[Timeliness.IN_PERIOD] == [0, 0, 1, 0, 0, 0]  # c1
    assert f.by_timeliness[Timeliness.IN_EXTENSION] == [0, 0, 0, 1, 0, 0]  # c2: after 03-30, within the extension
    assert f.by_timeliness[Timeliness.LATE] == [1, 0, 0, 1, 1, 0]  # c7 (Jan), c8 (Apr, refused), c3 (May)
    assert f.by_timeliness[Timeliness.NO_PERIOD] == [0, 0, 0, 1, 0, 0]  # c5
    assert (f.on_time, f.late, f.rate) == (2, 3, 40.0)
    assert f.monthly_rate() == [0.0, None, 100.0, 50.0, 0.0, None]
    # Month ends: 03-31 c4 and c8; 04-30 c4 and c3 (due mid-April, answered 05-06); then c4.
    assert f.overdue == [0, 0, 2, 2, 1, 1]
    assert f.overdue_now == 1
    outcomes = {o: n for o, n in f.outcomes if n}
    assert outcomes == {
        Outcome.GRANTED: 3,
        Outcome.PARTIAL: 1,
        Outcome.UNAVAILABLE_NOT_HELD: 1,
        Outcome.OTHER_NO_CORRECTION: 1,
    }


def test_the_database_filters_agree_with_the_core_rules_case_by_case(built: Built) -> None:
    officer = built.tree.officer_a
    f = case_figures(officer, officer.agency, YEAR, TODAY)
    cases = Case.objects.filter(agency=officer.agency, received_on__isnull=False).prefetch_related("extensions")
    expected: Counter[tuple[int, Timeliness]] = Counter()
    for case in cases:
        if case.closed_on is None or case.closed_on.year != YEAR:
            continue
        extended = any(x.decision == ExtensionDecision.APPROVED for x in case.extensions.all())
        expected[(case.closed_on.month, closing_timeliness(case.closed_on, case.due_on, extended=extended))] += 1
    got = Counter({(p.month, k): f.by_timeliness[k][i] for k in Timeliness for i, p in enumerate(f.months)})
    assert +got == +expected
    for i, point in enumerate(f.months):
        overdue = sum(
            overdue_at(point.day, received_on=c.received_on, due_on=c.due_on, closed_on=c.closed_on) for c in cases
        )
        assert f.overdue[i] == overdue, point


def test_a_past_year_has_twelve_months(built: Built) -> None:
    officer = built.tree.officer_a
    f = case_figures(officer, officer.agency, 2025, TODAY)
    assert len(f.months) == 12
    assert f.received[11] == 1  # c7
    assert f.closed == [0] * 12
    assert f.overdue[11] == 1  # c7: due in late December, open on 12-31
    assert available_years(officer, officer.agency, TODAY) == [2026, 2025]


def test_publication_figures_exact(built: Built) -> None:
    officer = built.tree.officer_a
    calendar = working_calendar()
    with CaptureQueriesContext(connection) as queries:
        f = publication_figures(officer, officer.agency, YEAR, TODAY, calendar)
    assert len(queries) == 2  # the grouped items, the catalogue's names
    assert f.in_time == [0, 0, 1, 1, 1, 0]
    assert f.late == [0, 0, 0, 1, 0, 0]  # formed 03-02, published 04-30: past 条例 art 26
    assert f.unknown == [0] * 6
    assert (f.published, f.late_total) == (4, 1)
    assert {(c.name, c.published, c.late) for c in f.catalogue} == {("政策文件", 2, 1), ("概况信息 · 机构职能", 2, 0)}


def test_a_clerk_sees_only_the_cases_it_may_read(built: Built) -> None:
    f = case_figures(built.clerk, built.clerk.agency, YEAR, TODAY)
    assert f.received == [0, 0, 1, 0, 0, 0]  # c1, routed to its department
    assert f.closed == [0, 0, 1, 0, 0, 0]
    assert f.overdue == [0] * 6
    assert {o: n for o, n in f.outcomes if n} == {Outcome.GRANTED: 1}


def test_who_may_open_which_agency(built: Built) -> None:
    tree = built.tree
    a, b = tree.street_a, tree.street_b
    assert dashboard_agency(tree.officer_a, None) == a
    assert dashboard_agency(tree.officer_b, None) == b
    assert dashboard_agency(tree.officer_b, a.pk) is None
    assert dashboard_agency(tree.supervisor, a.pk) == a
    assert dashboard_agency(tree.other_supervisor, a.pk) is None
    assert dashboard_agency(built.manager, None) is None
    assert dashboard_agency(built.manager, a.pk) is None
    # A supervisor reads the agency's own figures (the same as its officer's).
    mine = case_figures(tree.officer_a, a, YEAR, TODAY)
    assert case_figures(tree.supervisor, a, YEAR, TODAY) == mine
    # Another agency's officer, handed the agency anyway, counts nothing of it.
    theirs = case_figures(tree.officer_b, a, YEAR, TODAY)
    assert theirs.received == [0] * 6 and theirs.closed == [0] * 6
    assert publication_figures(tree.officer_b, a, YEAR, TODAY, working_calendar()).published == 0
