"""Per-agency, per-year numbers: case numbers, 发文字号 and 索引号 come from one allocator."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F

from gongkai.agencies.models import Agency, NumberSequence, SequenceKind


def allocate(
    agency: Agency, kind: SequenceKind, year: int, *, floor: Callable[[], int] | None = None, count: int = 1
) -> int:
    """The next number of ``kind`` for ``agency`` in ``year`` (1, 2, 3 …); with ``count``, the last of
    ``count`` consecutive numbers reserved at once (a ledger import numbers its rows in one step).

    Call inside the write's transaction: a rolled-back transaction gives its number back. One
    UPDATE … SET last = last + 1 takes the row lock on PostgreSQL (the write lock on SQLite), so
    two transactions never get the same number. A missing row is created with INSERT … ON
    CONFLICT DO NOTHING, starting at ``floor()`` when given (numbers already used by records
    imported without the counter), then incremented like any other.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    rows = NumberSequence.objects.filter(agency=agency, kind=kind, year=year)
    if not rows.update(last=F("last") + count):
        start = floor() if floor is not None else 0
        NumberSequence.objects.bulk_create(
            [NumberSequence(agency=agency, kind=kind, year=year, last=start)], ignore_conflicts=True
        )
        rows.update(last=F("last") + count)
    return rows.values_list("last", flat=True).get()
