"""Lateness against 条例 art 49: 31 January (部门, 乡镇街道), 31 March (县级以上地方人民政府)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.report.due_dates import ReportingBody, ReportTimeliness, due_date, lateness

D = dt.date


@pytest.mark.parametrize(
    ("body", "due"),
    [
        (ReportingBody.DEPARTMENT, D(2024, 1, 31)),
        (ReportingBody.TOWNSHIP, D(2024, 1, 31)),
        (ReportingBody.LOCAL_GOVERNMENT, D(2024, 3, 31)),
    ],
)
def test_due_date(body: ReportingBody, due: dt.date) -> None:
    assert due_date(body, 2023) == due


@pytest.mark.parametrize(
    ("published", "today", "timeliness", "days"),
    [
        (D(2024, 1, 6), D(2024, 5, 1), ReportTimeliness.ON_TIME, 0),
        (D(2024, 1, 31), D(2024, 5, 1), ReportTimeliness.ON_TIME, 0),
        (D(2024, 2, 1), D(2024, 5, 1), ReportTimeliness.LATE, 1),
        (None, D(2024, 1, 31), ReportTimeliness.NOT_DUE, 0),
        (None, D(2024, 2, 10), ReportTimeliness.OVERDUE, 10),
    ],
)
def test_lateness_of_a_department(
    published: dt.date | None, today: dt.date, timeliness: ReportTimeliness, days: int
) -> None:
    result = lateness(ReportingBody.DEPARTMENT, 2023, published_on=published, today=today)
    assert (result.timeliness, result.days_late) == (timeliness, days)


def test_county_government_is_not_late_in_february() -> None:
    result = lateness(ReportingBody.LOCAL_GOVERNMENT, 2023, published_on=None, today=D(2024, 2, 10))
    assert result.timeliness is ReportTimeliness.NOT_DUE
