"""复议/诉讼期限: recording the dates, the desk section, the 复议前置 warning (行政复议法, 行政诉讼法 art 67)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Review
from gongkai.cases.selectors import DeskDays, review_deadlines_due, review_first_warning_for
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ReviewKind
from gongkai.core.review_deadlines import ReviewDeadlineKind
from tests.factories import CASE_DAY, ClosedCase

D = dt.date.fromisoformat


def _reconsideration(tree, **dates):  # type: ignore[no-untyped-def]
    return services.record_review(
        actor=tree.officer_a,
        kind=ReviewKind.RECONSIDERATION,
        filed_on=CASE_DAY,
        body="测试区人民政府",
        today=D("2026-03-20"),
        **dates,
    )


def test_reply_deadline_from_the_copy_under_the_2023_law(tree) -> None:  # type: ignore[no-untyped-def]
    review = _reconsideration(tree, copy_received_on=D("2026-03-09"))
    soon = review_deadlines_due(Review.objects.filter(pk=review.pk), DeskDays.of(D("2026-03-20")))
    (item,) = soon["t2"]  # 10 working days from 03-09 Mon: 03-23 Mon, 1 working day after 03-20
    assert item.deadline.kind is ReviewDeadlineKind.REPLY and item.deadline.due_on == D("2026-03-23")
    assert "第四十八条" in item.deadline.basis


def test_recorded_later_audited_and_answered_leaves_the_desk(tree) -> None:  # type: ignore[no-untyped-def]
    review = _reconsideration(tree)
    today = D("2026-03-25")
    review = services.record_review_dates(
        actor=tree.officer_a, review=review, today=today, copy_received_on=D("2026-03-09"), accepted_on=D("2026-03-05")
    )
    event = AuditEvent.objects.filter(action=services.CaseAudit.REVIEW_DATES_RECORDED).get()
    assert "copy_received_on" in event.changes and "accepted_on" in event.changes
    soon = review_deadlines_due(Review.objects.all(), DeskDays.of(today))
    assert [i.deadline.kind for i in soon["overdue"]] == [ReviewDeadlineKind.REPLY]  # due 03-23
    services.record_review_dates(
        actor=tree.officer_a,
        review=review,
        today=today,
        copy_received_on=D("2026-03-09"),
        accepted_on=D("2026-03-05"),
        answered_on=D("2026-03-20"),
    )
    soon = review_deadlines_due(Review.objects.all(), DeskDays.of(today))
    assert not any(soon.values())  # the decision (05-06) is far off; the reply is answered


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ({"copy_received_on": D("2026-03-01")}, "早于申请"),
        ({"copy_received_on": D("2026-03-21")}, "晚于今天"),
        ({"answered_on": D("2026-03-10")}, "请先填写收到"),
    ],
)
def test_bad_dates_are_refused_with_the_field_named(tree, dates, message) -> None:  # type: ignore[no-untyped-def]
    review = _reconsideration(tree)
    with pytest.raises(CaseInputError, match=message):
        services.record_review_dates(actor=tree.officer_a, review=review, today=D("2026-03-20"), **dates)


def test_simplified_procedure_only_under_the_2023_law(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CaseInputError, match="2017年"):
        services.record_review(
            actor=tree.officer_a,
            kind=ReviewKind.RECONSIDERATION,
            filed_on=D("2023-12-01"),
            body="测试区人民政府",
            today=D("2026-03-20"),
            simplified=True,
        )


def test_direct_lawsuit_against_a_withholding_warns_review_first(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = ClosedCase(
        actor=tree.leader_a, today=CASE_DAY, outcome=Outcome.WITHHELD_STATE_SECRET
    )  # signed off by the 负责人
    client.force_login(tree.officer_a)
    with mock.patch("gongkai.clock.today", return_value=D("2026-04-20")):
        response = client.post(
            reverse("cases:review_new") + f"?case={case.pk}",
            {"kind": ReviewKind.LITIGATION_DIRECT, "filed_on": "2026-04-10", "body": "测试区人民法院"},
            follow=True,
        )
    assert "复议前置" in response.content.decode()
    review = Review.objects.get()
    assert "第二十三条第一款第（四）项" in review_first_warning_for(review)


def test_desk_and_reviews_page_show_the_deadlines(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    review = services.record_review(
        actor=tree.officer_a,
        kind=ReviewKind.LITIGATION_DIRECT,
        filed_on=CASE_DAY,
        body="测试区人民法院",
        today=D("2026-03-20"),
        copy_received_on=D("2026-03-06"),
    )
    client.force_login(tree.officer_a)
    with mock.patch("gongkai.clock.today", return_value=D("2026-03-20")):
        desk = client.get(reverse("cases:desk")).content.decode()
        listing = client.get(reverse("cases:reviews")).content.decode()
        form = client.get(reverse("cases:review_dates", args=[review.pk])).content.decode()
    assert "复议/诉讼期限" in desk and "2026-03-23" in desk and "第六十七条" in desk  # 03-21 Sat → Mon
    assert "2026-03-23" in listing
    assert "2026年3月23日" in form and "十五日" in form
