"""audit_reports finds an entry's previous year and twins through an index: the same results as
comparing every pair (the simple quadratic version, kept here as the reference), on random sets."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from gongkai.core.report.checks import check_report
from gongkai.core.report.crosscheck import Entry, audit_reports, check_narrative, same_agency
from gongkai.core.report.crosscheck.batch import _numbers
from gongkai.core.report.findings import Finding, Rule
from gongkai.core.report.model import AnnualReport

# Names that are tails of each other (淮安市洪泽区人民政府 / 洪泽区人民政府), tails too short to
# count (人民政府), spaces inside, none at all.
NAMES = [
    "淮安市洪泽区人民政府",
    "洪泽区人民政府",
    "江苏省淮安市洪泽区人民政府",
    "淮安市 洪泽区人民政府",
    "淮安市人民政府",
    "人民政府",
    "区人民政府",
    "淮安市洪泽区高良涧街道办事处",
    "高良涧街道办事处",
    "淮安市教育局",
    "教育局",
    "",
    None,
]


def _reference(entries: Sequence[Entry], context: Sequence[Entry] = ()) -> list[tuple[Entry | None, list[Finding]]]:
    """The quadratic version the index replaced: every entry against every other of the pool."""
    pool = [*entries, *context]
    out = []
    for entry in entries:
        year = entry.report.year
        previous = None
        if year is not None:
            for other in pool:
                if other.report.year == year - 1 and same_agency(other.agency_name, entry.agency_name):
                    previous = other
                    break
        findings = list(check_report(entry.report, previous.report if previous else None))
        findings += check_narrative(entry.report)
        if year is not None:
            for other in pool:
                if other is entry or other.report.year != year or not same_agency(other.agency_name, entry.agency_name):
                    continue
                if _numbers(other.report) != _numbers(entry.report):
                    findings.append(Finding(Rule.DUPLICATE, Rule.DUPLICATE.severity, f"x {other.name}"))
        out.append((previous, findings))
    return out


def _random_entry(rng: random.Random, n: int) -> Entry:
    report = AnnualReport.zero(agency=rng.choice(NAMES), year=rng.choice([2021, 2022, 2023, None]))
    new = rng.randint(0, 3)
    carried = rng.randint(0, 1)
    report.table3["new"] = [new, 0, 0, 0, 0, 0, new]
    report.table3["carried_over"] = [carried, 0, 0, 0, 0, 0, carried]
    report.table3["carried_forward"] = [rng.randint(0, 1), 0, 0, 0, 0, 0, 0]
    override = rng.choice([None, None, None, rng.choice(NAMES)])
    return Entry(f"f{n}", report, override)


def _key(findings: Sequence[Finding]) -> list[tuple[str, str | None, str | None, object, object]]:
    return [(f.rule.value, f.row, f.column, f.expected, f.actual) for f in findings]


@pytest.mark.parametrize("seed", range(6))
def test_indexed_results_equal_the_quadratic_reference(seed: int) -> None:
    rng = random.Random(seed)
    entries = [_random_entry(rng, n) for n in range(rng.randint(20, 60))]
    context = [_random_entry(rng, 1000 + n) for n in range(rng.randint(0, 20))]
    entries.append(entries[0])  # the same entry twice: never its own twin
    results = audit_reports(entries, context)
    expected = _reference(entries, context)
    assert len(results) == len(expected)
    for result, (previous, findings) in zip(results, expected, strict=True):
        assert result.previous is previous
        assert _key(result.findings) == _key(findings)
        twins = [f.message for f in result.findings if f.rule is Rule.DUPLICATE]
        assert [m.split("“")[1].split("”")[0] for m in twins] == [
            f.message[2:] for f in findings if f.rule is Rule.DUPLICATE
        ]
    assert any(r.previous is not None for r in results) and any(
        f.rule is Rule.DUPLICATE for r in results for f in r.findings
    )
