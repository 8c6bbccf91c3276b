"""Many reports at once: each alone, against its previous year, its text, its children, its twins.

A supervisor (主管部门) uploads a folder of published reports; :func:`audit_reports` pairs each
with the same agency's year N−1 and runs :func:`~gongkai.core.report.checks.check_report` on the
pair (legal spec §3.7 V6), then the narrative, the region sum and the duplicate checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.core.report.checks import check_report
from gongkai.core.report.crosscheck.narrative import check_narrative
from gongkai.core.report.crosscheck.region import check_region_sum, infer_children, squash
from gongkai.core.report.findings import Finding, Rule, Verdict, verdict
from gongkai.core.report.model import AnnualReport


def same_agency(a: str | None, b: str | None) -> bool:
    """True for the same name, or one the tail of the other ("洪泽区人民政府", "淮安市洪泽区人民政府")."""
    if not a or not b:
        return False
    x, y = squash(a), squash(b)
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return len(short) >= 5 and long.endswith(short)


@dataclass(frozen=True, slots=True)
class Entry:
    """One report in a set: its file (or record) name, the report, and the agency name to group by.

    ``agency`` overrides ``report.agency`` where the caller knows the agency better (a record
    matched to an agency of the database).
    """

    name: str
    report: AnnualReport
    agency: str | None = None

    @property
    def agency_name(self) -> str | None:
        return self.agency or self.report.agency


@dataclass(slots=True)
class EntryResult:
    """The findings of one entry, and which other entries they were checked against."""

    entry: Entry
    findings: list[Finding] = field(default_factory=list)
    previous: Entry | None = None
    children: list[Entry] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        return verdict(self.findings)


ChildrenOf = Callable[[Entry, Sequence[Entry]], Sequence[Entry]]


def children_by_name(entry: Entry, pool: Sequence[Entry]) -> list[Entry]:
    """:func:`infer_children` on entries."""
    named = [_with_agency(e) for e in pool]
    ids = {id(r) for r in infer_children(_with_agency(entry), named)}
    return [e for e, r in zip(pool, named, strict=True) if id(r) in ids]


def audit_reports(
    entries: Sequence[Entry],
    context: Sequence[Entry] = (),
    children_of: ChildrenOf | None = None,
) -> list[EntryResult]:
    """Check every entry alone, against its previous year, its text, its children, its twins.

    ``context`` holds reports checked against but not reported on (earlier uploads). For each
    entry: :func:`check_report` with the same agency's report of year N−1 when one is in
    ``entries`` or ``context`` (V6, 表二 现行有效; spec §3.7), then :func:`check_narrative`, then
    :func:`check_region_sum` with ``children_of(entry, pool)`` when given (:func:`children_by_name`
    guesses them from names; a caller with an agency tree knows better, and only a complete set
    of children makes the sum meaningful), then X-DUPLICATE for another file of the same agency and year whose numbers differ.
    """
    pool = [*entries, *context]
    results: list[EntryResult] = []
    for entry in entries:
        report = entry.report
        previous = _previous(entry, pool)
        findings: list[Finding] = list(check_report(report, previous.report if previous else None))
        findings += check_narrative(report)
        children = list(children_of(entry, pool)) if children_of and report.year is not None else []
        if children:
            findings += check_region_sum(report, [c.report for c in children])
        findings += _duplicates(entry, pool)
        results.append(EntryResult(entry, findings, previous, children))
    return results


def _previous(entry: Entry, pool: Sequence[Entry]) -> Entry | None:
    year = entry.report.year
    if year is None:
        return None
    for other in pool:
        if other.report.year == year - 1 and same_agency(other.agency_name, entry.agency_name):
            return other
    return None


def _duplicates(entry: Entry, pool: Sequence[Entry]) -> list[Finding]:
    year = entry.report.year
    if year is None:
        return []
    findings: list[Finding] = []
    for other in pool:
        if other is entry or other.report.year != year or not same_agency(other.agency_name, entry.agency_name):
            continue
        if _numbers(other.report) == _numbers(entry.report):
            continue
        message = (
            f"另一份文件“{other.name}”也是{entry.agency_name or ''}{year}年的报告，但两者的表格数字不同"
            "（可能是更正后重新发布的版本），请确认以哪一份为准"
        )
        findings.append(Finding(Rule.DUPLICATE, Rule.DUPLICATE.severity, message))
    return findings


def _numbers(report: AnnualReport) -> dict[str, Any]:
    data = report.to_dict(include_extras=False)
    return {k: data[k] for k in ("table2", "table3", "table4")}


def _with_agency(entry: Entry) -> AnnualReport:
    if entry.agency is None or entry.agency == entry.report.agency:
        return entry.report
    report = AnnualReport.from_dict(entry.report.to_dict())
    report.agency = entry.agency
    return report
