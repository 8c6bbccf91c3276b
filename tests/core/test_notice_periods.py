"""The applicant's periods run from the receipt of the notice (条例 art 30; 国办函〔2020〕109号)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.deadlines import FeeNotice, MilestoneKind, compute_deadline
from gongkai.core.errors import DeadlineError
from gongkai.core.notice_periods import (
    NoticeKind,
    correction_period,
    correction_period_days,
    fee_payment_period,
    last_day,
)
from tests.core.test_deadlines import CAL

D = date.fromisoformat


@pytest.mark.parametrize(
    ("sent", "received", "due", "provisional"),
    [
        # spec §5.2 vectors: the day of receipt is not counted
        ("2026-03-02", "2026-03-02", "2026-03-30", False),
        ("2026-02-27", "2026-03-02", "2026-03-30", False),  # posted Friday, signed for Monday
        ("2026-02-27", "2026-03-01", "2026-03-27", False),  # received on a Sunday: Monday is day 1
        ("2026-02-13", "2026-02-13", "2026-03-19", False),  # across the Spring Festival
        ("2026-02-13", None, "2026-03-19", True),  # no 送达 yet: from the day sent, provisional
        ("2025-12-31", "2026-01-05", "2026-02-02", False),  # across the year end
    ],
)
def test_fee_payment_period_runs_from_receipt(sent: str, received: str | None, due: str, provisional: bool) -> None:
    period = fee_payment_period(D(sent), D(received) if received else None, calendar=CAL)
    assert period.due_on == D(due)
    assert period.provisional is provisional
    assert period.days == 20
    assert period.kind is NoticeKind.FEE


@pytest.mark.parametrize(
    ("sent", "reply_by", "received", "counted_from", "days", "due"),
    [
        ("2026-03-02", "2026-03-16", None, None, 10, "2026-03-16"),  # provisional: as the office set it
        ("2026-03-02", "2026-03-16", "2026-03-04", None, 10, "2026-03-18"),  # two days in the post
        ("2026-03-02", "2026-03-16", "2026-03-02", None, 10, "2026-03-16"),  # handed over the same day
        ("2026-03-02", "2026-03-14", "2026-03-04", None, 10, "2026-03-18"),  # a Saturday counts through Monday
        ("2026-03-02", "2026-03-18", "2026-03-03", "2026-03-04", 10, "2026-03-17"),  # an earlier receipt entered later
        (
            "2026-02-13",
            "2026-02-27",
            "2026-02-16",
            None,
            5,
            "2026-02-28",
        ),  # Spring Festival; 2-14 and 2-28 are 调休 working Saturdays
    ],
)
def test_correction_period_keeps_its_length_from_receipt(
    sent: str, reply_by: str, received: str | None, counted_from: str | None, days: int, due: str
) -> None:
    period = correction_period(
        D(sent),
        D(reply_by),
        D(received) if received else None,
        calendar=CAL,
        counted_from=D(counted_from) if counted_from else None,
    )
    assert period.days == days
    assert period.due_on == D(due)
    assert period.provisional is (received is None)


def test_recounting_from_the_same_receipt_is_stable() -> None:
    first = correction_period(D("2026-03-02"), D("2026-03-14"), D("2026-03-04"), calendar=CAL)
    again = correction_period(
        D("2026-03-02"), first.due_on, D("2026-03-04"), calendar=CAL, counted_from=D("2026-03-04")
    )
    assert again.due_on == first.due_on == D("2026-03-18")


def test_a_period_never_ends_before_the_date_the_office_set() -> None:
    for day in range(1, 29):
        reply_by = date(2026, 2, day)
        if reply_by < D("2026-02-02"):
            continue
        days = correction_period_days(D("2026-02-02"), reply_by, calendar=CAL)
        assert CAL.nth_working_day_after(D("2026-02-02"), days) >= reply_by


@pytest.mark.parametrize(
    "call",
    [
        lambda: fee_payment_period(D("2026-03-02"), D("2026-03-01"), calendar=CAL),
        lambda: correction_period(D("2026-03-02"), D("2026-03-16"), D("2026-02-27"), calendar=CAL),
        lambda: correction_period_days(D("2026-03-02"), D("2026-03-01"), calendar=CAL),
    ],
)
def test_impossible_dates_are_refused(call: object) -> None:
    with pytest.raises(DeadlineError):
        call()  # type: ignore[operator]


def test_last_day_moves_off_holidays_only() -> None:
    assert last_day(CAL, D("2026-03-14")) == D("2026-03-16")  # Saturday → Monday
    assert last_day(CAL, D("2026-02-16")) == D("2026-02-24")  # Spring Festival 2026 → first working day
    assert last_day(CAL, D("2026-03-13")) == D("2026-03-13")


@pytest.mark.parametrize(
    ("received", "text"),
    [
        ("2026-03-02", "自您收到收费通知之日（2026年3月2日）起20个工作日内缴费，即2026年3月30日前"),
        (None, "暂定：尚未登记您收到收费通知的日期，暂按发出之日（2026年2月27日）起20个工作日计算"),
    ],
)
def test_explain_names_the_day_of_receipt_or_says_provisional(received: str | None, text: str) -> None:
    period = fee_payment_period(D("2026-02-27"), D(received) if received else None, calendar=CAL)
    assert text in period.explain()
    assert "国办函〔2020〕109号" in period.explain()


def test_correction_explain_cites_article_30() -> None:
    period = correction_period(D("2026-03-02"), D("2026-03-16"), D("2026-03-04"), calendar=CAL)
    assert period.explain().startswith("自您收到补正告知之日（2026年3月4日）起10个工作日内补正")
    assert "《条例》第三十条" in period.explain()


def test_answer_clock_milestone_uses_the_day_of_receipt() -> None:
    result = compute_deadline(D("2026-03-02"), [FeeNotice(D("2026-03-09"), received_on=D("2026-03-12"))], calendar=CAL)
    assert result.milestone(MilestoneKind.FEE_PAYMENT_DUE) == CAL.nth_working_day_after(D("2026-03-12"), 20)
    provisional = compute_deadline(D("2026-03-02"), [FeeNotice(D("2026-03-09"))], calendar=CAL)
    assert provisional.milestone(MilestoneKind.FEE_PAYMENT_DUE) == CAL.nth_working_day_after(D("2026-03-09"), 20)
