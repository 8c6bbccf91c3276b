"""Key figures of one agency's reports by year, each with its change from the year before."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise
from typing import Any

from gongkai.core.report.checks import table3_row
from gongkai.core.report.crosscheck.narrative import Figure, narrative_numbers
from gongkai.core.report.findings import Number, json_number
from gongkai.core.report.model import AnnualReport, Table2Value
from gongkai.core.report.taxonomy import (
    OUTCOME_GROUPS,
    TABLE4_TOTAL_KEY,
    TOTAL_COLUMN,
    OutcomeGroup,
    ReviewKind,
    ReviewResult,
    Table3Key,
    table3_rows,
)


@dataclass(frozen=True, slots=True)
class KeyFigure:
    key: str
    label: str
    unit: str
    value: Callable[[AnnualReport], Number | None]


def _t3(row: Table3Key) -> Callable[[AnnualReport], Number | None]:
    return lambda r: table3_row(r, row)[TOTAL_COLUMN]


def _t3_group(group: OutcomeGroup) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        rows = [r for r in table3_rows(report.format) if r.group_key == group.key]
        cells = [table3_row(report, r.key)[TOTAL_COLUMN] for r in rows]
        return None if all(c is None for c in cells) else sum(c or 0 for c in cells)

    return value


def _t4(groups: tuple[ReviewKind, ...], name: str) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        cells = [report.table4.get(g.value, {}).get(name) for g in groups]
        return None if all(c is None for c in cells) else sum(c or 0 for c in cells)

    return value


def _t2(row: str, name: str) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        cell: Table2Value = report.table2.get(row, {}).get(name)
        return cell

    return value


def _narrated(figure: Figure) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        for number in narrative_numbers(report):
            if number.figure is figure and number.result is None:
                return number.value
        return None

    return value


_LITIGATION = (ReviewKind.LITIGATION_DIRECT, ReviewKind.LITIGATION_AFTER_RECONSIDERATION)
_ALL_REVIEWS = tuple(ReviewKind)
#: （三）不予公开, （四）无法提供, （五）不予处理: each the sum of its sub-rows (no subtotal row).
_WITHHELD, _UNAVAILABLE, _REJECTED = OUTCOME_GROUPS[2:5]

KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure(Table3Key.NEW, "本年新收申请", "件", _t3(Table3Key.NEW)),
    KeyFigure(Table3Key.CARRIED_OVER, "上年结转申请", "件", _t3(Table3Key.CARRIED_OVER)),
    KeyFigure("closed", "办结（总计）", "件", _t3(Table3Key.TOTAL)),
    KeyFigure(Table3Key.CARRIED_FORWARD, "结转下年度", "件", _t3(Table3Key.CARRIED_FORWARD)),
    KeyFigure(Table3Key.GRANTED, "予以公开", "件", _t3(Table3Key.GRANTED)),
    KeyFigure(Table3Key.PARTIAL, "部分公开", "件", _t3(Table3Key.PARTIAL)),
    KeyFigure(_WITHHELD.key, "不予公开", "件", _t3_group(_WITHHELD)),
    KeyFigure(_UNAVAILABLE.key, "无法提供", "件", _t3_group(_UNAVAILABLE)),
    KeyFigure(_REJECTED.key, "不予处理", "件", _t3_group(_REJECTED)),
    KeyFigure("reconsideration", "行政复议", "件", _t4((ReviewKind.RECONSIDERATION,), TABLE4_TOTAL_KEY)),
    KeyFigure("litigation", "行政诉讼", "件", _t4(_LITIGATION, TABLE4_TOTAL_KEY)),
    KeyFigure("corrected", "复议、诉讼结果纠正", "件", _t4(_ALL_REVIEWS, ReviewResult.CORRECTED.value)),
    KeyFigure("normative_in_force", "现行有效规范性文件", "件", _t2("normative_documents", "in_force")),
    KeyFigure("licensing", "行政许可决定", "件", _t2("licensing", "decisions")),
    KeyFigure("punishment", "行政处罚决定", "件", _t2("punishment", "decisions")),
    KeyFigure("fees", "行政事业性收费（万元）", "万元", _t2("fees", "amount_10k_yuan")),
    KeyFigure("published", "主动公开信息（正文）", "条", _narrated(Figure.PUBLISHED)),
)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One key figure across the years: ``values[i]`` for ``years[i]``, ``changes[i]`` from the year before."""

    key: str
    label: str
    values: tuple[Number | None, ...]
    changes: tuple[Number | None, ...]
    percents: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class YearComparison:
    agency: str | None
    years: tuple[int, ...]
    rows: tuple[ComparisonRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "years": list(self.years),
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "values": [json_number(v) for v in r.values],
                    "changes": [json_number(v) for v in r.changes],
                    "percents": [None if p is None else format(p, "f") for p in r.percents],
                }
                for r in self.rows
            ],
        }


def compare_years(reports: Sequence[AnnualReport]) -> YearComparison:
    """Key figures of one agency's reports by year (oldest first), each with its change.

    The change is against the nearest earlier year given; a report without a year is left out,
    and of two reports of one year the first is used.
    """
    by_year: dict[int, AnnualReport] = {}
    for report in reports:
        if report.year is not None and report.year not in by_year:
            by_year[report.year] = report
    years = tuple(sorted(by_year))
    agency = next((by_year[y].agency for y in reversed(years) if by_year[y].agency), None)
    rows: list[ComparisonRow] = []
    for figure in KEY_FIGURES:
        values = tuple(figure.value(by_year[y]) for y in years)
        changes: list[Number | None] = [None]
        percents: list[Decimal | None] = [None]
        for before, now in pairwise(values):
            if before is None or now is None:
                changes.append(None)
                percents.append(None)
                continue
            changes.append(now - before)
            percents.append(
                None if before == 0 else (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"))
            )
        rows.append(
            ComparisonRow(figure.key, figure.label, values, tuple(changes[: len(years)]), tuple(percents[: len(years)]))
        )
    return YearComparison(agency, years, tuple(rows))
