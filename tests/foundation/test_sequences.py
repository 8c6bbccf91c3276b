"""One allocator for every per-agency, per-year number (case numbers, 发文字号, 索引号)."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.agencies.models import NumberSequence, SequenceKind
from gongkai.agencies.sequences import allocate
from tests.conftest import Tree


def test_numbers_count_from_one_per_agency_kind_and_year(tree: Tree) -> None:
    a, b = tree.street_a, tree.street_b
    assert [allocate(a, SequenceKind.CASE, 2026) for _ in range(3)] == [1, 2, 3]
    assert allocate(a, SequenceKind.LETTER, 2026) == 1  # another kind counts on its own
    assert allocate(a, SequenceKind.CASE, 2027) == 1  # a new year starts again
    assert allocate(b, SequenceKind.CASE, 2026) == 1  # another agency too
    assert allocate(a, SequenceKind.CASE, 2026) == 4


def test_a_new_counter_starts_above_the_floor_and_asks_it_only_once(tree: Tree) -> None:
    asked: list[int] = []

    def floor() -> int:
        asked.append(1)
        return 41

    assert allocate(tree.street_a, SequenceKind.CASE, 2026, floor=floor) == 42
    assert allocate(tree.street_a, SequenceKind.CASE, 2026, floor=floor) == 43
    assert len(asked) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_gives_its_number_back(tree: Tree) -> None:
    allocate(tree.street_a, SequenceKind.INDEX, 2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert allocate(tree.street_a, SequenceKind.INDEX, 2026) == 2
        raise RuntimeError("the write failed after the number was taken")
    assert allocate(tree.street_a, SequenceKind.INDEX, 2026) == 2
    assert NumberSequence.objects.get(agency=tree.street_a, kind=SequenceKind.INDEX, year=2026).last == 2


def test_a_block_of_numbers_is_reserved_in_one_step(tree: Tree) -> None:
    assert allocate(tree.street_a, SequenceKind.CASE, 2026) == 1
    assert allocate(tree.street_a, SequenceKind.CASE, 2026, count=5) == 6  # 2 … 6 reserved
    assert allocate(tree.street_a, SequenceKind.CASE, 2026) == 7
    assert allocate(tree.street_b, SequenceKind.CASE, 2026, floor=lambda: 10, count=3) == 13  # 11 … 13
    with pytest.raises(ValueError):
        allocate(tree.street_a, SequenceKind.CASE, 2026, count=0)
