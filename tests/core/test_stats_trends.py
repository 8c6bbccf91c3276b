"""gongkai.core.report.jumps (year-on-year jumps, indicators, X-JUMP findings) and
gongkai.core.stats_trends (纠错率, peer median): table-driven."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.core.report.findings import Rule, Severity
from gongkai.core.report.jumps import (
    DEFAULT_INDICATOR,
    INDICATOR_BY_KEY,
    INDICATORS,
    Jump,
    JumpThresholds,
    find_jumps,
    is_jump,
    report_jumps,
)
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import ReportFormat, ReportTable, Table3Key
from gongkai.core.stats_trends import correction_rate, peer_median

DEFAULT = JumpThresholds()


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (550, 9487, True),  # +1,625 %: the example
        (550, 1100, True),  # exactly doubled
        (550, 1099, False),  # just under +100 %
        (1, 3, False),  # +200 % but a change of 2: below min_change
        (0, 19, False),  # appears from 0, below min_change
        (0, 20, True),  # appears from 0 at min_change
        (100, 50, True),  # halved: the mirror of a doubling
        (100, 51, False),
        (30, 5, True),  # fell to a sixth, a change of 25
        (10, 0, False),  # fell to 0 but a change of 10 only
        (None, 500, False),  # a year without a report is never compared
        (500, None, False),
        (Decimal("10.5"), Decimal("40.5"), True),  # money (万元)
        (5, 5, False),
    ],
)
def test_is_jump(before: int | None, after: int | None, expected: bool) -> None:
    assert is_jump(before, after, DEFAULT) is expected


@pytest.mark.parametrize(
    ("thresholds", "before", "after", "expected"),
    [
        (JumpThresholds(ratio=0.5, min_change=5), 100, 150, True),
        (JumpThresholds(ratio=0.5, min_change=5), 100, 149, False),
        (JumpThresholds(ratio=0.5, min_change=5), 90, 60, True),  # down to 1/1.5
        (JumpThresholds(ratio=1.0, min_change=1000), 550, 1200, False),
    ],
)
def test_configured_thresholds(thresholds: JumpThresholds, before: int, after: int, expected: bool) -> None:
    assert is_jump(before, after, thresholds) is expected


def test_find_jumps_marks_the_year_of_the_change_and_skips_gaps() -> None:
    jumps = find_jumps([512, 498, None, 550, 9487, 9000])
    assert [(j.index, j.before, j.after) for j in jumps] == [(4, 550, 9487)]
    assert jumps[0].note == "+1,625%"
    assert jumps[0].change == 8937


@pytest.mark.parametrize(
    ("before", "after", "note"),
    [(550, 9487, "+1,625%"), (100, 40, "-60%"), (0, 30, "新增"), (200, 400, "+100%")],
)
def test_jump_note(before: int, after: int, note: str) -> None:
    assert Jump(1, before, after).note == note


def test_indicators_cover_the_three_tables_with_unique_keys() -> None:
    assert len({i.key for i in INDICATORS}) == len(INDICATORS)
    assert {i.table for i in INDICATORS} == set(ReportTable)
    assert INDICATOR_BY_KEY[DEFAULT_INDICATOR].label == "行政许可 本年处理决定数量"
    assert INDICATOR_BY_KEY["t3.new"].column == "6"
    assert INDICATOR_BY_KEY["t4.reconsideration.corrected"].label == "行政复议 结果纠正"


def _reports() -> tuple[AnnualReport, AnnualReport]:
    before = AnnualReport.zero(year=2024)
    after = AnnualReport.zero(year=2025)
    before.table2["licensing"]["decisions"] = 550
    after.table2["licensing"]["decisions"] = 9487
    before.table3[Table3Key.NEW] = [40, 0, 0, 0, 0, 0, 40]
    after.table3[Table3Key.NEW] = [45, 0, 0, 0, 0, 0, 45]  # +12 %: no jump
    after.table4["reconsideration"]["upheld"] = 30  # 0 → 30: new
    return before, after


def test_indicator_value_reads_each_table() -> None:
    _, after = _reports()
    assert INDICATOR_BY_KEY["t2.licensing.decisions"].value(after) == 9487
    assert INDICATOR_BY_KEY["t3.new"].value(after) == 45
    assert INDICATOR_BY_KEY["t4.reconsideration.upheld"].value(after) == 30
    blank = AnnualReport.empty(ReportFormat.F2019)
    assert INDICATOR_BY_KEY["t2.normative_documents.in_force"].value(blank) is None  # absent in 2019


def test_report_jumps_are_x_jump_warnings_with_both_figures() -> None:
    before, after = _reports()
    found = report_jumps(before, after)
    by_row = {(f.table, f.row, f.column): f for f in found}
    licensing = by_row[(ReportTable.TABLE2, "licensing", "decisions")]
    assert licensing.rule is Rule.JUMP and licensing.severity is Severity.WARNING
    assert (licensing.expected, licensing.actual) == (550, 9487)
    assert "+1,625%" in licensing.message
    assert (ReportTable.TABLE4, "reconsideration", "upheld") in by_row
    assert (ReportTable.TABLE3, "new", "6") not in by_row
    assert report_jumps(before, after, JumpThresholds(min_change=10_000)) == []


@pytest.mark.parametrize(
    ("upheld", "corrected", "other", "percent"),
    [(3, 1, 0, 25.0), (0, 0, 0, None), (None, 2, None, 100.0), (2, 1, 3, 16.7)],
)
def test_correction_rate(upheld: int | None, corrected: int | None, other: int | None, percent: float | None) -> None:
    assert correction_rate(upheld, corrected, other).percent == percent


@pytest.mark.parametrize(
    ("values", "expected"),
    [([10.0, None, 30.0], 20.0), ([None, None], None), ([], None), ([5.0, 1.0, 3.0], 3.0)],
)
def test_peer_median(values: list[float | None], expected: float | None) -> None:
    assert peer_median(values) == expected
