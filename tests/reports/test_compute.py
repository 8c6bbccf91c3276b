"""Tables computed from the records: equal to a case-by-case count, consistent, one query per table.

The oracle is independent of ``gongkai.cases.figures``: ``tests.reports.history.expected_table3``
and ``expected_table4`` count the specs the rows were made from in plain Python, and the small
scenarios state their numbers by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.cases.selectors import year_figures
from gongkai.core.outcomes import Outcome
from gongkai.core.report.checks import check_report, has_errors
from gongkai.core.report.taxonomy import TABLE3_KEYS, TOTAL_COLUMN, ApplicantType, ReviewKind, ReviewResult, Table3Key
from gongkai.reports.compute import (
    compute_report,
    compute_table3,
    compute_table4,
    table3_by_agency,
    table4_by_agency,
)
from tests.reports.history import (
    CaseSpec,
    ReviewSpec,
    add_cases,
    add_reviews,
    expected_table3,
    expected_table4,
    random_history,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_random_history_matches_case_by_case_count_and_passes_every_check(tree: Any, seed: int) -> None:
    cases, reviews = random_history(seed, cases=400, first_year=2020, last_year=2023)
    add_cases(tree.street_a, cases)
    add_reviews(tree.street_a, reviews)
    previous = None
    for year in (2020, 2021, 2022, 2023):
        expected = (expected_table3(cases, year), expected_table4(reviews, year))
        report = compute_report(tree.street_a, year)
        assert (report.table3, report.table4) == expected, year
        # The desk's year figures (cases.selectors.year_figures) against the same case-by-case count.
        figures = year_figures(tree.street_a, year)
        assert (figures.table3, figures.table4) == expected, year
        findings = check_report(report, previous)
        assert not has_errors(findings), [f.message for f in findings if f.is_error]
        previous = report
    assert previous is not None and previous.table3["new"][TOTAL_COLUMN] > 50


def test_year_boundaries(tree: Any) -> None:
    add_cases(
        tree.street_a,
        [
            CaseSpec(dt.date(2022, 12, 31), dt.date(2023, 1, 1), Outcome.GRANTED),  # carried into 2023
            CaseSpec(dt.date(2022, 6, 1), dt.date(2022, 12, 31), Outcome.GRANTED),  # done in 2022
            CaseSpec(dt.date(2023, 12, 31), dt.date(2024, 1, 2), Outcome.PARTIAL),  # carried out of 2023
            CaseSpec(dt.date(2021, 3, 1)),  # open for years
            CaseSpec(dt.date(2024, 1, 1), dt.date(2024, 1, 3), Outcome.GRANTED),  # next year
        ],
    )
    t2022, t2023 = compute_table3(tree.street_a, 2022), compute_table3(tree.street_a, 2023)
    assert t2022["new"][TOTAL_COLUMN] == 2 and t2022["carried_forward"][TOTAL_COLUMN] == 2
    assert t2023["carried_over"][TOTAL_COLUMN] == 2 == t2022["carried_forward"][TOTAL_COLUMN]
    assert t2023["new"][TOTAL_COLUMN] == 1
    assert t2023["granted"][TOTAL_COLUMN] == 1 and t2023["partial"][TOTAL_COLUMN] == 0
    assert t2023["carried_forward"][TOTAL_COLUMN] == 2  # the 2021 one and the 31 December one


def test_cells_by_applicant_and_outcome_by_hand(tree: Any) -> None:
    """A small year counted by hand: each case in its applicant column and its rows, nothing else."""
    add_cases(
        tree.street_a,
        [
            CaseSpec(dt.date(2023, 2, 1), dt.date(2023, 2, 10), Outcome.GRANTED),
            CaseSpec(
                dt.date(2023, 3, 1),
                dt.date(2023, 3, 20),
                Outcome.WITHHELD_STATE_SECRET,
                ApplicantType.COMMERCIAL_ENTERPRISE,
            ),
            CaseSpec(
                dt.date(2022, 12, 20),
                dt.date(2023, 1, 5),
                Outcome.OTHER_FEE_UNPAID,
                ApplicantType.COMMERCIAL_ENTERPRISE,
            ),
            CaseSpec(dt.date(2023, 12, 30), None, None, ApplicantType.LEGAL_SERVICE_ORG),
        ],
    )
    zero = [0] * 7
    expected = dict.fromkeys(TABLE3_KEYS, zero) | {
        Table3Key.NEW: [1, 1, 0, 0, 1, 0, 3],
        Table3Key.CARRIED_OVER: [0, 1, 0, 0, 0, 0, 1],
        Table3Key.GRANTED: [1, 0, 0, 0, 0, 0, 1],
        Table3Key.WITHHELD_STATE_SECRET: [0, 1, 0, 0, 0, 0, 1],
        Table3Key.OTHER_FEE_UNPAID: [0, 1, 0, 0, 0, 0, 1],
        Table3Key.TOTAL: [1, 2, 0, 0, 0, 0, 3],
        Table3Key.CARRIED_FORWARD: [0, 0, 0, 0, 1, 0, 1],
    }
    assert compute_table3(tree.street_a, 2023) == expected
    assert year_figures(tree.street_a, 2023).table3 == expected


def test_table4_pending_means_not_concluded_by_31_december(tree: Any) -> None:
    add_reviews(
        tree.street_a,
        [
            ReviewSpec(ReviewKind.RECONSIDERATION, dt.date(2023, 11, 1), dt.date(2024, 2, 1), ReviewResult.UPHELD),
            ReviewSpec(ReviewKind.RECONSIDERATION, dt.date(2022, 11, 1), dt.date(2023, 2, 1), ReviewResult.CORRECTED),
            ReviewSpec(ReviewKind.LITIGATION_DIRECT, dt.date(2022, 5, 1)),
            ReviewSpec(
                ReviewKind.LITIGATION_AFTER_RECONSIDERATION,
                dt.date(2022, 1, 1),
                dt.date(2022, 6, 1),
                ReviewResult.OTHER,
            ),
        ],
    )
    t = compute_table4(tree.street_a, 2023)
    assert t["reconsideration"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 1, "total": 2}
    assert t["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert t["litigation_after_reconsideration"]["total"] == 0


def test_other_agencies_cases_are_not_counted(tree: Any) -> None:
    add_cases(tree.street_b, [CaseSpec(dt.date(2023, 3, 1), dt.date(2023, 3, 2), Outcome.GRANTED)])
    assert compute_table3(tree.street_a, 2023)["new"][TOTAL_COLUMN] == 0


def test_one_query_per_table(tree: Any, django_assert_num_queries: Any) -> None:
    cases, reviews = random_history(5, cases=300, first_year=2022, last_year=2023)
    add_cases(tree.street_a, cases)
    add_reviews(tree.street_a, reviews)
    with django_assert_num_queries(1):
        compute_table3(tree.street_a, 2023)
    with django_assert_num_queries(1):
        compute_table4(tree.street_a, 2023)


def test_roll_up_is_one_query_per_table_and_equals_per_agency(tree: Any, django_assert_num_queries: Any) -> None:
    histories: dict[int, tuple[list[CaseSpec], list[ReviewSpec]]] = {tree.other_district.pk: ([], [])}
    for seed, agency in enumerate((tree.street_a, tree.street_b, tree.district)):
        cases, reviews = random_history(seed, cases=120, first_year=2022, last_year=2023)
        add_cases(agency, cases)
        add_reviews(agency, reviews)
        histories[agency.pk] = (cases, reviews)
    ids = [tree.street_a.pk, tree.street_b.pk, tree.district.pk, tree.other_district.pk]
    with django_assert_num_queries(1):
        t3 = table3_by_agency(ids, 2023)
    with django_assert_num_queries(1):
        t4 = table4_by_agency(ids, 2023)
    for agency in (tree.street_a, tree.street_b, tree.district, tree.other_district):
        cases, reviews = histories[agency.pk]
        assert t3[agency.pk] == expected_table3(cases, 2023) == compute_table3(agency, 2023)
        assert t4[agency.pk] == expected_table4(reviews, 2023) == compute_table4(agency, 2023)
    assert t3[tree.other_district.pk]["new"] == [0] * 7


def test_report_names_agency_year_and_format(tree: Any) -> None:
    report = compute_report(tree.street_a, 2023)
    assert (report.agency, report.year, report.format.value) == ("测试区甲街道办事处", 2023, "2021")
    assert report.table3["total"] == [0] * 7
    # No 第二十条 figures entered for the year: those cells are blank, not 0.
    assert report.table2["licensing"] == {"decisions": None}
    assert report.table2["normative_documents"] == {"issued": 0, "abolished": 0, "in_force": 0}
    assert Outcome.GRANTED.value in report.table3
