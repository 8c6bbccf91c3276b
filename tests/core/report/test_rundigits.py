"""The run-together splitter finds every split that adds up — the same set a brute force finds —
and settles rows of large random numbers that a blind enumeration gave up on (issue 15 item 3)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.report.readers.rundigits import MAX_CELL_DIGITS, split_runs


def _cuts(run: str) -> list[list[str]]:
    """Every way to cut one run into numbers (no leading zero, at most MAX_CELL_DIGITS digits)."""
    out: list[list[str]] = []
    for k in range(len(run)):
        for points in itertools.combinations(range(1, len(run)), k):
            bounds = (0, *points, len(run))
            parts = [run[a:b] for a, b in itertools.pairwise(bounds)]
            if all(len(p) <= MAX_CELL_DIGITS and (p == "0" or p[0] != "0") for p in parts):
                out.append(parts)
    return out


def brute_force(runs: list[str], cells: int) -> tuple[tuple[int, ...], ...]:
    runs = [r for r in runs if r]
    found: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for combo in itertools.product(*(_cuts(r) for r in runs)):
        parts = [p for cut in combo for p in cut]
        values = tuple(int(p) for p in parts)
        if len(values) == cells and sum(values[:-1]) == values[-1]:
            found.append((tuple(len(p) for p in parts[:-1]), values))
    return tuple(values for _, values in sorted(found))


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=6), min_size=1, max_size=3), st.integers(1, 7))
def test_split_to_a_total_finds_exactly_the_splits_that_add_up(runs: list[str], cells: int) -> None:
    split = split_runs(runs, cells, sum_last=True)
    assert not split.capped
    assert split.candidates == brute_force(runs, cells)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.integers(0, 3000), min_size=6, max_size=6))
def test_a_row_of_written_numbers_is_among_the_splits(values: list[int]) -> None:
    row = (*values, sum(values))
    split = split_runs(["".join(map(str, row))], 7, sum_last=True)
    assert not split.capped
    assert row in split.candidates


def test_large_random_numbers_are_split_not_given_up() -> None:
    # A row of four-digit numbers run together: 28 digits, one split adds up. The left-to-right
    # enumeration gave up on rows like this (20,000 steps) and left all seven cells blank.
    assert split_runs(["6331419299118912417259711948"], 7, sum_last=True).candidates == (
        (633, 1419, 2991, 1891, 2417, 2597, 11948),
    )
    assert split_runs(["23381381259440950726669895"], 7, sum_last=True).candidates == (
        (2338, 1381, 2594, 409, 507, 2666, 9895),
    )


def test_a_total_above_the_modulus_is_still_checked_exactly() -> None:
    values = [123456, 654321, 111111, 0, 7, 99999]
    row = (*values, sum(values))
    split = split_runs(["".join(map(str, row))], 7, sum_last=True)
    assert row in split.candidates
    assert all(sum(c[:-1]) == c[-1] for c in split.candidates)
