"""A parent region against the sum of its children, and which reports are a region's children.

A 区政府's table 三 and 四 would be the sum of its own office's and its 街道/乡镇's, cell by cell,
if its report counted the whole district; many count only the office, so every difference is a
warning that says so (:data:`REGION_CAVEAT`).
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.core.report.checks import describe_place, table3_row
from gongkai.core.report.findings import Finding, Rule, describe_value
from gongkai.core.report.model import AnnualReport, Cell
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    ReportFormat,
    ReportTable,
    table3_rows,
)

REGION_CAVEAT = "区县、市政府的年度报告常只统计政府本级（办公室）的申请，不一定是全区合计；如属此情形，可不理会本提示"


def check_region_sum(parent: AnnualReport, children: Sequence[AnnualReport]) -> list[Finding]:
    """Each cell of tables 三 and 四 of ``parent`` against the sum of its ``children``'s cells.

    A warning, never an error: many a 区政府's report covers only its own office (the message
    says so). Children of another year than ``parent`` are left out; cells blank in the parent
    and in every child are not compared; a blank child cell counts as 0.
    """
    same_year = [c for c in children if parent.year is None or c.year is None or c.year == parent.year]
    if not same_year:
        return []
    fmt = parent.format
    who = f"{len(same_year)} 份下级机关报告"
    findings: list[Finding] = []
    for row in table3_rows(fmt):
        for col in range(COLUMN_COUNT):
            own = table3_row(parent, row.key)[col]
            parts = [table3_row(c, row.key)[col] for c in same_year]
            finding = _region_cell(ReportTable.TABLE3, row.key, str(col), own, parts, fmt, who)
            if finding is not None:
                findings.append(finding)
    for group in TABLE4_GROUPS:
        for name in TABLE4_FIELDS:
            own = parent.table4.get(group.value, {}).get(name)
            parts = [c.table4.get(group.value, {}).get(name) for c in same_year]
            finding = _region_cell(ReportTable.TABLE4, group.value, name, own, parts, fmt, who)
            if finding is not None:
                findings.append(finding)
    return findings


def _region_cell(
    table: ReportTable, row: str, column: str, own: Cell, parts: list[Cell], fmt: ReportFormat, who: str
) -> Finding | None:
    if own is None and all(p is None for p in parts):
        return None
    total = sum(p or 0 for p in parts)
    if total == (own or 0):
        return None
    message = (
        f"{describe_place(table, row, column, fmt)}：本级报告填报为 {describe_value(own)}，{who}合计为 {total}，"
        f"两者不等（{REGION_CAVEAT}）"
    )
    return Finding(Rule.REGION_SUM, Rule.REGION_SUM.severity, message, table, row, column, total, own or 0)


_GOVERNMENT_SUFFIXES = ("人民政府", "政府")


def squash(text: str) -> str:
    """A name without any whitespace (PDF text puts spaces inside names)."""
    return "".join(text.split())


def region_prefix(agency: str | None) -> str | None:
    """ "北京市密云区" for "北京市密云区人民政府"; None for a name that is not a 政府's."""
    if not agency:
        return None
    name = squash(agency)
    for suffix in _GOVERNMENT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return None


def infer_children(parent: AnnualReport, reports: Sequence[AnnualReport]) -> list[AnnualReport]:
    """The reports of the agencies directly below a 政府, by name, when no agency tree is known.

    A child's name holds the region's name ("北京市密云区人民政府" → "北京市密云区果园街道办事处");
    an agency below a child government (a 街道 of a 区, under a 市) is the child's, not the
    parent's. Same year only.
    """
    prefix = region_prefix(parent.agency)
    if prefix is None:
        return []
    own = squash(parent.agency or "")
    inside = [
        r
        for r in reports
        if r.agency and squash(r.agency) != own and prefix in squash(r.agency) and _same_year(parent, r)
    ]
    sub_regions = [p for p in (region_prefix(r.agency) for r in inside) if p is not None and p != prefix]
    return [
        r
        for r in inside
        if not any(sub in squash(r.agency or "") and sub != region_prefix(r.agency) for sub in sub_regions)
    ]


def _same_year(a: AnnualReport, b: AnnualReport) -> bool:
    return a.year is not None and a.year == b.year
