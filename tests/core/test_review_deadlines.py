"""The agency's deadlines in 行政复议 and 行政诉讼: both 行政复议法 texts, the day counts, boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.calendar import default_calendar
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ReviewKind
from gongkai.core.review_deadlines import (
    ReviewDeadlineKind,
    ReviewLaw,
    calendar_period_end,
    decision_deadline,
    defence_deadline,
    reply_deadline,
    review_deadlines,
    review_first_warning,
    review_law,
)

CAL = default_calendar()
D = date.fromisoformat


@pytest.mark.parametrize(
    ("filed", "law"),
    [("2023-12-31", ReviewLaw.L2017), ("2024-01-01", ReviewLaw.L2023), ("2019-06-01", ReviewLaw.L2017)],
)
def test_law_by_application_date(filed: str, law: ReviewLaw) -> None:
    assert review_law(D(filed)) is law


@pytest.mark.parametrize(
    ("received", "law", "simplified", "due", "article"),
    [
        # 2023 law art 48: 10 working days (art 88 ¶2); 2026-03-02 Mon → 2026-03-16 Mon
        ("2026-03-02", ReviewLaw.L2023, False, "2026-03-16", "第四十八条"),
        # across 国庆 2025 (10-01..10-08 off, Sat 10-11 调休上班): 10-09, 10, 11, 13 … 21
        ("2025-09-30", ReviewLaw.L2023, False, "2025-10-21", "第四十八条"),
        # 简易程序 art 54: 5 working days
        ("2026-03-02", ReviewLaw.L2023, True, "2026-03-09", "第五十四条"),
        # 2017 law art 23: 10 calendar days (art 40 makes only 5 and 7 days working days)
        ("2023-03-01", ReviewLaw.L2017, False, "2023-03-13", "第二十三条"),  # 03-11 Sat → Mon 03-13
        ("2023-03-03", ReviewLaw.L2017, False, "2023-03-13", "第二十三条"),  # 03-13 Mon: no roll
        ("2023-09-25", ReviewLaw.L2017, False, "2023-10-07", "第二十三条"),  # 10-05 in 国庆 → 10-07 调休上班
    ],
)
def test_reply_deadline(received: str, law: ReviewLaw, simplified: bool, due: str, article: str) -> None:
    deadline = reply_deadline(D(received), law=law, calendar=CAL, simplified=simplified)
    assert deadline.due_on == D(due)
    assert deadline.kind is ReviewDeadlineKind.REPLY and article in deadline.basis
    assert deadline.is_own_duty and not deadline.provisional


@pytest.mark.parametrize(
    ("accepted", "law", "extended", "simplified", "due", "article"),
    [
        ("2026-03-02", ReviewLaw.L2023, False, False, "2026-05-06", "第六十二条第一款"),  # 05-01 in 劳动节 → 05-06
        ("2026-03-02", ReviewLaw.L2023, True, False, "2026-06-01", "第六十二条第一款"),  # 90 days: 05-31 Sun → Mon
        ("2026-03-02", ReviewLaw.L2023, False, True, "2026-04-01", "第六十二条第二款"),  # 简易程序 30 days
        ("2023-03-01", ReviewLaw.L2017, False, False, "2023-05-04", "第三十一条"),  # 04-30 in 劳动节 block
        ("2023-03-01", ReviewLaw.L2017, False, True, "2023-05-04", "第三十一条"),  # no 简易程序 in 2017
    ],
)
def test_decision_deadline(
    accepted: str, law: ReviewLaw, extended: bool, simplified: bool, due: str, article: str
) -> None:
    deadline = decision_deadline(D(accepted), law=law, calendar=CAL, extended=extended, simplified=simplified)
    assert (deadline.due_on, deadline.kind) == (D(due), ReviewDeadlineKind.DECISION)
    assert article in deadline.basis and not deadline.is_own_duty


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-03-02", "2026-03-17"),  # 15 calendar days, Tue
        ("2026-03-06", "2026-03-23"),  # 03-21 Sat → Mon 03-23
        ("2026-09-20", "2026-10-08"),  # 10-05 inside 国庆 (10-01..10-07 off) → 10-08
    ],
)
def test_defence_deadline(received: str, due: str) -> None:
    deadline = defence_deadline(D(received), calendar=CAL)
    assert deadline.due_on == D(due) and "第六十七条" in deadline.basis


def test_calendar_period_start_day_not_counted() -> None:
    assert calendar_period_end(D("2026-03-02"), 1, CAL) == D("2026-03-03")


def test_provisional_when_counting_into_an_unpublished_year() -> None:
    deadline = defence_deadline(D("2026-12-20"), calendar=CAL)
    assert deadline.provisional and deadline.due_on == D("2027-01-04")  # 01-04 Mon: 元旦 (暂定) and a weekend


def test_review_deadlines_by_kind() -> None:
    found = review_deadlines(
        kind=ReviewKind.RECONSIDERATION,
        filed_on=D("2026-02-20"),
        copy_received_on=D("2026-03-02"),
        accepted_on=D("2026-02-26"),
        calendar=CAL,
    )
    assert [d.kind for d in found] == [ReviewDeadlineKind.REPLY, ReviewDeadlineKind.DECISION]
    assert review_deadlines(kind=ReviewKind.RECONSIDERATION, filed_on=D("2026-02-20"), calendar=CAL) == ()
    suit = review_deadlines(
        kind=ReviewKind.LITIGATION_AFTER_RECONSIDERATION,
        filed_on=D("2026-02-20"),
        copy_received_on=D("2026-03-02"),
        calendar=CAL,
    )
    assert [d.kind for d in suit] == [ReviewDeadlineKind.DEFENCE]


@pytest.mark.parametrize(
    ("kind", "outcome", "decided", "warns"),
    [
        (ReviewKind.LITIGATION_DIRECT, Outcome.WITHHELD_STATE_SECRET, "2024-01-01", True),
        (ReviewKind.LITIGATION_DIRECT, Outcome.PARTIAL, "2025-05-01", True),
        (ReviewKind.LITIGATION_DIRECT, Outcome.WITHHELD_STATE_SECRET, "2023-12-31", False),  # old law
        (ReviewKind.LITIGATION_DIRECT, Outcome.GRANTED, "2025-05-01", False),
        (ReviewKind.LITIGATION_AFTER_RECONSIDERATION, Outcome.WITHHELD_STATE_SECRET, "2025-05-01", False),
        (ReviewKind.LITIGATION_DIRECT, None, None, False),
    ],
)
def test_review_first_warning(kind: ReviewKind, outcome: Outcome | None, decided: str | None, warns: bool) -> None:
    text = review_first_warning(kind, outcome, D(decided) if decided else None)
    assert bool(text) is warns
    if warns:
        assert "第二十三条第一款第（四）项" in text and "复议前置" in text
