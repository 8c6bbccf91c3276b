"""索引号: "<机构代码>/<year>-<5 digits>", per agency and year, unique under concurrency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from gongkai.publications import services
from gongkai.publications.models import Item
from tests.concurrency import run_together
from tests.publications.helpers import make_draft


@pytest.mark.django_db
def test_numbers_run_per_agency_and_year(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    a1 = make_draft(tree, catalogue, formed_on=dt.date(2023, 1, 5))
    a2 = make_draft(tree, catalogue, formed_on=dt.date(2023, 12, 31))
    a3 = make_draft(tree, catalogue, formed_on=dt.date(2026, 1, 5))
    other_cat = services.seed_catalogue(actor=tree.officer_b, agency=tree.street_b)[0]
    b1 = services.create_draft(
        actor=tree.officer_b,
        agency=tree.street_b,
        category=other_cat,
        title="乙街道信息",
        formed_on=dt.date(2023, 2, 1),
    )
    assert [a1.index_number, a2.index_number, a3.index_number, b1.index_number] == [
        "D1-A/2023-00001",
        "D1-A/2023-00002",
        "D1-A/2026-00001",
        "D1-B/2023-00001",
    ]


@pytest.mark.django_db
def test_changing_the_year_of_a_draft_gives_a_number_of_that_year(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue, formed_on=dt.date(2023, 1, 5))
    services.update_item(actor=tree.clerk_a, item=item, formed_on=dt.date(2024, 1, 5))
    item.refresh_from_db()
    assert item.index_number == "D1-A/2024-00001"
    services.update_item(actor=tree.clerk_a, item=item, formed_on=dt.date(2024, 2, 5))
    item.refresh_from_db()
    assert item.index_number == "D1-A/2024-00001"  # same year: unchanged


@pytest.mark.django_db
def test_a_rolled_back_draft_gives_its_number_back(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), transaction.atomic():
        make_draft(tree, catalogue)
        raise RuntimeError("abort")
    assert make_draft(tree, catalogue).index_number == "D1-A/2023-00001"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_get_distinct_numbers(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    results = run_together(*[lambda n=n: make_draft(tree, catalogue, title=f"并发起草的信息{n}") for n in range(8)])
    assert not [r for r in results if isinstance(r, BaseException)]
    numbers = sorted(Item.objects.values_list("index_number", flat=True))
    assert numbers == [f"D1-A/2023-{n:05d}" for n in range(1, 9)]
