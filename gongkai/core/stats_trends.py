"""Rates and peer comparisons of the supervisor's trend pages (framework-free).

纠错率 of 行政复议 and 行政诉讼 (table 四 of the annual report, 国办公开办函〔2021〕30号 format,
legal spec §3.6): the cases whose result was 纠正 divided by the cases concluded that year
(维持 + 纠正 + 其他结果; 尚未审结 is not concluded). An agency's rate is set beside the median of
its peers of the same level, since a 街道 and a 区政府 do not see the same cases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median


@dataclass(frozen=True, slots=True)
class CorrectionRate:
    """Corrected ÷ concluded; ``rate`` is ``None`` when nothing was concluded."""

    corrected: int
    concluded: int

    @property
    def rate(self) -> float | None:
        return self.corrected / self.concluded if self.concluded else None

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(rate * 100, 1)


def correction_rate(upheld: int | None, corrected: int | None, other: int | None) -> CorrectionRate:
    """The rate of one table 四 group (or of groups summed); blanks count as 0."""
    return CorrectionRate(corrected or 0, (upheld or 0) + (corrected or 0) + (other or 0))


def peer_median(values: Iterable[float | None]) -> float | None:
    """The median of the peers' figures that exist; ``None`` when none does."""
    present = [v for v in values if v is not None]
    return float(median(present)) if present else None
