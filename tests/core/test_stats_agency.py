"""gongkai.core.stats_agency: on time with extensions (条例 art 33 ¶2, art 35), overdue at a day, months."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.stats_agency import (
    COUNTED,
    ON_TIME,
    MonthPoint,
    Timeliness,
    closing_timeliness,
    month_points,
    on_time_rate,
    overdue_at,
)

D = date


@pytest.mark.parametrize(
    ("closed_on", "due_on", "extended", "expected"),
    [
        (D(2026, 3, 20), D(2026, 3, 30), False, Timeliness.IN_PERIOD),  # well within 20 working days
        (D(2026, 3, 30), D(2026, 3, 30), False, Timeliness.IN_PERIOD),  # on the due day itself
        (D(2026, 3, 31), D(2026, 3, 30), False, Timeliness.LATE),  # the day after
        # extended to 04-28: closed after the original 03-30 but within the extension → on time
        (D(2026, 4, 20), D(2026, 4, 28), True, Timeliness.IN_EXTENSION),
        (D(2026, 4, 28), D(2026, 4, 28), True, Timeliness.IN_EXTENSION),
        (D(2026, 4, 29), D(2026, 4, 28), True, Timeliness.LATE),  # after the extended date: late
        (D(2026, 3, 5), None, False, Timeliness.NO_PERIOD),  # closed while waiting for 补正
        (D(2026, 3, 5), None, True, Timeliness.NO_PERIOD),
    ],
)
def test_closing_timeliness(closed_on: date, due_on: date | None, extended: bool, expected: Timeliness) -> None:
    assert closing_timeliness(closed_on, due_on, extended=extended) is expected
    assert expected.on_time == (expected in ON_TIME)


def test_the_rate_counts_extensions_on_time_and_leaves_out_cases_without_a_period() -> None:
    assert {Timeliness.IN_PERIOD, Timeliness.IN_EXTENSION} == ON_TIME
    assert Timeliness.NO_PERIOD not in COUNTED
    assert Timeliness.LATE in COUNTED


@pytest.mark.parametrize(
    ("on_time", "late", "rate"),
    [(0, 0, None), (3, 0, 100.0), (2, 1, 66.7), (1, 2, 33.3), (0, 4, 0.0), (199, 1, 99.5)],
)
def test_on_time_rate(on_time: int, late: int, rate: float | None) -> None:
    assert on_time_rate(on_time, late) == rate


@pytest.mark.parametrize(
    ("day", "received_on", "due_on", "closed_on", "overdue"),
    [
        (D(2026, 3, 31), D(2026, 3, 2), D(2026, 3, 30), None, True),
        (D(2026, 3, 30), D(2026, 3, 2), D(2026, 3, 30), None, False),  # due today: not yet overdue
        (D(2026, 3, 31), D(2026, 3, 2), D(2026, 3, 30), D(2026, 3, 31), False),  # answered that day (late)
        (D(2026, 3, 31), D(2026, 3, 2), D(2026, 3, 30), D(2026, 4, 2), True),  # answered later
        (D(2026, 2, 28), D(2026, 3, 2), D(2026, 3, 30), None, False),  # not received yet
        (D(2026, 3, 31), D(2026, 3, 2), None, None, False),  # waiting for 补正: no clock
        (D(2026, 3, 31), None, None, None, False),  # never confirmed
    ],
)
def test_overdue_at(
    day: date, received_on: date | None, due_on: date | None, closed_on: date | None, overdue: bool
) -> None:
    assert overdue_at(day, received_on=received_on, due_on=due_on, closed_on=closed_on) is overdue


def test_month_points() -> None:
    past = month_points(2025, D(2026, 12, 3))
    assert [p.month for p in past] == list(range(1, 13))
    assert past[1] == MonthPoint(2, D(2025, 2, 28))
    assert past[-1].day == D(2025, 12, 31)
    current = month_points(2026, D(2026, 3, 15))
    assert [(p.label, p.day) for p in current] == [
        ("1月", D(2026, 1, 31)),
        ("2月", D(2026, 2, 28)),
        ("3月", D(2026, 3, 15)),
    ]
    assert month_points(2027, D(2026, 3, 15)) == []
    assert month_points(2024, D(2026, 1, 1))[1].day == D(2024, 2, 29)
