"""Search that works for Chinese: a two-character query finds it inside longer words, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from gongkai.publications import services
from gongkai.publications.models import Item
from gongkai.publications.selectors import search
from gongkai.publications.text import fts_query, index_bigrams, index_ends, normalize, query_bigrams
from tests.publications.helpers import make_classified, make_draft, make_published

pytestmark = pytest.mark.django_db


def titles(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return set(qs.values_list("title", flat=True))


@pytest.fixture
def items(tree, catalogue):  # type: ignore[no-untyped-def]
    make_published(
        tree,
        catalogue,
        title="果园街道2023年部门预算公开说明",
        body="<p>一般公共预算支出</p>",
        document_number="果政发〔2023〕12号",
    )
    make_published(
        tree,
        catalogue,
        title="关于开展冬季供暖安全检查的通知",
        body="<p>各社区：为做好供暖工作……</p>",
        document_number="",
    )
    make_published(tree, catalogue, title="Beijing Miyun ANNUAL Plan", body="<p>English text</p>", document_number="")
    make_draft(tree, catalogue, title="尚未发布的预算草稿")
    make_classified(tree, catalogue, title="涉密的预算调整方案")
    return Item.objects.published()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("预算", {"果园街道2023年部门预算公开说明"}),  # two characters inside 部门预算公开
        ("供暖", {"关于开展冬季供暖安全检查的通知"}),
        ("社区", {"关于开展冬季供暖安全检查的通知"}),  # body text
        ("为做好供暖", {"关于开展冬季供暖安全检查的通知"}),
        ("〔2023〕12号", {"果园街道2023年部门预算公开说明"}),  # 文号
        ("果政发", {"果园街道2023年部门预算公开说明"}),
        (
            "D1-A/2023",
            {"果园街道2023年部门预算公开说明", "关于开展冬季供暖安全检查的通知", "Beijing Miyun ANNUAL Plan"},
        ),  # 索引号
        ("annual", {"Beijing Miyun ANNUAL Plan"}),  # case-insensitive
        ("ＡＮＮＵＡＬ", {"Beijing Miyun ANNUAL Plan"}),  # full-width letters
        ("预", {"果园街道2023年部门预算公开说明"}),  # one character
        ("明", {"果园街道2023年部门预算公开说明"}),  # one character, at the end of a run
        ("g", {"Beijing Miyun ANNUAL Plan"}),
        ("预算检查", set()),  # both bigrams exist in the index, not the phrase
        ("冬季 供暖", set()),
        ("   ", set()),
        ("%", set()),
        ("_", set()),
    ],
)
def test_queries(items, query, expected) -> None:  # type: ignore[no-untyped-def]
    assert titles(search(items, query)) == expected


def test_unpublished_and_classified_items_never_found(items) -> None:  # type: ignore[no-untyped-def]
    assert titles(search(Item.objects.published(), "预算")) == {"果园街道2023年部门预算公开说明"}
    assert titles(search(Item.objects.all(), "涉密")) == {"涉密的预算调整方案"}


def test_index_follows_edits(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue, title="老旧小区改造计划")
    assert titles(search(Item.objects.all(), "小区")) == {"老旧小区改造计划"}
    services.update_item(actor=tree.clerk_a, item=item, title="背街小巷整治计划")
    assert titles(search(Item.objects.all(), "小区")) == set()
    assert titles(search(Item.objects.all(), "小巷")) == {"背街小巷整治计划"}
    Item.objects.filter(pk=item.pk).delete()
    assert titles(search(Item.objects.all(), "小巷")) == set()


def test_bigram_index_is_used(items) -> None:  # type: ignore[no-untyped-def]
    sql = str(search(items, "预算").query)
    if connection.vendor == "postgresql":
        assert "gongkai_bigrams" in sql
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'pub_item_search_bigrams'")
            assert "gin" in cursor.fetchone()[0].lower()
    else:
        assert "publications_item_fts" in sql
        with connection.cursor() as cursor:  # the triggers survive every later migration of the table
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'publications_item'")
            assert {r[0] for r in cursor.fetchall()} >= {
                "publications_item_fts_ai",
                "publications_item_fts_ad",
                "publications_item_fts_au",
            }


def test_text_helpers() -> None:
    assert normalize("  ＡＢＣ\u3000果园\n街道 ") == "abc 果园 街道"
    assert query_bigrams("果园街") == ["园街", "果园"]
    assert index_bigrams("果园 街道〔2023〕x") == "果园 qzqz 街道 qzqz 20 02 23"
    assert fts_query('a"b') is None
    assert fts_query("果园街道") == ('grams : "果园 园街 街道"', True)
    assert fts_query("〔2023〕12号") == ('grams : "20 02 23 qzqz 12 2号"', False)
    assert fts_query("界") == ('grams : "界"* OR ends : "界"', True)
    assert index_ends("果园，街道 a 2023") == "园 道 a 3"


def test_search_by_date_independent_of_the_publication_year(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="2026年社区通知", formed_on=dt.date(2026, 1, 5))
    assert titles(search(Item.objects.published(), "社区通知")) == {"2026年社区通知"}


def test_a_phrase_never_spans_a_gap(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="果园，园街巡查记录", body="", document_number="")
    published = Item.objects.published()
    assert titles(search(published, "园街巡查")) == {"果园，园街巡查记录"}
    assert titles(search(published, "果园街")) == set()
    assert titles(search(published, "果园，园街")) == {"果园，园街巡查记录"}


def test_search_page_caps_the_count_and_keeps_newest_first(tree, catalogue, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gongkai.publications import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    for n in range(5):
        make_published(tree, catalogue, title=f"社区通知第{n}期", formed_on=dt.date(2023, 1, 2 + n), document_number="")
    published = Item.objects.published()
    first = selectors.search_page(published, "通知", page=1, per_page=2)
    assert (first.capped, first.count, first.num_pages) == (True, 3, 2)
    assert [i.title for i in first] == ["社区通知第4期", "社区通知第3期"]
    second = selectors.search_page(published, "通知", page="2", per_page=2)
    assert [i.title for i in second] == ["社区通知第2期"] and not second.has_next()
    one = selectors.search_page(published, "通知第1", page="x", per_page=2)
    assert (one.capped, one.count, [i.title for i in one]) == (False, 1, ["社区通知第1期"])
    assert selectors.search_page(published, "无此词", page=9).count == 0


@pytest.mark.parametrize("fts", [True, False])
def test_search_page_pages_follow_the_lists_order_with_ties(tree, catalogue, monkeypatch, fts) -> None:  # type: ignore[no-untyped-def]
    """One pass counts the matches and sorts them (PostgreSQL, and SQLite without FTS5): the
    pages, put together, are the list ordered newest first then by the higher id, ties included."""
    from gongkai.publications import selectors

    if not fts:
        monkeypatch.setattr(selectors, "_sqlite_fts_available", lambda: False)
    for n in range(7):
        make_published(
            tree, catalogue, title=f"防汛通知第{n}号", formed_on=dt.date(2023, 3, 1 + n % 3), document_number=""
        )
    make_published(tree, catalogue, title="另一份公告", formed_on=dt.date(2023, 3, 9), document_number="")
    published = Item.objects.published()
    expected = list(search(published, "防汛通知").order_by("-published_on", "-id").values_list("pk", flat=True))
    assert len(expected) == 7
    pages = [selectors.search_page(published, "防汛通知", page=n, per_page=3) for n in (1, 2, 3)]
    assert [(p.count, p.num_pages, p.capped) for p in pages] == [(7, 3, False)] * 3
    assert [item.pk for p in pages for item in p] == expected


@pytest.mark.postgres_only  # gongkai_bigrams is PostgreSQL's index function
@pytest.mark.parametrize("text", ["", "界", "果园", "果园街道〔2023〕12号\n预算 a", "aaa", "表情😀符号", "  \n\n"])
def test_the_bigram_function_gives_every_character_and_pair(db, text) -> None:  # type: ignore[no-untyped-def]
    """Migration 0005's gongkai_bigrams: the set the GIN index holds, each gram once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gongkai_bigrams(%s)", [text])
        grams = cursor.fetchone()[0]
    assert len(grams) == len(set(grams))
    assert set(grams) == set(text) | {text[i : i + 2] for i in range(len(text) - 1)}


TITLES = [
    "老旧小区综合整治工作方案",
    "小区综合治理",
    "综合整治老旧厂房",
    "老旧小区整治",
    "整治老旧小区综合环境",
    "区综合整改",
]


@pytest.mark.parametrize(
    "query", ["老旧小区综合整治", "小区综合", "综合整治工作方案", "整治老旧", "老旧小区整治", "区综合整", "旧小区综"]
)
def test_the_index_is_asked_for_the_rarest_bigrams_with_the_same_hits(tree, catalogue, monkeypatch, query) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's index is asked for the query's two rarest bigrams only (by the statistics);
    the rows' LIKE decides, so the hits are exactly the items whose text holds the query."""
    from gongkai.publications import selectors

    for title in TITLES:
        make_published(tree, catalogue, title=title, body="", document_number="")
    published = Item.objects.published()
    # Common bigrams as ANALYZE lists them; the others are rarer than every listed one.
    freqs = {"小区": 0.2, "综合": 0.3, "老旧": 0.1, "整治": 0.15, "区综": 0.05}
    monkeypatch.setattr(selectors, "_bigram_frequencies", lambda: freqs)
    every = query_bigrams(query)
    grams = selectors.index_grams(query)
    assert len(grams) == min(2, len(every)) and set(grams) <= set(every)
    rarest = sorted(every, key=lambda g: (freqs.get(g, 0.0), g))[:2]
    assert grams == sorted(rarest)
    assert titles(search(published, query)) == {t for t in TITLES if query in t}
    if connection.vendor == "postgresql":
        _, params = search(published, query).query.sql_with_params()
        assert grams in params and (len(every) <= 2 or every not in params)


def test_index_grams_without_statistics_keeps_a_stable_choice(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gongkai.publications import selectors

    monkeypatch.setattr(selectors, "_bigram_frequencies", dict)
    assert selectors.index_grams("果园") == ["果园"]
    assert selectors.index_grams("界") == ["界"]
    assert selectors.index_grams("果园街道") == query_bigrams("果园街道")[:2]


@pytest.mark.postgres_only  # the statistics of the index expression are PostgreSQL's
def test_bigram_frequencies_come_from_the_index_statistics(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    from gongkai.publications import selectors

    for n in range(30):
        make_published(
            tree, catalogue, title=f"预算公开第{n}号" if n % 3 else f"决算说明{n}", body="", document_number=""
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publications_item")
    selectors._gram_stats.clear()
    freqs = selectors._bigram_frequencies()
    assert freqs["预算"] > freqs.get("决算", 0.0) > 0
    # 预算 (20 items) is left to the rows' LIKE: 算决 (in no item) and 决算 (10) are rarer.
    assert selectors.index_grams("预算决算") == ["决算", "算决"]


@pytest.mark.parametrize("common", [True, False])
def test_a_capped_page_is_the_same_walked_or_sorted(tree, catalogue, monkeypatch, common) -> None:  # type: ignore[no-untyped-def]
    """Past the cap, PostgreSQL walks the items newest first when the query's bigrams are common
    and sorts the index's candidates otherwise: the same pages either way."""
    from gongkai.publications import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 4)
    monkeypatch.setattr(
        selectors, "_bigram_frequencies", lambda: {"防汛": 0.3, "汛通": 0.3, "通知": 0.4} if common else {}
    )
    for n in range(9):
        make_published(
            tree, catalogue, title=f"防汛通知第{n}号", formed_on=dt.date(2023, 3, 1 + n % 4), document_number=""
        )
    make_published(tree, catalogue, title="防汛预案", formed_on=dt.date(2023, 3, 9), document_number="")
    published = Item.objects.published()
    assert selectors._common(selectors.index_grams("防汛通知")) is common
    expected = list(search(published, "防汛通知").order_by("-published_on", "-id").values_list("pk", flat=True))
    pages = [selectors.search_page(published, "防汛通知", page=n, per_page=3) for n in (1, 2)]
    assert [(p.count, p.capped, p.num_pages) for p in pages] == [(4, True, 2)] * 2
    assert [item.pk for p in pages for item in p] == expected[:4]
