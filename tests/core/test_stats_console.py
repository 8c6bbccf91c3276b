"""gongkai.core.stats_console: where a report stands on the board, 催报, table sums."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.core.report.due_dates import ReportTimeliness as T
from gongkai.core.stats_console import BoardState as S
from gongkai.core.stats_console import add, board_state, needs_reminder, sum_nested, sum_table3


@pytest.mark.parametrize(
    ("published", "signed", "uploaded", "timeliness", "state"),
    [
        (True, True, True, T.ON_TIME, S.PUBLISHED_ON_TIME),
        (True, False, False, T.LATE, S.PUBLISHED_LATE),
        (False, True, True, T.OVERDUE, S.SIGNED),
        (False, True, False, T.NOT_DUE, S.SIGNED),
        (False, False, True, T.OVERDUE, S.UPLOADED),
        (False, False, False, T.OVERDUE, S.MISSING),
        (False, False, False, T.NOT_DUE, S.NOT_DUE),
    ],
)
def test_board_state(published: bool, signed: bool, uploaded: bool, timeliness: T, state: S) -> None:
    assert board_state(published=published, signed=signed, uploaded=uploaded, timeliness=timeliness) is state


@pytest.mark.parametrize(
    ("state", "timeliness", "expected"),
    [
        (S.MISSING, T.OVERDUE, True),
        (S.SIGNED, T.OVERDUE, True),
        (S.SIGNED, T.NOT_DUE, False),
        (S.NOT_DUE, T.NOT_DUE, False),
        (S.UPLOADED, T.OVERDUE, False),
        (S.PUBLISHED_LATE, T.LATE, False),
        (S.PUBLISHED_ON_TIME, T.ON_TIME, False),
    ],
)
def test_needs_reminder(state: S, timeliness: T, expected: bool) -> None:
    assert needs_reminder(state, timeliness) is expected


@pytest.mark.parametrize(
    ("a", "b", "total"),
    [(None, None, None), (None, 3, 3), (2, None, 2), (2, 3, 5), (Decimal("1.5"), Decimal("2"), Decimal("3.5"))],
)
def test_add_keeps_blank_only_when_both_blank(a: object, b: object, total: object) -> None:
    assert add(a, b) == total  # type: ignore[arg-type]


def test_sum_table3_adds_cell_by_cell_and_ignores_missing_rows() -> None:
    tables = [{"new": [1, None, 3]}, {"new": [2, None, None], "total": [5, 5, 5]}, {}]
    assert sum_table3(tables, ["new", "total"], 3) == {"new": [3, None, 3], "total": [5, 5, 5]}


def test_sum_nested_adds_fields_of_each_row() -> None:
    layout = [("reconsideration", ("upheld", "total")), ("licensing", ("decisions",))]
    tables = [
        {"reconsideration": {"upheld": 1, "total": 2}},
        {"reconsideration": {"upheld": 4, "total": None}, "licensing": {"decisions": 7}},
    ]
    assert sum_nested(tables, layout) == {
        "reconsideration": {"upheld": 5, "total": 2},
        "licensing": {"decisions": 7},
    }
