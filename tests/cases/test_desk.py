"""The officer's desk: buckets in working days, search and filters, case page, actions, API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.cases import services
from gongkai.cases.models import Case
from gongkai.core.case_flow import Status
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from tests.factories import CaseFactory, ClosedCase, ConsultingCase, InProgressCase

pytestmark = pytest.mark.django_db

D = dt.date
ID = "110228198001011234"
MASKED = "110***********1234"


def test_buckets_in_working_days_per_department(tree, desk, client: Client, on_day) -> None:  # type: ignore[no-untyped-def]
    on_day(D(2026, 3, 31))  # T-2 = 04-02, T-5 = 04-08 (清明 04-06 off)
    overdue = InProgressCase(actor=tree.officer_a, department=desk.office, today=D(2026, 3, 2))  # due 03-30
    due_today = InProgressCase(actor=tree.officer_a, department=desk.office, today=D(2026, 3, 3))  # 03-31
    t2 = InProgressCase(actor=tree.officer_a, department=desk.city, today=D(2026, 3, 5))  # 04-02
    t5 = InProgressCase(actor=tree.officer_a, today=D(2026, 3, 9))  # 04-07, not routed
    later = InProgressCase(actor=tree.officer_a, today=D(2026, 3, 20))  # 04-17
    ConsultingCase(actor=tree.officer_a, department=desk.office)  # paused: not listed
    ClosedCase(actor=tree.officer_a, department=desk.office)
    assert (overdue.due_on, due_today.due_on, t2.due_on, t5.due_on) == (
        D(2026, 3, 30),
        D(2026, 3, 31),
        D(2026, 4, 2),
        D(2026, 4, 7),
    )

    client.force_login(tree.officer_a)
    page = client.get(reverse("cases:desk"))
    assert page.status_code == 200
    assert (page.context["days"].t2, page.context["days"].t5) == (D(2026, 4, 2), D(2026, 4, 8))
    buckets = {key: [c.number for c in cases] for key, _, cases in page.context["buckets"]}
    assert buckets == {"overdue": [overdue.number], "today": [due_today.number], "t2": [t2.number], "t5": [t5.number]}
    loads = {row.department: (row.overdue, row.today, row.t2, row.t5, row.open) for row in page.context["loads"]}
    assert loads == {"党政办公室": (1, 1, 0, 0, 3), "城市管理办公室": (0, 0, 1, 0, 1), "（未分办）": (0, 0, 0, 1, 2)}
    assert later.number in page.content.decode()
    assert "已逾期" in page.content.decode()


def test_desk_queries_do_not_grow_with_cases(tree, desk, client: Client, on_day, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    on_day(D(2026, 3, 31))
    client.force_login(tree.officer_a)
    InProgressCase(actor=tree.officer_a, department=desk.office, assigned_to=tree.officer_a)
    client.get(reverse("cases:desk"))  # warm the calendar cache
    with django_assert_max_num_queries(
        16
    ) as few:  # 12 + letters panel (calendar stamp, unserved letters) + 复议/诉讼期限 + 签批 drafts (one query)
        client.get(reverse("cases:desk"))
    for i in range(30):
        InProgressCase(
            actor=tree.officer_a,
            department=desk.office if i % 2 else desk.city,
            assigned_to=tree.officer_a,
            today=D(2026, 3, 2) + dt.timedelta(days=i % 20),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("cases:desk"))
    assert len(page.context["page"]) == 31


def test_each_bucket_lists_its_most_urgent_cases_up_to_the_limit(
    tree, desk, client: Client, on_day, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A province agency has hundreds due within five working days: each bucket shows the most
    urgent up to DESK_LIST_LIMIT, says how many more there are, and still counts them all."""
    from gongkai.cases import views

    monkeypatch.setattr(views, "DESK_LIST_LIMIT", 2)
    on_day(D(2026, 3, 31))
    overdue = [
        InProgressCase(actor=tree.officer_a, department=desk.office, today=D(2026, 3, 2) - dt.timedelta(days=i))
        for i in range(3)
    ]
    client.force_login(tree.officer_a)
    page = client.get(reverse("cases:desk"))
    html = page.content.decode()
    assert "已逾期（3）" in html
    assert "以上为最紧急的 2 件，另有 1 件见下方案件列表。" in html
    most_urgent = sorted(overdue, key=lambda c: (c.due_on, c.pk))
    section = html.split("已逾期（3）")[1].split("</ul>")[0]
    assert most_urgent[0].number in section and most_urgent[1].number in section
    assert most_urgent[2].number not in section


def test_search_and_filters(tree, desk, client: Client) -> None:  # type: ignore[no-untyped-def]
    elevator = CaseFactory(actor=tree.officer_a, department=desk.city, request_description="加装电梯的审批文件")
    budget = ClosedCase(actor=tree.officer_a, request_description="部门预算", applicant_name="赵某")
    letter = CaseFactory(actor=tree.officer_a, channel=Channel.POST_UNSIGNED)
    CaseFactory(actor=tree.officer_b, request_description="加装电梯")  # another agency: never listed
    client.force_login(tree.officer_a)

    def listed(**params: object) -> set[str]:
        response = client.get(reverse("cases:desk"), params)
        assert response.status_code == 200
        return {c.number for c in response.context["page"]}

    everything = {elevator.number, budget.number, letter.number}
    assert listed() == everything
    assert listed(q="电梯") == {elevator.number}
    assert listed(q="赵某") == {budget.number}
    assert listed(q=budget.number) == {budget.number}
    assert listed(status=Status.CLOSED) == {budget.number}
    assert listed(outcome=Outcome.GRANTED) == {budget.number}
    assert listed(channel=Channel.POST_UNSIGNED) == {letter.number}
    assert listed(department=desk.city.pk) == {elevator.number}
    assert listed(year=2026) == everything
    assert listed(year=2025) == set()
    assert client.get(reverse("cases:desk"), {"status": "nonsense"}).status_code == 200  # a bad filter never 500s


def test_identity_numbers_are_masked_in_lists_and_for_clerks(tree, desk, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=tree.officer_a, department=desk.city, id_number=ID)
    client.force_login(tree.officer_a)
    listing = client.get(reverse("cases:desk")).content.decode()
    assert MASKED in listing and ID not in listing
    assert ID in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.force_login(desk.clerk)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert MASKED in detail and ID not in detail
    client.force_login(tree.supervisor)
    assert ID not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_register_by_form(tree, desk, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    assert client.get(reverse("cases:register")).status_code == 200
    bad = client.post(
        reverse("cases:register"),
        {
            "channel": Channel.POST_SIGNED,
            "applicant_type": "natural_person",
            "applicant_name": "王某",
            "request_description": "x",
        },
    )
    assert bad.status_code == 200 and "签收日期" in bad.content.decode()
    response = client.post(
        reverse("cases:register"),
        {
            "channel": Channel.IN_PERSON,
            "applicant_type": "natural_person",
            "applicant_name": "王某",
            "id_type": "resident_id",
            "id_number": ID,
            "phone": "13900000000",
            "request_description": "某文件",
            "provision_form": "paper",
            "delivery_method": "post",
            "pieces": 1,
            "department": desk.office.pk,
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.department == desk.office and case.registered_by == tree.officer_a and case.due_on is not None


def test_actions_offered_follow_the_transition_table(tree, client: Client, on_day) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=tree.officer_a)
    on_day(case.received_on)
    client.force_login(tree.officer_a)
    slugs = [a.slug for a, _ in client.get(reverse("cases:detail", args=[case.pk])).context["actions"]]
    assert slugs == ["start", "spot", "request_correction", "close", "withdraw", "transfer", "assign"]
    consulting = ConsultingCase(actor=tree.officer_a)
    slugs = [a.slug for a, _ in client.get(reverse("cases:detail", args=[consulting.pk])).context["actions"]]
    assert slugs == ["consultation_reply", "withdraw", "assign"]


def test_an_action_by_post_and_a_stale_form(tree, client: Client, on_day) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=tree.officer_a)
    on_day(D(2026, 3, 3))
    client.force_login(tree.officer_a)
    url = reverse("cases:act", args=[case.pk, "start"])
    response = client.post(url, {"version": 1})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.IN_PROGRESS, 2)

    stale = client.post(reverse("cases:act", args=[case.pk, "close"]), {"version": 1, "outcome": "granted"})
    assert stale.status_code == 409
    assert "该案件已被他人修改，请刷新后重试" in stale.content.decode()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS

    wrong = client.post(reverse("cases:act", args=[case.pk, "confirm"]), {"version": 2})
    assert wrong.status_code == 409 and "不能执行“确认收到申请”" in wrong.content.decode()
    invalid = client.post(reverse("cases:act", args=[case.pk, "close"]), {"version": 2, "outcome": "no_such_row"})
    assert invalid.status_code == 400
    closed = client.post(reverse("cases:act", args=[case.pk, "close"]), {"version": 2, "outcome": "granted"})
    assert closed.status_code == 302
    assert Case.objects.get(pk=case.pk).outcome == Outcome.GRANTED
    assert client.post(reverse("cases:act", args=[case.pk, "no_such_action"]), {"version": 3}).status_code == 404


def test_deadline_page_explains_day_by_day(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    client.force_login(tree.officer_a)
    text = client.get(reverse("cases:deadline", args=[case.pk])).content.decode()
    assert "答复期限：2026年3月30日" in text and "逐日计算" in text
    assert "2026年3月30日 周一  第20个工作日" in text


def test_provisional_due_date_is_shown_as_such(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a, today=D(2026, 12, 21))
    assert case.due_is_provisional and case.due_on == D(2027, 1, 19)  # 2027: 元旦 (Fri) and weekends off
    client.force_login(tree.officer_a)
    assert "暂定" in client.get(reverse("cases:desk")).content.decode()
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "暂定" in detail and "2027年节假日安排尚未发布" in detail
    trace = client.get(reverse("cases:deadline", args=[case.pk])).content.decode()
    assert (
        "2027年1月19日 周二  第20个工作日 —— 答复期限届满（条例第三十三条第二款）（暂定：该年节假日安排未发布）"
        in trace
    )
    assert "2027年1月1日 周五  元旦（暂定），不计" in trace
    assert "2026年12月31日 周四  第8个工作日\n" in trace


def test_home_panel_counts(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    InProgressCase(actor=tree.officer_a, assigned_to=tree.officer_a)  # overdue by now (due 2026-03-30)
    CaseFactory(actor=tree.officer_a)
    client.force_login(tree.officer_a)
    response = client.get(reverse("backoffice:home"))
    panel = next(p for p in response.context["panels"] if p.title == "依申请公开")
    assert panel.context["mine"]["open"] == 1 and panel.context["all"]["open"] == 2
    assert panel.context["all"]["overdue"] >= 1
    assert "我承办的" in response.content.decode()


def test_reviews_pages(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = ClosedCase(actor=tree.officer_a)
    client.force_login(tree.officer_a)
    response = client.post(
        reverse("cases:review_new") + f"?case={case.pk}",
        {
            "case": case.pk,
            "kind": "litigation_direct",
            "filed_on": "2026-04-01",
            "body": "测试区人民法院",
            "case_number": "(2026)测0101行初12号",
        },
    )
    assert response.status_code == 302
    review = case.reviews.get()
    response = client.post(
        reverse("cases:review_conclude", args=[review.pk]), {"result": "upheld", "concluded_on": "2026-06-01"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.result, review.concluded_on) == ("upheld", D(2026, 6, 1))


# ---------------------------------------------------------------------------------------------
# JSON API
# ---------------------------------------------------------------------------------------------


def test_api_list_and_detail_are_scoped_and_masked(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    mine = InProgressCase(actor=tree.officer_a, id_number=ID)
    theirs = CaseFactory(actor=tree.officer_b)
    client.force_login(tree.officer_a)
    listing = client.get("/api/cases/").json()
    assert [row["number"] for row in listing["results"]] == [mine.number]
    assert listing["results"][0]["id_number"] == MASKED
    detail = client.get(f"/api/cases/{mine.pk}/").json()
    assert detail["id_number"] == ID and [e["kind"] for e in detail["events"]] == ["registered", "accept"]
    assert client.get(f"/api/cases/{theirs.pk}/").status_code == 404
    assert client.get("/api/cases/", {"status": "in_progress"}).json()["count"] == 1
    client.force_login(tree.supervisor)
    assert client.get(f"/api/cases/{mine.pk}/").json()["id_number"] == MASKED
    assert client.get("/api/cases/").json()["count"] == 2
    client.logout()
    assert client.get("/api/cases/").status_code == 403


def test_register_service_refuses_foreign_departments(tree, desk) -> None:  # type: ignore[no-untyped-def]
    from gongkai.agencies.models import Department
    from gongkai.cases.errors import CaseInputError

    foreign = Department.objects.create(agency=tree.street_b, name="党政办公室")
    with pytest.raises(CaseInputError, match="不属于"):
        CaseFactory(actor=tree.officer_a, department=foreign)
    with pytest.raises(CaseInputError, match="不是"):
        services.assign(
            actor=tree.officer_a,
            case=CaseFactory(actor=tree.officer_a),
            department=None,
            officer=tree.officer_b,
            today=D(2026, 3, 2),
        )
