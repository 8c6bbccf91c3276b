"""条例 art 49 due dates, and a 乡镇/街道's date set by its supervising government (core, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.report.due_dates import MonthDay, ReportingBody, ReportTimeliness, due_date, lateness

B = ReportingBody


@pytest.mark.parametrize(
    ("body", "setting", "due"),
    [
        (B.DEPARTMENT, None, dt.date(2025, 1, 31)),
        (B.LOCAL_GOVERNMENT, None, dt.date(2025, 3, 31)),
        (B.TOWNSHIP, None, dt.date(2025, 1, 31)),
        (B.TOWNSHIP, MonthDay(2, 28), dt.date(2025, 2, 28)),
        (B.TOWNSHIP, MonthDay(2, 29), dt.date(2025, 2, 28)),  # no 29 February in 2025
        (B.DEPARTMENT, MonthDay(2, 28), dt.date(2025, 1, 31)),  # art 49 fixes a department's date
        (B.LOCAL_GOVERNMENT, MonthDay(1, 15), dt.date(2025, 3, 31)),
    ],
)
def test_due_date(body: ReportingBody, setting: MonthDay | None, due: dt.date) -> None:
    assert due_date(body, 2024, setting) == due


@pytest.mark.parametrize(
    ("text", "parsed"), [("2-28", MonthDay(2, 28)), ("02-28", MonthDay(2, 28)), ("2月28日", MonthDay(2, 28))]
)
def test_parse(text: str, parsed: MonthDay) -> None:
    assert MonthDay.parse(text) == parsed and str(parsed) == "2月28日"


@pytest.mark.parametrize("text", ["2-30", "13-1", "二月", "", "2/"])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        MonthDay.parse(text)


def test_lateness_with_a_setting() -> None:
    late = lateness(
        B.TOWNSHIP, 2024, published_on=dt.date(2025, 2, 20), today=dt.date(2025, 3, 1), setting=MonthDay(2, 15)
    )
    assert (late.due, late.timeliness, late.days_late) == (dt.date(2025, 2, 15), ReportTimeliness.LATE, 5)
