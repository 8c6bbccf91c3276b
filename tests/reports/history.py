"""Case histories for the report tests: rows written straight into the tables the report counts.

The cases app's services are tested by that app; here what matters is which dates and outcomes
the rows carry, so the rows are built directly (the same way ``bench/report_compute.py`` does),
and an independent per-case count (:func:`expected_table3`) is the oracle.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.cases.models import Case, Review
from gongkai.core.case_flow import Status
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import COLUMN_COUNT, TOTAL_COLUMN, ApplicantType, ReviewKind, ReviewResult


@dataclass(frozen=True)
class CaseSpec:
    received_on: dt.date
    closed_on: dt.date | None = None
    outcome: Outcome | None = None
    applicant_type: ApplicantType = ApplicantType.NATURAL_PERSON
    channel: Channel = Channel.INTERNET


@dataclass(frozen=True)
class ReviewSpec:
    kind: ReviewKind
    filed_on: dt.date
    concluded_on: dt.date | None = None
    result: ReviewResult = ReviewResult.PENDING


_sequence = iter(range(1, 10**9))


def add_cases(agency: Agency, specs: Iterable[CaseSpec]) -> list[Case]:
    rows = []
    for spec in specs:
        n = next(_sequence)
        closed = spec.closed_on is not None
        rows.append(
            Case(
                agency=agency,
                number=f"T-{agency.pk}-{n}",
                year=spec.received_on.year,
                sequence=n,
                applicant_type=spec.applicant_type.value,
                applicant_name="测试申请人",
                request_description="测试",
                channel=spec.channel.value,
                submitted_at=timezone.make_aware(dt.datetime.combine(spec.received_on, dt.time(9))),
                received_on=spec.received_on,
                status=(Status.CLOSED if closed else Status.IN_PROGRESS).value,
                outcome=spec.outcome.value if closed and spec.outcome else None,
                closed_on=spec.closed_on,
            )
        )
    return Case.objects.bulk_create(rows)


def add_reviews(agency: Agency, specs: Iterable[ReviewSpec]) -> list[Review]:
    return Review.objects.bulk_create(
        [
            Review(
                agency=agency,
                kind=s.kind.value,
                filed_on=s.filed_on,
                body="测试区人民政府",
                result=s.result.value,
                concluded_on=s.concluded_on,
            )
            for s in specs
        ]
    )


def random_history(
    seed: int, *, cases: int, first_year: int, last_year: int
) -> tuple[list[CaseSpec], list[ReviewSpec]]:
    """A reproducible history: receipt dates over the years, most closed within ~60 days, some open."""
    rng = random.Random(seed)
    start = dt.date(first_year, 1, 1)
    span = (dt.date(last_year, 12, 31) - start).days
    outcomes = list(Outcome)
    types = list(ApplicantType)
    channels = list(Channel)
    case_specs: list[CaseSpec] = []
    for _ in range(cases):
        received = start + dt.timedelta(days=rng.randrange(span + 1))
        closed: dt.date | None = received + dt.timedelta(days=rng.randrange(0, 60))
        if rng.random() < 0.08:
            closed = None
        case_specs.append(
            CaseSpec(
                received,
                closed,
                rng.choice(outcomes) if closed else None,
                rng.choices(types, weights=[60, 15, 5, 5, 10, 5])[0],
                rng.choice(channels),
            )
        )
    review_specs: list[ReviewSpec] = []
    for _ in range(max(1, cases // 20)):
        filed = start + dt.timedelta(days=rng.randrange(span + 1))
        if rng.random() < 0.2:
            review_specs.append(ReviewSpec(rng.choice(list(ReviewKind)), filed))
        else:
            result = rng.choice([ReviewResult.UPHELD, ReviewResult.CORRECTED, ReviewResult.OTHER])
            review_specs.append(
                ReviewSpec(
                    rng.choice(list(ReviewKind)), filed, filed + dt.timedelta(days=rng.randrange(10, 200)), result
                )
            )
    return case_specs, review_specs


def expected_table3(specs: Sequence[CaseSpec], year: int) -> dict[str, list[int]]:
    """Table 三 counted case by case (the oracle; legal spec §3.7 V8)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = {key: [0] * COLUMN_COUNT for key in ("new", "carried_over", "total", "carried_forward")}
    table.update({o.value: [0] * COLUMN_COUNT for o in Outcome})
    for s in specs:
        column = s.applicant_type.column
        rows: list[str] = []
        if first <= s.received_on <= last:
            rows.append("new")
        if s.received_on < first and (s.closed_on is None or s.closed_on >= first):
            rows.append("carried_over")
        if s.closed_on is not None and first <= s.closed_on <= last and s.outcome is not None:
            rows += [s.outcome.value, "total"]
        if s.received_on <= last and (s.closed_on is None or s.closed_on > last):
            rows.append("carried_forward")
        for row in rows:
            table[row][column] += 1
            table[row][TOTAL_COLUMN] += 1
    return table


def expected_table4(specs: Sequence[ReviewSpec], year: int) -> dict[str, dict[str, int]]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = {k.value: {**{r.value: 0 for r in ReviewResult}, "total": 0} for k in ReviewKind}
    for s in specs:
        group = table[s.kind.value]
        if s.filed_on > last:
            continue
        if s.concluded_on is None or s.concluded_on > last:
            group[ReviewResult.PENDING.value] += 1
            group["total"] += 1
        elif s.concluded_on >= first:
            group[s.result.value] += 1
            group["total"] += 1
    return table
