"""Year-on-year jumps: an indicator of the annual report that changes far more than a year explains.

A 主管部门 reading its agencies' reports (条例 art 49 and art 50: each agency publishes its own
report; 国办公开办函〔2021〕30号 "一、（四）明确责任" asks the supervisor to check them) looks
for figures that cannot be right or need a word of explanation: 行政许可 本年处理决定数量 going
from 550 to 9,487 (+1,625 %) is either a new duty or a wrong column. The console's trend charts and
the 年报监督 findings export mark the same jumps, with this one rule:

- an increase is a jump when it is at least ``ratio`` of the previous figure (default 100 %: the
  figure at least doubled); a decrease when the figure fell to ``1 / (1 + ratio)`` of the previous
  one or less (default: halved), the mirror of a doubling;
- and the absolute change is at least ``min_change`` (default 20), so 1 → 3 is not a jump;
- a figure that appears from 0 is a jump when it reaches ``min_change``; a blank on either side
  (a year not reported, a cell not read) is never compared.

Indicators are named by stable keys over the taxonomy: ``t2.<row>.<field>`` (table 二),
``t3.<row>`` (table 三, the 总计 column) and ``t4.<group>.<result>`` (table 四).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from gongkai.core.report.findings import Finding, Rule, Severity
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import (
    REVIEW_RESULT_LABELS,
    TABLE2_ROWS_2021,
    TABLE3_ROWS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TABLE4_TOTAL_LABEL,
    TOTAL_COLUMN,
    ReportTable,
    ReviewKind,
    ReviewResult,
    table3_row_label,
    table4_group_label,
)

Figure = int | float | Decimal


@dataclass(frozen=True, slots=True)
class JumpThresholds:
    """When a change from one year to the next is marked (settings: ``GONGKAI_JUMPS``)."""

    ratio: float = 1.0  # +100 % up, or down to half
    min_change: int = 20  # absolute change below this is never a jump


DEFAULT_JUMP_THRESHOLDS = JumpThresholds()


@dataclass(frozen=True, slots=True)
class Jump:
    """``values[index]`` jumped from ``before`` (``values[index - 1]``) to ``after``."""

    index: int
    before: Figure
    after: Figure

    @property
    def change(self) -> Figure:
        if isinstance(self.before, int) and isinstance(self.after, int):
            return self.after - self.before
        return float(self.after) - float(self.before)

    @property
    def percent(self) -> float | None:
        """The change in per cent of ``before``; ``None`` when ``before`` is 0."""
        return None if self.before == 0 else float(self.change) / float(self.before) * 100

    @property
    def note(self) -> str:
        """ "+1,625%", "-60%", or "新增" for a figure that appears from 0."""
        percent = self.percent
        return "新增" if percent is None else f"{percent:+,.0f}%"


def is_jump(before: Figure | None, after: Figure | None, thresholds: JumpThresholds = DEFAULT_JUMP_THRESHOLDS) -> bool:
    """The rule of the module docstring for one pair of consecutive figures."""
    if before is None or after is None:
        return False
    old, new = float(before), float(after)
    change = new - old
    if abs(change) < thresholds.min_change:
        return False
    if old <= 0:
        return new > old
    if change > 0:
        return change >= thresholds.ratio * old
    return new * (1 + thresholds.ratio) <= old


def find_jumps(values: Sequence[Figure | None], thresholds: JumpThresholds = DEFAULT_JUMP_THRESHOLDS) -> list[Jump]:
    """The jumps between consecutive values (years in order; a ``None`` breaks the chain)."""
    out: list[Jump] = []
    for index in range(1, len(values)):
        before, after = values[index - 1], values[index]
        if before is not None and after is not None and is_jump(before, after, thresholds):
            out.append(Jump(index, before, after))
    return out


# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Indicator:
    """One figure of a report: ``table``, ``row`` and ``column`` as :class:`Finding` names them."""

    key: str
    label: str
    table: ReportTable
    row: str
    column: str

    def value(self, report: AnnualReport) -> Figure | None:
        """The figure in ``report``; ``None`` when blank or absent in its format."""
        raw: object
        if self.table is ReportTable.TABLE2:
            raw = report.table2.get(self.row, {}).get(self.column)
        elif self.table is ReportTable.TABLE3:
            cells = report.table3.get(self.row)
            raw = cells[int(self.column)] if cells and len(cells) > int(self.column) else None
        else:
            raw = report.table4.get(self.row, {}).get(self.column)
        return raw if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool) else None


def _table4_label(group: ReviewKind, result: str) -> str:
    name = TABLE4_TOTAL_LABEL if result == TABLE4_TOTAL_KEY else REVIEW_RESULT_LABELS[ReviewResult(result)]
    return f"{table4_group_label(group)} {name}"


def _indicators() -> tuple[Indicator, ...]:
    table2 = [
        Indicator(f"t2.{row.key}.{f.key}", f"{row.label} {f.label}", ReportTable.TABLE2, row.key, f.key)
        for row in TABLE2_ROWS_2021
        for f in row.fields
    ]
    table3 = [
        Indicator(f"t3.{r.key}", table3_row_label(r.key), ReportTable.TABLE3, r.key, str(TOTAL_COLUMN))
        for r in TABLE3_ROWS
    ]
    table4 = [
        Indicator(f"t4.{g.value}.{result}", _table4_label(g, result), ReportTable.TABLE4, g.value, str(result))
        for g in TABLE4_GROUPS
        for result in (*(r.value for r in ReviewResult), TABLE4_TOTAL_KEY)
    ]
    return (*table2, *table3, *table4)


#: Every figure a trend can follow, in the order of the report.
INDICATORS: tuple[Indicator, ...] = _indicators()
INDICATOR_BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
#: The default trend: 行政许可 本年处理决定数量.
DEFAULT_INDICATOR = "t2.licensing.decisions"


def report_jumps(
    previous: AnnualReport,
    current: AnnualReport,
    thresholds: JumpThresholds = DEFAULT_JUMP_THRESHOLDS,
    indicators: Sequence[Indicator] = INDICATORS,
) -> list[Finding]:
    """Every indicator that jumped from ``previous`` (year N−1) to ``current`` (year N), as
    warnings of rule ``X-JUMP``: ``expected`` is last year's figure, ``actual`` this year's."""
    out: list[Finding] = []
    for indicator in indicators:
        before, after = indicator.value(previous), indicator.value(current)
        if before is None or after is None or not is_jump(before, after, thresholds):
            continue
        note = Jump(1, before, after).note
        out.append(
            Finding(
                Rule.JUMP,
                Severity.WARNING,
                f"{indicator.label}由上年的{before}变为{after}（{note}），变化超过阈值，请核实或在报告中说明原因。",
                indicator.table,
                indicator.row,
                indicator.column,
                _exact(before),
                _exact(after),
            )
        )
    return out


def _exact(value: Figure) -> int | Decimal:
    """A report's figure as a finding states it (reports hold integers and decimal money)."""
    return value if isinstance(value, int | Decimal) else Decimal(str(value))
