"""Who sees and changes which case: one visible_to path, 404 across agencies, read-only supervisors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.cases import services
from gongkai.cases.models import Case, user_may_read_case
from gongkai.core.case_flow import Status
from gongkai.core.report.taxonomy import ReviewKind, ReviewResult
from tests.factories import CASE_DAY, CaseFactory, InProgressCase, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


def numbers(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return set(qs.values_list("number", flat=True))


@pytest.fixture
def cases(tree, desk):  # type: ignore[no-untyped-def]
    return {
        "office": CaseFactory(actor=tree.officer_a, department=desk.office),
        "city": CaseFactory(actor=tree.officer_a, department=desk.city),
        "unrouted": CaseFactory(actor=tree.officer_a),
        "by_clerk": CaseFactory(actor=desk.clerk, department=desk.office),
        "street_b": CaseFactory(actor=tree.officer_b),
    }


def test_visible_to_by_role(tree, desk, cases) -> None:  # type: ignore[no-untyped-def]
    a = {cases[k].number for k in ("office", "city", "unrouted", "by_clerk")}
    assert numbers(Case.objects.visible_to(tree.officer_a)) == a
    assert numbers(Case.objects.visible_to(tree.leader_a)) == a
    assert numbers(Case.objects.visible_to(tree.officer_b)) == {cases["street_b"].number}
    # A clerk: the department's cases and the ones they registered (even routed elsewhere).
    assert numbers(Case.objects.visible_to(desk.clerk)) == {cases["city"].number, cases["by_clerk"].number}
    assert numbers(Case.objects.visible_to(tree.clerk_a)) == set()  # no department, registered nothing
    assert numbers(Case.objects.visible_to(tree.supervisor)) == a | {cases["street_b"].number}
    assert numbers(Case.objects.visible_to(tree.other_supervisor)) == set()
    assert Case.objects.visible_to(None).count() == 0


def test_the_python_twin_agrees_with_the_queryset(tree, desk, cases) -> None:  # type: ignore[no-untyped-def]
    users = [
        tree.officer_a,
        tree.clerk_a,
        desk.clerk,
        tree.leader_a,
        tree.officer_b,
        tree.supervisor,
        tree.other_supervisor,
        tree.admin,
    ]
    for user in users:
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        assert {c.pk for c in Case.objects.all() if user_may_read_case(user, c)} == visible, user


def test_clerk_registers_into_their_department(tree, desk) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=desk.clerk)
    assert case.department == desk.city and case.registered_by == desk.clerk


@pytest.mark.parametrize("url_name", ["cases:detail", "cases:deadline"])
def test_another_agencys_case_is_404(tree, cases, client: Client, url_name: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    assert client.get(reverse(url_name, args=[cases["street_b"].pk])).status_code == 404
    assert client.get(reverse(url_name, args=[cases["office"].pk])).status_code == 200


def test_another_agencys_case_cannot_be_changed_by_post(tree, cases, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    case = cases["street_b"]
    response = client.post(reverse("cases:act", args=[case.pk, "start"]), {"version": case.version})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.version == 1


def test_clerk_gets_404_outside_their_scope(desk, cases, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(desk.clerk)
    assert client.get(reverse("cases:detail", args=[cases["office"].pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[cases["city"].pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        services.start_processing(actor=desk.clerk, case=cases["office"], today=CASE_DAY)


def test_supervisor_reads_but_cannot_act(tree, cases, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = cases["office"]
    client.force_login(tree.supervisor)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert page.context["actions"] == [] and "只读" in page.content.decode()
    response = client.post(reverse("cases:act", args=[case.pk, "start"]), {"version": case.version})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.start_processing(actor=tree.supervisor, case=case, today=CASE_DAY)
    with pytest.raises(PermissionDenied):
        CaseFactory(actor=tree.supervisor)
    assert client.get(reverse("cases:register")).status_code == 403
    case.refresh_from_db()
    assert case.status == Status.REGISTERED


def test_admin_reads_everything_and_acts_on_nothing(tree, cases) -> None:  # type: ignore[no-untyped-def]
    assert Case.objects.visible_to(tree.admin).count() == 5
    with pytest.raises(PermissionDenied):
        services.start_processing(actor=tree.admin, case=cases["office"], today=CASE_DAY)


def test_only_a_leader_of_the_agency_approves_an_extension(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    case = services.request_extension(actor=tree.officer_a, case=case, days=10, reason="复杂", today=D(2026, 3, 20))
    for user in (tree.officer_a, tree.clerk_a, tree.supervisor):
        with pytest.raises(PermissionDenied, match="负责人"):
            services.approve_extension(actor=user, case=case, today=D(2026, 3, 23))
    other_leader = UserFactory(username="leader_b", agency=tree.street_b, role=Role.LEADER)
    with pytest.raises(PermissionDenied, match="负责人"):
        services.approve_extension(actor=other_leader, case=case, today=D(2026, 3, 23))

    client.force_login(tree.officer_a)
    slugs = [a.slug for a, _ in client.get(reverse("cases:detail", args=[case.pk])).context["actions"]]
    assert "approve_extension" not in slugs
    assert (
        client.post(reverse("cases:act", args=[case.pk, "approve_extension"]), {"version": case.version}).status_code
        == 403
    )
    client.force_login(tree.leader_a)
    slugs = [a.slug for a, _ in client.get(reverse("cases:detail", args=[case.pk])).context["actions"]]
    assert {"approve_extension", "refuse_extension"} <= set(slugs)


def test_reviews_are_scoped_too(tree, cases, client: Client) -> None:  # type: ignore[no-untyped-def]
    review = services.record_review(
        actor=tree.officer_b, kind=ReviewKind.RECONSIDERATION, filed_on=CASE_DAY, body="测试区人民政府", today=CASE_DAY
    )
    with pytest.raises(PermissionDenied):
        services.record_review(
            actor=tree.officer_a,
            case=cases["street_b"],
            kind=ReviewKind.RECONSIDERATION,
            filed_on=CASE_DAY,
            body="x",
            today=CASE_DAY,
        )
    with pytest.raises(PermissionDenied):
        services.conclude_review(
            actor=tree.officer_a, review=review, result=ReviewResult.UPHELD, concluded_on=CASE_DAY, today=CASE_DAY
        )
    client.force_login(tree.officer_a)
    assert client.get(reverse("cases:review_conclude", args=[review.pk])).status_code == 404
    assert list(client.get(reverse("cases:reviews")).context["page"]) == []
    client.force_login(tree.supervisor)
    assert [r.pk for r in client.get(reverse("cases:reviews")).context["page"]] == [review.pk]


def test_a_clerk_sees_and_concludes_only_the_reviews_of_their_cases(tree, desk, cases, client: Client) -> None:  # type: ignore[no-untyped-def]
    """QA: the reviews list showed a clerk the case numbers and applicants of every department."""

    def review(case):  # type: ignore[no-untyped-def]
        return services.record_review(
            actor=tree.officer_a,
            case=case,
            kind=ReviewKind.RECONSIDERATION,
            filed_on=CASE_DAY,
            body="测试区人民政府",
            today=CASE_DAY,
        )

    own, other = review(cases["city"]), review(cases["office"])
    general = services.record_review(
        actor=tree.officer_a,
        kind=ReviewKind.LITIGATION_DIRECT,
        filed_on=CASE_DAY,
        body="测试区人民法院",
        today=CASE_DAY,
    )
    mine = services.record_review(
        actor=desk.clerk, kind=ReviewKind.LITIGATION_DIRECT, filed_on=CASE_DAY, body="测试区人民法院", today=CASE_DAY
    )
    client.force_login(desk.clerk)
    listed = {r.pk for r in client.get(reverse("cases:reviews")).context["page"]}
    assert listed == {own.pk, mine.pk}
    assert client.get(reverse("cases:review_conclude", args=[other.pk])).status_code == 404
    assert client.get(reverse("cases:review_conclude", args=[general.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.conclude_review(
            actor=desk.clerk, review=other, result=ReviewResult.UPHELD, concluded_on=CASE_DAY, today=CASE_DAY
        )
    services.conclude_review(
        actor=desk.clerk, review=own, result=ReviewResult.UPHELD, concluded_on=CASE_DAY, today=CASE_DAY
    )
    client.force_login(tree.officer_a)
    assert {r.pk for r in client.get(reverse("cases:reviews")).context["page"]} == {
        own.pk,
        other.pk,
        general.pk,
        mine.pk,
    }
