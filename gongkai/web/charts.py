"""Charts drawn by the vendored Apache ECharts, each with the same figures as an accessible table.

A view builds a :class:`Chart` (plain data: categories, series, marks) and the template includes
``web/chart.html`` with it. The page carries the chart's data as JSON (``json_script``: the CSP
allows no inline script) and ``static/gongkai/charts.js`` turns it into an ECharts option. The
table beside the chart is rendered on the server from the same object, so a screen reader, a
printout, a browser without JavaScript and the browser tests all read the very figures the chart
draws. ECharts' own toolbox saves each chart as an image.

Nothing here knows about cases or reports: domain apps fill the series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: The vendored library (gongkai/static/vendor/echarts, from the npm package of this version).
ECHARTS_VERSION = "6.1.0"
ECHARTS_STATIC_PATH = "vendor/echarts/echarts.min.js"

Number = int | float | None


class ChartKind(StrEnum):
    """How the series are drawn; the table is the same for every kind."""

    BAR = "bar"  # grouped bars, one group per category
    STACKED = "stacked"  # stacked bars (e.g. the outcome mix of table 三)
    LINE = "line"  # one line per series over the categories (years, months)
    PIE = "pie"  # the first series' share of each category
    HEATMAP = "heatmap"  # a matrix: categories across, one row per series (e.g. 雷同 between agencies)


@dataclass(frozen=True)
class Series:
    """One named row of figures, aligned with the chart's categories.

    ``marked`` holds the indices of values to call out (a year-on-year jump beyond the threshold);
    the chart draws them in the alert colour and the table marks the cell. ``links`` (optional,
    aligned with ``values``) makes a bar or cell open a page.
    """

    name: str
    values: list[Number]
    marked: frozenset[int] = frozenset()
    links: list[str | None] | None = None
    notes: dict[int, str] = field(default_factory=dict)  # index → why the cell is marked

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "values": self.values,
            "marked": sorted(self.marked),
            "links": self.links,
            "notes": {str(i): n for i, n in self.notes.items()},
        }


@dataclass(frozen=True)
class Cell:
    """A cell of the accessible table: the figure, its mark and its link."""

    value: Number
    marked: bool = False
    link: str | None = None
    note: str = ""

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if isinstance(self.value, float) and not self.value.is_integer():
            return f"{self.value:.1f}"
        return f"{int(self.value):,}"


@dataclass(frozen=True)
class Chart:
    """A chart and its table. ``key`` is unique on the page (the element ids derive from it)."""

    key: str
    title: str
    kind: ChartKind
    categories: list[str]
    series: list[Series]
    unit: str = ""
    category_label: str = ""  # the table's first column heading (年度, 月份, 机构…)
    horizontal: bool = False  # bars run across: long category names (agency names) stay legible
    height: int = 320  # px; a matrix grows with its rows
    caption: str = ""  # one sentence under the chart: what it shows, where the figures come from
    totals: bool = True  # False for figures that do not add up (rates, medians): no 合计 row

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(
                    f"图表“{self.title}”的数据列“{series.name}”有 {len(series.values)} 个值，"
                    f"分类有 {len(self.categories)} 个"
                )

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def is_empty(self) -> bool:
        return not self.categories or all(v in (None, 0) for s in self.series for v in s.values)

    def as_json(self) -> dict[str, Any]:
        """What ``charts.js`` reads: the same numbers as :meth:`rows`, nothing else."""
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind.value,
            "categories": self.categories,
            "series": [s.as_json() for s in self.series],
            "unit": self.unit,
            "horizontal": self.horizontal,
        }

    def rows(self) -> list[tuple[str, list[Cell]]]:
        """The accessible table: one row per category, one column per series."""
        table: list[tuple[str, list[Cell]]] = []
        for index, category in enumerate(self.categories):
            cells = [
                Cell(
                    value=s.values[index],
                    marked=index in s.marked,
                    link=s.links[index] if s.links else None,
                    note=s.notes.get(index, ""),
                )
                for s in self.series
            ]
            table.append((category, cells))
        return table

    def total_row(self) -> list[Cell] | None:
        """A 合计 row for the kinds whose figures add up (bars, stacks, pies); none for lines or a matrix."""
        if not self.totals or self.kind in (ChartKind.LINE, ChartKind.HEATMAP) or len(self.categories) < 2:
            return None
        totals: list[Cell] = []
        for s in self.series:
            figures = [v for v in s.values if v is not None]
            totals.append(Cell(value=sum(figures) if figures else None))
        return totals
