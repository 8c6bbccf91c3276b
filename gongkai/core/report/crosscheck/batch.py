"""Many reports at once: each alone, against its previous year, its text, its children, its twins.

A supervisor (主管部门) uploads a folder of published reports; :func:`audit_reports` pairs each
with the same agency's year N−1 and runs :func:`~gongkai.core.report.checks.check_report` on the
pair (legal spec §3.7 V6), then the narrative, the region sum and the duplicate checks.

The reports of the same agency (:func:`same_agency`: one name the tail of the other) are found
through an index by year and name tail (:class:`_AgencyIndex`), so a batch of n reports costs
about n lookups, not n² comparisons; the results are those of comparing every pair, in the same
order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.core.report.checks import check_report
from gongkai.core.report.crosscheck.narrative import check_narrative
from gongkai.core.report.crosscheck.region import check_region_sum, infer_children, squash
from gongkai.core.report.findings import Finding, Rule, Verdict, verdict
from gongkai.core.report.model import AnnualReport

#: Shortest name that matches as the tail of a longer one (:func:`same_agency`).
MIN_TAIL = 5


def same_agency(a: str | None, b: str | None) -> bool:
    """True for the same name, or one the tail of the other ("洪泽区人民政府", "淮安市洪泽区人民政府")."""
    if not a or not b:
        return False
    x, y = squash(a), squash(b)
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return len(short) >= MIN_TAIL and long.endswith(short)


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
    return list(iter_audit(entries, context, children_of))


def iter_audit(
    entries: Sequence[Entry],
    context: Sequence[Entry] = (),
    children_of: ChildrenOf | None = None,
) -> Iterator[EntryResult]:
    """:func:`audit_reports` one entry at a time (a caller saves and reports progress as it goes)."""
    pool = [*entries, *context]
    index = _AgencyIndex(pool)
    numbers: dict[int, dict[str, Any]] = {}
    for entry in entries:
        report = entry.report
        year = report.year
        previous = next(iter(index.same_agency(entry, year - 1)), None) if year is not None else None
        findings: list[Finding] = list(check_report(report, previous.report if previous else None))
        findings += check_narrative(report)
        children = list(children_of(entry, pool)) if children_of and year is not None else []
        if children:
            findings += check_region_sum(report, [c.report for c in children])
        if year is not None:
            twins = [other for other in index.same_agency(entry, year) if other is not entry]
            findings += _duplicates(entry, twins, numbers)
        yield EntryResult(entry, findings, previous, children)


class _AgencyIndex:
    """The entries of a pool by year and squashed agency name, and by every tail of that name at
    least :data:`MIN_TAIL` long: :meth:`same_agency` is what testing :func:`same_agency` against
    every entry of the year gives, in pool order, at the cost of one lookup per tail of the name."""

    def __init__(self, pool: Sequence[Entry]) -> None:
        self._pool = pool
        self._exact: dict[tuple[int, str], list[int]] = {}
        self._tails: dict[tuple[int, str], list[int]] = {}
        for position, entry in enumerate(pool):
            name = entry.agency_name
            if not name or entry.report.year is None:
                continue
            key = squash(name)
            year = entry.report.year
            self._exact.setdefault((year, key), []).append(position)
            for start in range(len(key) - MIN_TAIL + 1):
                self._tails.setdefault((year, key[start:]), []).append(position)

    def same_agency(self, entry: Entry, year: int) -> list[Entry]:
        name = entry.agency_name
        if not name:
            return []
        key = squash(name)
        found = set(self._exact.get((year, key), ()))
        if len(key) >= MIN_TAIL:
            found.update(self._tails.get((year, key), ()))  # names ending with this one
            for start in range(1, len(key) - MIN_TAIL + 1):  # names this one ends with
                found.update(self._exact.get((year, key[start:]), ()))
        return [self._pool[p] for p in sorted(found)]


def _duplicates(entry: Entry, twins: Sequence[Entry], numbers: dict[int, dict[str, Any]]) -> list[Finding]:
    year = entry.report.year
    findings: list[Finding] = []
    for other in twins:
        if _cached_numbers(other, numbers) == _cached_numbers(entry, numbers):
            continue
        message = (
            f"另一份文件“{other.name}”也是{entry.agency_name or ''}{year}年的报告，但两者的表格数字不同"
            "（可能是更正后重新发布的版本），请确认以哪一份为准"
        )
        findings.append(Finding(Rule.DUPLICATE, Rule.DUPLICATE.severity, message))
    return findings


def _cached_numbers(entry: Entry, numbers: dict[int, dict[str, Any]]) -> dict[str, Any]:
    key = id(entry)
    if key not in numbers:
        numbers[key] = _numbers(entry.report)
    return numbers[key]


def _numbers(report: AnnualReport) -> dict[str, Any]:
    data = report.to_dict(include_extras=False)
    return {k: data[k] for k in ("table2", "table3", "table4")}


def _with_agency(entry: Entry) -> AnnualReport:
    if entry.agency is None or entry.agency == entry.report.agency:
        return entry.report
    report = AnnualReport.from_dict(entry.report.to_dict())
    report.agency = entry.agency
    return report
