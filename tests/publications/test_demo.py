"""The demo data reproduces the published 2023 report of 果园街道 (table 二 and the 325 items)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import F

from gongkai.agencies.models import Agency
from gongkai.core.publication_flow import ItemStatus
from gongkai.core.report.readers import read_report
from gongkai.publications import demo
from gongkai.publications.models import Category, Item, RegisterDocument
from gongkai.publications.selectors import published_items_count, table2_figures
from gongkai.publications.suggestions import suggestions

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "miyun-guoyuan-2023.txt"
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def loaded(db):  # type: ignore[no-untyped-def]
    from gongkai.backoffice.demo import load_foundation

    load_foundation()
    demo.load(today=TODAY, log=lambda _: None)
    return Agency.objects.get(code=demo.AGENCY_CODE)


def check_table2_matches_the_published_sample(loaded) -> None:  # type: ignore[no-untyped-def]
    published = read_report(SAMPLE)
    assert published.year == 2023 and published.agency == loaded.name
    assert table2_figures(loaded, 2023) == published.table2
    assert published_items_count(loaded, 2023) == 325  # "本年度主动公开信息325条"


def check_every_published_item_was_reviewed_by_someone_else(loaded) -> None:  # type: ignore[no-untyped-def]
    items = Item.objects.filter(agency=loaded)
    published = items.filter(status=ItemStatus.PUBLISHED)
    assert published.count() >= 325 + 4 + 10
    assert not published.filter(reviewed_by__isnull=True).exists()
    assert not published.filter(reviewed_by=F("author")).exists()
    assert not published.filter(is_classified=True).exists()
    assert items.filter(status=ItemStatus.CLASSIFIED, is_classified=True).count() == 1
    assert items.filter(status=ItemStatus.WITHDRAWN).count() == 1
    titles = list(items.published_in(2023).values_list("title", flat=True))
    assert len(set(titles)) == 325  # believable: no two alike
    assert any("领导班子" in t for t in titles) and any("内设机构" in t for t in titles)
    assert any("预算" in t for t in titles) and any("决算" in t for t in titles)
    assert sum("行政处罚决定公示" in t for t in titles) == 52


def check_register_has_four_normative_documents_in_force_in_2023(loaded) -> None:  # type: ignore[no-untyped-def]
    docs = RegisterDocument.objects.filter(agency=loaded)
    assert docs.filter(issued_on__year=2023).count() == 0
    assert docs.filter(abolished_on__year=2023).count() == 0
    assert (
        docs.filter(issued_on__lte=dt.date(2023, 12, 31)).exclude(abolished_on__lte=dt.date(2023, 12, 31)).count() == 4
    )


def check_catalogue_and_idempotence(loaded) -> None:  # type: ignore[no-untyped-def]
    counts = (Item.objects.count(), Category.objects.count(), RegisterDocument.objects.count())
    demo.load(today=TODAY, log=lambda _: None)
    assert (Item.objects.count(), Category.objects.count(), RegisterDocument.objects.count()) == counts
    names = set(Category.objects.filter(agency=loaded).values_list("name", flat=True))
    assert {
        "机构职能",
        "政策文件",
        "规章",
        "行政规范性文件",
        "其他文件",
        "规划计划",
        "财政信息",
        "预算",
        "决算",
        "行政执法",
        "人事信息",
        "公共服务",
        "建议提案办理",
    } <= names


def check_article_44_suggestion_in_the_demo(loaded) -> None:  # type: ignore[no-untyped-def]
    found = suggestions(loaded, today=TODAY)
    assert len(found) == 1 and found[0].applicants == 2


def test_demo(loaded) -> None:  # type: ignore[no-untyped-def]
    """One test, several checks: loading the demo takes seconds."""
    check_table2_matches_the_published_sample(loaded)
    check_every_published_item_was_reviewed_by_someone_else(loaded)
    check_register_has_four_normative_documents_in_force_in_2023(loaded)
    check_article_44_suggestion_in_the_demo(loaded)
    check_catalogue_and_idempotence(loaded)
