"""Checks across reports: years of one agency, a region against its parts, text against tables.

A supervisor (主管部门) reads the published reports of the agencies under it and wants to know
which ones do not add up. :func:`~gongkai.core.report.checks.check_report` covers one report and
its previous year; this package adds what needs more than one report, or more than the tables:

- :mod:`.batch`: many reports at once; cross-year (上年结转 = last year's 结转下年度; 表二 现行有效
  continuity): :func:`audit_reports` pairs each report with the same agency's year N−1 and runs
  ``check_report`` on the pair (legal spec §3.7 V6); nothing is re-implemented here;
- :mod:`.region`: a parent region = the sum of its children, table 三 and 四 cell by cell
  (:func:`check_region_sum`);
- :mod:`.narrative`: numbers stated in the narrative (条例 art 50: the report's text and its
  tables describe the same year) against the table cells they name (:func:`check_narrative`);
- :mod:`.trend`: key figures of one agency by year, with the change (:func:`compare_years`).

Findings are :class:`~gongkai.core.report.findings.Finding` with the ``X-`` rules of
:class:`~gongkai.core.report.findings.Rule`. A number in the text that its table cell contradicts
(X-NARRATIVE) is an error; the others are warnings: a 区政府's report often counts only its own
office, a second file may be a correction.
"""

from gongkai.core.report.crosscheck.batch import (
    ChildrenOf,
    Entry,
    EntryResult,
    audit_reports,
    children_by_name,
    iter_audit,
    same_agency,
)
from gongkai.core.report.crosscheck.narrative import (
    NARRATIVE_RULES,
    Figure,
    NarrativeNumber,
    check_narrative,
    check_published_items,
    finding_key,
    narrative_contradictions,
    narrative_numbers,
)
from gongkai.core.report.crosscheck.region import (
    REGION_CAVEAT,
    check_region_sum,
    infer_children,
    region_prefix,
    squash,
)
from gongkai.core.report.crosscheck.trend import KEY_FIGURES, ComparisonRow, KeyFigure, YearComparison, compare_years

__all__ = [
    "KEY_FIGURES",
    "NARRATIVE_RULES",
    "REGION_CAVEAT",
    "ChildrenOf",
    "ComparisonRow",
    "Entry",
    "EntryResult",
    "Figure",
    "KeyFigure",
    "NarrativeNumber",
    "YearComparison",
    "audit_reports",
    "check_narrative",
    "check_published_items",
    "check_region_sum",
    "children_by_name",
    "compare_years",
    "finding_key",
    "infer_children",
    "iter_audit",
    "narrative_contradictions",
    "narrative_numbers",
    "region_prefix",
    "same_agency",
    "squash",
]
