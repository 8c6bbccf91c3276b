"""Tables 三 and 四 of the annual report from the case and review records: the ONE definition.

One aggregate query per table (conditional aggregation), whatever the number of cases:

- table 三 (legal spec §3.5, §3.7 V8): 本年新收 = received in the year; 上年结转 = received before
  the year and not closed before 1 January; each outcome row = closed in the year with that
  outcome; 结转下年度 = received by 31 December and not closed by 31 December; one column per
  applicant type; the 总计 column and the （七）总计 row are sums. So V1–V3 hold by construction.
- table 四 (spec §3.6): per kind, the results of reviews concluded in the year; 尚未审结 = filed by
  31 December and not concluded by then; 总计 = the sum (V5).

Each query groups by applicant type and outcome (table 四: kind and result) with four (two)
conditional counts of ``agency_id``: a column of the covering index (``case_report_idx``,
``review_report_idx``), so PostgreSQL answers from the index alone (an index-only scan after
VACUUM); counting ``id``, which is not in the index, sends every row to the table (the counts
are equal: agency_id is never NULL). Cheaper to build than one count per outcome, and the same
query grouped by agency too gives a supervisor's roll-up. The annual report
(``gongkai.reports.compute``) and the desk's year figures both use it.

The roll-up of every agency (:func:`table3_by_agency`, :func:`table4_by_agency`) reads the
summary rows instead (``gongkai.cases.models.tally``: counts per agency and per pair of years,
kept by triggers, equal to the records — tests/cases/test_tally.py): the same four (two)
conditional counts, as sums over a few rows per agency and year rather than counts over every
case, so it no longer grows with the number of cases (issue 16 item 7: < 2 s for 3,000 agencies).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from gongkai.agencies.compiled import agency_rows
from gongkai.cases.models import Case, CaseTally, Review, ReviewTally
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import (
    APPLICANT_COLUMNS,
    COLUMN_COUNT,
    TABLE3_KEYS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TOTAL_COLUMN,
    ApplicantType,
    ReviewKind,
    ReviewResult,
    Table3Key,
)

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency

Table3 = dict[str, list[int | None]]
Table4 = dict[str, dict[str, int | None]]

_NEW, _CARRIED_OVER, _CLOSED, _CARRIED_FORWARD = "n_new", "n_carried_over", "n_closed", "n_carried_forward"
_CONCLUDED, _PENDING = "n_concluded", "n_pending"


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def table3_rows(year: int, cases: QuerySet[Case], *group: str) -> QuerySet[Case, dict[str, Any]]:
    """The one aggregate query of table 三: counts per (``group``…, applicant type, outcome).

    Only cases in play count: received by 31 December and not closed before 1 January (an
    application never confirmed has no receipt date and counts nowhere, 条例 art 31). Within
    them: 新收 = received in the year, 上年结转 = received before it, 办结 = closed in the year
    (by its outcome), 结转下年度 = not closed by 31 December (legal spec §3.5, §3.7 V8).
    """
    first, last = _bounds(year)
    rows: QuerySet[Case, dict[str, Any]] = (
        cases.filter(received_on__lte=last)
        .exclude(closed_on__lt=first)
        .order_by()
        .values(*group, "applicant_type", "outcome")
        .annotate(
            **{
                _NEW: Count("agency_id", filter=Q(received_on__gte=first)),
                _CARRIED_OVER: Count("agency_id", filter=Q(received_on__lt=first)),
                _CLOSED: Count("agency_id", filter=Q(closed_on__lte=last)),
                _CARRIED_FORWARD: Count("agency_id", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=last)),
            }
        )
    )
    return rows


#: applicant type / outcome value → its column / row (a dict lookup, not an enum per row: the
#: roll-up folds some 100,000 rows)
_COLUMN_OF = {t.value: t.column for t in ApplicantType}
_OUTCOME_VALUES = tuple(o.value for o in Outcome)
_OUTCOME_ROWS = set(_OUTCOME_VALUES)
_TABLE3_KEYS = tuple(TABLE3_KEYS)
_APPLICANT_COUNT = len(APPLICANT_COLUMNS)


def table3_from_rows(rows: Iterable[dict[str, Any]]) -> Table3:
    """Table 三 from :func:`table3_rows`; adds the （七）总计 row and the 总计 column (V2, V3)."""
    return _fold3(
        (row["applicant_type"], row["outcome"], row[_NEW], row[_CARRIED_OVER], row[_CLOSED], row[_CARRIED_FORWARD])
        for row in rows
    )


def _fold3(rows: Iterable[tuple[str, str | None, int, int, int, int]]) -> Table3:
    """Table 三 from (applicant type, outcome, new, carried over, closed, carried forward) rows."""
    table: dict[str, list[int]] = {key: [0] * COLUMN_COUNT for key in _TABLE3_KEYS}
    new, over, forward = table[Table3Key.NEW], table[Table3Key.CARRIED_OVER], table[Table3Key.CARRIED_FORWARD]
    for applicant_type, outcome, n_new, n_over, n_closed, n_forward in rows:
        column = _COLUMN_OF.get(applicant_type)
        if column is None:
            column = ApplicantType(applicant_type).column  # raises: not an applicant type
        new[column] += n_new
        over[column] += n_over
        forward[column] += n_forward
        if outcome and n_closed:
            if outcome not in _OUTCOME_ROWS:
                Outcome(outcome)  # raises: not an outcome
            table[outcome][column] += n_closed
    outcome_rows = [table[value] for value in _OUTCOME_VALUES]
    total = table[Table3Key.TOTAL]
    for column in range(_APPLICANT_COUNT):
        total[column] = sum(cells[column] for cells in outcome_rows)
    for cells in table.values():
        cells[TOTAL_COLUMN] = sum(cells[:TOTAL_COLUMN])
    return table  # type: ignore[return-value]  # Table3's cells may be None; these never are


# Resolving the conditional counts is most of the cost of a small agency's query (the database
# answers in a fraction of a millisecond): the grouped query is built once per year and each call
# filters a clone of it (the roll-ups), or sends its SQL compiled once (one agency:
# ``gongkai.agencies.compiled``). The cached querysets are never evaluated themselves.
@functools.lru_cache(maxsize=16)
def _table3_query(year: int, by_agency: bool) -> QuerySet[Case, dict[str, Any]]:
    return table3_rows(year, Case.objects.all(), *(("agency_id",) if by_agency else ()))


@functools.lru_cache(maxsize=16)
def _table4_query(year: int, by_agency: bool) -> QuerySet[Review, dict[str, Any]]:
    return table4_rows(year, Review.objects.all(), *(("agency_id",) if by_agency else ()))


def compute_table3(agency: Agency, year: int) -> Table3:
    """Table 三 of ``agency`` for ``year``: one aggregate query (:func:`table3_rows`)."""
    rows = agency_rows(("table3", year), lambda pk: _table3_query(year, False).filter(agency_id=pk), agency.pk)
    return _fold3(rows)  # its columns, in order


def table3_by_agency(agency_ids: Iterable[int], year: int) -> dict[int, Table3]:
    """Table 三 of each agency (a supervisor's roll-up): one query over the summary rows.

    A row counts in ``year`` as :func:`table3_rows` counts its cases, by their years: in play
    = received_year ≤ year and not closed before (closed_year 0 or ≥ year); 新收 = received_year
    = year; 上年结转 = received_year < year; 办结 = closed_year = year; 结转下年度 = closed_year 0
    or > year (legal spec §3.5, §3.7 V8). One row per (agency, applicant type), the outcomes
    closed in the year as columns: a few rows per agency for Python to fold."""
    ids = list(agency_ids)
    grouped: dict[int, list[tuple[str, str | None, int, int, int, int]]] = {pk: [] for pk in ids}
    for pk, applicant_type, n_new, n_over, n_forward, *closed in _raw_rows(
        _tally3_query(year).filter(agency_id__in=ids)
    ):
        rows = grouped[pk]
        rows.append((applicant_type, None, n_new, n_over, 0, n_forward))
        rows += [(applicant_type, o, 0, 0, n, 0) for o, n in zip(_OUTCOME_VALUES, closed, strict=True) if n]
    return {pk: _fold3(rows) for pk, rows in grouped.items()}


def _raw_rows(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``query`` as the database returns them: the roll-up's 60,000 rows (2,000,000
    cases) cost twice as much through the ORM's row conversion as through the cursor, and the
    sums need none (integers; ``Coalesce`` makes them never NULL)."""
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def table3_by_agency_live(agency_ids: Iterable[int], year: int) -> dict[int, Table3]:
    """:func:`table3_by_agency` counted from the cases themselves (the tally's reference)."""
    ids = list(agency_ids)
    grouped: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in _table3_query(year, True).filter(agency_id__in=ids):
        grouped[row["agency_id"]].append(row)
    return {pk: table3_from_rows(rows) for pk, rows in grouped.items()}


@functools.lru_cache(maxsize=16)
def _tally3_query(year: int) -> QuerySet[CaseTally, tuple[Any, ...]]:
    closed = {
        f"closed_{i}": Coalesce(Sum("cases", filter=Q(closed_year=year, outcome=value)), 0)
        for i, value in enumerate(_OUTCOME_VALUES)
    }
    return (
        CaseTally.objects.filter(received_year__lte=year)
        .filter(Q(closed_year=0) | Q(closed_year__gte=year))
        .order_by()
        .values_list("agency_id", "applicant_type")
        .annotate(
            t_new=Coalesce(Sum("cases", filter=Q(received_year=year)), 0),
            t_over=Coalesce(Sum("cases", filter=Q(received_year__lt=year)), 0),
            t_forward=Coalesce(Sum("cases", filter=Q(closed_year=0) | Q(closed_year__gt=year)), 0),
            **closed,
        )
    )


def table4_rows(year: int, reviews: QuerySet[Review], *group: str) -> QuerySet[Review, dict[str, Any]]:
    """The one aggregate query of table 四: counts per (``group``…, kind, result).

    Reviews in play: filed by 31 December and not concluded before 1 January. Concluded in the
    year → its result's column; not concluded by 31 December → 尚未审结 (legal spec §3.6).
    """
    first, last = _bounds(year)
    rows: QuerySet[Review, dict[str, Any]] = (
        reviews.filter(filed_on__lte=last)
        .exclude(concluded_on__lt=first)
        .order_by()
        .values(*group, "kind", "result")
        .annotate(
            **{
                _CONCLUDED: Count("agency_id", filter=Q(concluded_on__lte=last)),
                _PENDING: Count("agency_id", filter=Q(concluded_on__isnull=True) | Q(concluded_on__gt=last)),
            }
        )
    )
    return rows


def table4_from_rows(rows: Iterable[dict[str, Any]]) -> Table4:
    """Table 四 from :func:`table4_rows`; 总计 = the four results (V5)."""
    return _fold4((row["kind"], row["result"], row[_CONCLUDED], row[_PENDING]) for row in rows)


_KIND_VALUES = {k.value for k in ReviewKind}
_RESULT_VALUES = {r.value for r in ReviewResult}


def _fold4(rows: Iterable[tuple[str, str, int, int]]) -> Table4:
    """Table 四 from (kind, result, concluded, pending) rows."""
    table: Table4 = {group.value: dict.fromkeys(TABLE4_FIELDS, 0) for group in TABLE4_GROUPS}
    pending = ReviewResult.PENDING.value
    for kind, result, n_concluded, n_pending in rows:
        group = table[kind if kind in _KIND_VALUES else ReviewKind(kind).value]  # raises: not a kind
        group[pending] = (group[pending] or 0) + n_pending
        if n_concluded and result != pending:
            result = result if result in _RESULT_VALUES else ReviewResult(result).value
            group[result] = (group[result] or 0) + n_concluded
    for group in table.values():
        group[TABLE4_TOTAL_KEY] = sum(group[r.value] or 0 for r in ReviewResult)
    return table


def compute_table4(agency: Agency, year: int) -> Table4:
    """Table 四 of ``agency`` for ``year``: one aggregate query (:func:`table4_rows`)."""
    rows = agency_rows(("table4", year), lambda pk: _table4_query(year, False).filter(agency_id=pk), agency.pk)
    return _fold4(rows)  # its columns, in order


def table4_by_agency(agency_ids: Iterable[int], year: int) -> dict[int, Table4]:
    """Table 四 of each agency, one query over the summary rows: in play = filed_year ≤ year and
    concluded_year 0 or ≥ year; concluded = concluded_year = year; 尚未审结 = concluded_year 0
    or > year (legal spec §3.6), as :func:`table4_rows` counts the reviews. One row per (agency,
    kind), the results concluded in the year as columns."""
    ids = list(agency_ids)
    grouped: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for pk, kind, pending, *concluded in _raw_rows(_tally4_query(year).filter(agency_id__in=ids)):
        rows = grouped.setdefault(pk, [])
        rows.append({"kind": kind, "result": _PENDING_RESULT, _CONCLUDED: 0, _PENDING: pending})
        for result, n in zip(_CONCLUDED_RESULTS, concluded, strict=True):
            if n:
                rows.append({"kind": kind, "result": result, _CONCLUDED: n, _PENDING: 0})
    return {pk: table4_from_rows(rows) for pk, rows in grouped.items()}


def table4_by_agency_live(agency_ids: Iterable[int], year: int) -> dict[int, Table4]:
    """:func:`table4_by_agency` counted from the reviews themselves (the tally's reference)."""
    ids = list(agency_ids)
    grouped: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in _table4_query(year, True).filter(agency_id__in=ids):
        grouped[row["agency_id"]].append(row)
    return {pk: table4_from_rows(rows) for pk, rows in grouped.items()}


_PENDING_RESULT = ReviewResult.PENDING.value
_CONCLUDED_RESULTS = tuple(r.value for r in ReviewResult if r != ReviewResult.PENDING)


@functools.lru_cache(maxsize=16)
def _tally4_query(year: int) -> QuerySet[ReviewTally, tuple[Any, ...]]:
    concluded = {
        f"concluded_{i}": Coalesce(Sum("reviews", filter=Q(concluded_year=year, result=value)), 0)
        for i, value in enumerate(_CONCLUDED_RESULTS)
    }
    return (
        ReviewTally.objects.filter(filed_year__lte=year)
        .filter(Q(concluded_year=0) | Q(concluded_year__gte=year))
        .order_by()
        .values_list("agency_id", "kind")
        .annotate(
            t_pending=Coalesce(Sum("reviews", filter=Q(concluded_year=0) | Q(concluded_year__gt=year)), 0),
            **concluded,
        )
    )
