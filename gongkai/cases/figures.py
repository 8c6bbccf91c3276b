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
query grouped by agency too gives a supervisor's roll-up (:func:`table3_by_agency`, :func:`table4_by_agency`).
The annual report (``gongkai.reports.compute``) and the desk's year figures both use it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from gongkai.cases.models import Case, Review
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


def table3_from_rows(rows: Iterable[dict[str, Any]]) -> Table3:
    """Table 三 from :func:`table3_rows`; adds the （七）总计 row and the 总计 column (V2, V3)."""
    table: Table3 = {key: [0] * COLUMN_COUNT for key in TABLE3_KEYS}
    for row in rows:
        column = ApplicantType(row["applicant_type"]).column
        for key, source in (
            (Table3Key.NEW, _NEW),
            (Table3Key.CARRIED_OVER, _CARRIED_OVER),
            (Table3Key.CARRIED_FORWARD, _CARRIED_FORWARD),
        ):
            table[key][column] = (table[key][column] or 0) + row[source]
        if row["outcome"] is not None and row[_CLOSED]:
            outcome = Outcome(row["outcome"]).value
            table[outcome][column] = (table[outcome][column] or 0) + row[_CLOSED]
    for column in range(len(APPLICANT_COLUMNS)):
        table[Table3Key.TOTAL][column] = sum(table[o.value][column] or 0 for o in Outcome)
    for cells in table.values():
        cells[TOTAL_COLUMN] = sum(c or 0 for c in cells[:TOTAL_COLUMN])
    return table


# Resolving the conditional counts is most of the cost of a small agency's query (the database
# answers in a fraction of a millisecond): the grouped query is built once per year and each call
# filters a clone of it. The cached querysets are never evaluated themselves.
@functools.lru_cache(maxsize=16)
def _table3_query(year: int, by_agency: bool) -> QuerySet[Case, dict[str, Any]]:
    return table3_rows(year, Case.objects.all(), *(("agency_id",) if by_agency else ()))


@functools.lru_cache(maxsize=16)
def _table4_query(year: int, by_agency: bool) -> QuerySet[Review, dict[str, Any]]:
    return table4_rows(year, Review.objects.all(), *(("agency_id",) if by_agency else ()))


def compute_table3(agency: Agency, year: int) -> Table3:
    """Table 三 of ``agency`` for ``year``: one aggregate query."""
    return table3_from_rows(_table3_query(year, False).filter(agency_id=agency.pk))


def table3_by_agency(agency_ids: Iterable[int], year: int) -> dict[int, Table3]:
    """Table 三 of each agency, one query for all (a supervisor's roll-up)."""
    ids = list(agency_ids)
    grouped: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in _table3_query(year, True).filter(agency_id__in=ids):
        grouped[row["agency_id"]].append(row)
    return {pk: table3_from_rows(rows) for pk, rows in grouped.items()}


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
    table: Table4 = {group.value: dict.fromkeys(TABLE4_FIELDS, 0) for group in TABLE4_GROUPS}
    for row in rows:
        group = table[ReviewKind(row["kind"]).value]
        pending = ReviewResult.PENDING.value
        group[pending] = (group[pending] or 0) + row[_PENDING]
        if row[_CONCLUDED] and row["result"] != pending:
            result = ReviewResult(row["result"]).value
            group[result] = (group[result] or 0) + row[_CONCLUDED]
    for group in table.values():
        group[TABLE4_TOTAL_KEY] = sum(group[r.value] or 0 for r in ReviewResult)
    return table


def compute_table4(agency: Agency, year: int) -> Table4:
    """Table 四 of ``agency`` for ``year``: one aggregate query."""
    return table4_from_rows(_table4_query(year, False).filter(agency_id=agency.pk))


def table4_by_agency(agency_ids: Iterable[int], year: int) -> dict[int, Table4]:
    """Table 四 of each agency, one query for all."""
    ids = list(agency_ids)
    grouped: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in _table4_query(year, True).filter(agency_id__in=ids):
        grouped[row["agency_id"]].append(row)
    return {pk: table4_from_rows(rows) for pk, rows in grouped.items()}
