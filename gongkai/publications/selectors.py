"""Reads of 主动公开 data: portal queries, search, and the figures the annual report needs.

For the annual report (table 二 and section 一):

- :func:`register_counts` — 规章 / 行政规范性文件: 本年制发, 本年废止, 现行有效 (one query);
- :func:`article20_figures` — 行政许可, 行政处罚, 行政强制, 行政事业性收费 (万元);
- :func:`table2_figures` — both, in the shape of ``AnnualReport.table2`` (format 2021);
- :func:`published_items_count` — items published in the year (主动公开信息 N 条).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from gongkai.agencies.compiled import agency_rows
from gongkai.publications.models import Article20Figures, Category, FigureSource, Item, RegisterDocument, RegisterKind
from gongkai.publications.public_cache import category_counts
from gongkai.publications.text import fts_query, normalize, query_bigrams
from gongkai.web.paging import CappedPage

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

    from gongkai.agencies.models import Agency

#: Longest query accepted; a longer one is cut (the portal says so).
MAX_QUERY_LENGTH = 50


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


class _BigramsContain(Func):
    """PostgreSQL: ``gongkai_bigrams(search_text) @> ARRAY[...]::text[]`` (uses the GIN index)."""

    output_field = BooleanField()

    def __init__(self, grams: list[str]) -> None:
        super().__init__(F("search_text"))
        self.grams = grams

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        return f"gongkai_bigrams({column}) @> %s::text[]", [*params, self.grams]


_fts_available: dict[str, bool] = {}


def _sqlite_fts_available() -> bool:
    """Whether the FTS5 table exists (migration 0002 skips it on SQLite builds without FTS5)."""
    key = str(connection.settings_dict["NAME"])
    if key not in _fts_available:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'publications_item_fts'")
            _fts_available[key] = cursor.fetchone() is not None
    return _fts_available[key]


def clean_query(query: str) -> str:
    """The query as searched: control characters dropped (PostgreSQL refuses NUL in a parameter;
    none can match), :func:`normalize`d, cut to :data:`MAX_QUERY_LENGTH`."""
    return normalize("".join(ch for ch in query if ch >= " " or ch in "\t\n"))[:MAX_QUERY_LENGTH]


#: The bigram GIN index of items (migration 0002) and how many of a query's bigrams it is asked
#: for: the rarest ones. Each bigram asked for is a posting list the index reads and intersects;
#: a common phrase ("老旧小区综合整治": 7 bigrams, each in ~4 % of the items) costs 7 lists for
#: the same candidates as 2. The LIKE on the rows decides the match, so the result is the same.
SEARCH_INDEX = "pub_item_search_bigrams"
INDEX_GRAMS = 2
#: How long a process keeps the index's bigram statistics (ANALYZE's most common elements).
GRAM_STATS_SECONDS = 3600.0
_gram_stats: dict[str, tuple[float, dict[str, float]]] = {}


def _bigram_frequencies() -> dict[str, float]:
    """Share of items holding each common bigram, from PostgreSQL's statistics of the index
    expression (``pg_stats.most_common_elems``; a bigram not listed is rarer than all listed),
    read at most once per :data:`GRAM_STATS_SECONDS` per process; empty before any ANALYZE."""
    key = str(connection.settings_dict["NAME"])
    now = time.monotonic()
    cached = _gram_stats.get(key)
    if cached is not None and now - cached[0] < GRAM_STATS_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = %s AND most_common_elems IS NOT NULL",
            [SEARCH_INDEX],
        )
        row = cursor.fetchone()
    freqs = dict(zip(row[0], row[1], strict=False)) if row else {}
    _gram_stats[key] = (now, freqs)
    return freqs


def index_grams(query: str) -> list[str]:
    """The bigrams of a normalised query that PostgreSQL's index is asked for: the
    :data:`INDEX_GRAMS` rarest (ties by the text, so the choice is stable), or all when few."""
    grams = query_bigrams(query)
    if len(grams) <= INDEX_GRAMS:
        return grams
    freqs = _bigram_frequencies()
    return sorted(sorted(grams, key=lambda g: (freqs.get(g, 0.0), g))[:INDEX_GRAMS])


def _common(grams: list[str]) -> bool:
    """Whether every bigram in ``grams`` is among the index's most common (PostgreSQL's statistics)."""
    freqs = _bigram_frequencies()
    return bool(grams) and all(freqs.get(g, 0.0) > 0 for g in grams)


def search(queryset: QuerySet[Item], query: str) -> QuerySet[Item]:
    """Items of ``queryset`` whose title, 文号, 索引号, 发布机构 or body contain ``query``.

    A substring match on the normalised text (so "预算" finds "部门预算公开"), through the bigram
    index where there is one: PostgreSQL's GIN index pre-filters the LIKE (with the query's
    rarest bigrams, :func:`index_grams`); SQLite's FTS5 phrase answers alone when it is exact (a
    query of letters and digits only).
    """
    q = clean_query(query)
    if not q:
        return queryset.none()
    like = queryset.filter(search_text__contains=q)
    if connection.vendor == "postgresql":
        grams = index_grams(q)
        return like.filter(_BigramsContain(grams)) if grams else like
    if connection.vendor == "sqlite" and _sqlite_fts_available():
        # The FTS5 candidates. "+id" is not an index constraint, so SQLite walks the list's index
        # in date order and probes the candidates instead of fetching every candidate's row to
        # sort them; a LIKE recheck sits inside the subquery, so only candidates' rows are read.
        # Constant SQL: the query text is always a parameter.
        found = fts_query(q)
        if found is not None:
            match, exact = found
            if exact:
                return queryset.filter(
                    RawSQL(
                        '+"publications_item"."id" IN '
                        "(SELECT rowid FROM publications_item_fts WHERE publications_item_fts MATCH %s)",
                        [match],
                        output_field=BooleanField(),
                    )
                )
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            return queryset.filter(
                RawSQL(
                    '+"publications_item"."id" IN (SELECT "id" FROM "publications_item" WHERE "id" IN '
                    "(SELECT rowid FROM publications_item_fts WHERE publications_item_fts MATCH %s) "
                    """AND "search_text" LIKE %s ESCAPE '\\')""",
                    [match, pattern],
                    output_field=BooleanField(),
                )
            )
    return like


#: Search results are counted up to this many; beyond, the page says "1000 条以上" (a count of
#: every match of a very common word would read most of the table for nothing: at 1,000,000
#: items a common word matches ~35,000, and each match counted is a row read), and the matches
#: are found by walking the published items newest first (see :func:`search_page`).
SEARCH_COUNT_CAP = 1000
#: How long a search's count and pages stay cached (their key carries the public version too).
SEARCH_CACHE_SECONDS = 600


class SearchPage(CappedPage):
    """One page of search results (:class:`~gongkai.web.paging.CappedPage`); when ``capped``,
    ``count`` is :data:`SEARCH_COUNT_CAP`."""


def _walk_newest_first(queryset: QuerySet[Item], query: str) -> QuerySet[Item]:
    """Matches of a common word, in a shape the database answers by walking the published items
    newest first: SQLite probes the FTS5 candidates from the index alone and reads a row only
    for a candidate (LIKE outside the subquery); elsewhere LIKE tests each row walked."""
    q = clean_query(query)
    like = queryset.filter(search_text__contains=q)
    found = fts_query(q) if connection.vendor == "sqlite" and _sqlite_fts_available() else None
    if found is None:
        return like
    return like.filter(
        RawSQL(
            '+"publications_item"."id" IN '
            "(SELECT rowid FROM publications_item_fts WHERE publications_item_fts MATCH %s)",
            [found[0]],
            output_field=BooleanField(),
        )
    )


def search_page(
    queryset: QuerySet[Item],
    query: str,
    *,
    page: str | int | None,
    per_page: int = 20,
    related: tuple[str, ...] = (),
    cache_as: str | None = None,
) -> SearchPage:
    """A page of :func:`search` results, newest first, counted up to :data:`SEARCH_COUNT_CAP`.

    The plan follows the count. Up to the cap, the bigram index lists the matches and they are
    sorted. Beyond it the word is common: on SQLite walking the published items newest first and
    testing each (:func:`_walk_newest_first`) finds a page sooner than listing every match; on
    PostgreSQL the page is asked for newest first with the index's filter and the planner picks
    the walk or the index by its statistics. Measured with bench/portal.py and bench/province.py.

    ``cache_as`` (the caller's name for ``queryset`` and its public version, see
    ``gongkai.publications.public_cache``) keeps the count and each page's ids in the cache: the
    same search asked again, or its next page, costs one query for the rows.
    """
    with _without_jit():
        return _search_page(queryset, query, page=page, per_page=per_page, related=related, cache_as=cache_as)


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL without JIT compilation for the search's queries. The bigram function's declared
    cost (COST 10000, see migration 0002) puts a search's plan far above ``jit_above_cost``, so
    PostgreSQL compiled every search (~0.5 s of JIT for a 5 ms query: measured with
    bench/province.py at 1,000,000 items). ``SET LOCAL`` ends with the transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def _search_page(
    queryset: QuerySet[Item],
    query: str,
    *,
    page: str | int | None,
    per_page: int,
    related: tuple[str, ...],
    cache_as: str | None,
) -> SearchPage:
    matched = search(queryset, query)
    key = None
    if cache_as is not None:
        digest = hashlib.sha1(clean_query(query).encode(), usedforsecurity=False).hexdigest()
        key = f"gk:search:{cache_as}:{digest}:{per_page}"
    # SQLite probes candidates from the index alone, so walking suits every page; PostgreSQL walks
    # only for a common word, and otherwise sorts the index's matches.
    sqlite_walk = connection.vendor == "sqlite" and _sqlite_fts_available()
    found: int | None = cache.get(key) if key else None
    # Elsewhere one pass over the index's matches (up to the cap) both counts them and, with their
    # dates, gives any page: sorting ≤ 1,000 pairs here costs less than asking the index again.
    matches: list[tuple[Any, int]] | None = None
    if found is None:
        if sqlite_walk:
            found = matched.order_by().values("pk")[: SEARCH_COUNT_CAP + 1].count()
        else:
            matches = list(matched.order_by().values_list("published_on", "pk")[: SEARCH_COUNT_CAP + 1])
            found = len(matches)
        if key:
            cache.set(key, found, SEARCH_CACHE_SECONDS)
    capped = found > SEARCH_COUNT_CAP
    count = min(found, SEARCH_COUNT_CAP)
    num_pages = max(1, -(-count // per_page))
    try:
        number = min(max(1, int(page or 1)), num_pages)
    except (TypeError, ValueError):
        number = 1
    walk = capped or sqlite_walk
    # PostgreSQL walks for a capped list only when even the index's rarest bigram of the query is
    # common (listed in the statistics): a word just past the cap is found by sorting the
    # index's candidates (界桩, 1,450 of 1,000,000 items: 3 ms sorted, 63 ms walked), a common
    # phrase by walking (老旧小区综合整治, 37,050: 11 ms walked, 1 s sorted — and the planner,
    # whose estimate of a long LIKE is far too low, would sort).
    if connection.vendor == "postgresql":
        walk = capped and _common(index_grams(clean_query(query)))
    source = _walk_newest_first(queryset, query) if walk else matched
    start = (number - 1) * per_page
    end = min(start + per_page, count)  # a capped list stops at the cap
    ids: list[int] | None = cache.get(f"{key}:{number}") if key else None
    if ids is None:
        if end <= start:
            ids = []
        elif matches is not None and not walk and not capped:
            # Every match is in hand: newest first, then the higher id, no date first (PostgreSQL's
            # ORDER BY … DESC).
            matches.sort(key=lambda m: (m[0] is None, m[0] or date.min, m[1]), reverse=True)
            ids = [pk for _, pk in matches[start:end]]
        elif not walk:
            # Past the cap the pairs in hand are some of the matches, not the newest: the database
            # sorts all the index's candidates. The date is wrapped so that no index on it can be
            # walked instead (the walk is for common words only, above); no date still sorts first.
            newest = Coalesce("published_on", Value(date.max)).desc()
            ids = list(source.order_by(newest, "-id").values_list("pk", flat=True)[start:end])
        else:
            ids = list(source.order_by("-published_on", "-id").values_list("pk", flat=True)[start:end])
        if key:
            cache.set(f"{key}:{number}", ids, SEARCH_CACHE_SECONDS)
    rows = (Item.objects.select_related(*related) if related else Item.objects.all()).in_bulk(ids)
    return SearchPage(
        [rows[pk] for pk in ids if pk in rows], number=number, count=count, capped=capped, num_pages=num_pages
    )


# ---------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------


@dataclass
class CategoryNode:
    category: Category
    children: list[CategoryNode] = field(default_factory=list)
    count: int = 0  # published items in this node and below

    @property
    def id(self) -> int:
        return self.category.pk

    @property
    def name(self) -> str:
        return self.category.name


@dataclass
class CatalogueTree:
    roots: list[CategoryNode]
    by_id: dict[int, CategoryNode]

    def descendant_ids(self, category_id: int) -> list[int]:
        """``category_id`` and every node below it."""
        ids: list[int] = []
        stack = [self.by_id[category_id]]
        while stack:
            node = stack.pop()
            ids.append(node.id)
            stack.extend(node.children)
        return ids

    def ancestors(self, category_id: int) -> list[CategoryNode]:
        """From the root down to ``category_id`` (for breadcrumbs)."""
        chain = []
        node: CategoryNode | None = self.by_id.get(category_id)
        while node is not None:
            chain.append(node)
            parent_id = node.category.parent_id
            node = self.by_id.get(parent_id) if parent_id is not None else None
        return list(reversed(chain))

    def flat(self) -> list[tuple[int, CategoryNode]]:
        """(depth, node) in display order, for select boxes."""
        out: list[tuple[int, CategoryNode]] = []

        def walk(nodes: list[CategoryNode], depth: int) -> None:
            for n in nodes:
                out.append((depth, n))
                walk(n.children, depth + 1)

        walk(self.roots, 0)
        return out


def catalogue_tree(agency: Agency, *, with_counts: bool = False) -> CatalogueTree:
    """``agency``'s catalogue as a tree (one query; two with the published-item counts)."""
    nodes = {c.pk: CategoryNode(c) for c in Category.objects.filter(agency=agency).order_by("position", "id")}
    roots = []
    for node in nodes.values():
        parent_id = node.category.parent_id
        if parent_id is not None and parent_id in nodes:
            nodes[parent_id].children.append(node)
        else:
            roots.append(node)
    tree = CatalogueTree(roots, nodes)
    if with_counts:
        # Cached under the agency's public version: bumped when an item is published, withdrawn
        # or moved (gongkai.publications.public_cache).
        counts = category_counts(agency.pk, list(nodes))

        def total(node: CategoryNode) -> int:
            node.count = counts.get(node.id, 0) + sum(total(c) for c in node.children)
            return node.count

        for root in roots:
            total(root)
    return tree


# ---------------------------------------------------------------------------------------------
# Annual report figures
# ---------------------------------------------------------------------------------------------


class RegisterCounts(NamedTuple):
    """Table 二 第二十条第（一）项 for one kind: 本年制发件数, 本年废止件数, 现行有效件数."""

    issued: int
    abolished: int
    in_force: int


def register_counts(agency: Agency, year: int) -> dict[RegisterKind, RegisterCounts]:
    """规章 and 行政规范性文件 of ``agency`` in ``year`` (table 二 第二十条第（一）项), one query.

    本年制发 = issued during the year; 本年废止 = abolished during the year; 现行有效 = issued
    on or before 31 December and not abolished on or before 31 December. Both kinds are always
    present (zeros when none).
    """
    return register_counts_by_agency([agency.pk], year)[agency.pk]


def register_counts_by_agency(agency_ids: Sequence[int], year: int) -> dict[int, dict[RegisterKind, RegisterCounts]]:
    """:func:`register_counts` of many agencies in one query (the supervisor's roll-up)."""
    result = {pk: {kind: RegisterCounts(0, 0, 0) for kind in RegisterKind} for pk in agency_ids}
    for pk, kind, issued, abolished, in_force in _register_rows(year, agency_ids):
        result[pk][RegisterKind(kind)] = RegisterCounts(issued, abolished, in_force)
    return result


def _register_rows(year: int, agency_ids: Sequence[int]) -> QuerySet[RegisterDocument, tuple[Any, ...]]:
    """(agency id, kind, issued, abolished, in force) per agency and kind: the one query."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return (
        RegisterDocument.objects.filter(agency_id__in=agency_ids)
        .values_list("agency_id", "kind")
        .annotate(
            issued=Count("id", filter=Q(issued_on__gte=first, issued_on__lte=last)),
            abolished=Count("id", filter=Q(abolished_on__gte=first, abolished_on__lte=last)),
            in_force=Count(
                "id", filter=Q(issued_on__lte=last) & (Q(abolished_on__isnull=True) | Q(abolished_on__gt=last))
            ),
        )
        .order_by()
    )


@dataclass(frozen=True, slots=True)
class Article20:
    """Table 二 第二十条第（五）（六）（八）项 of one agency and year, with where the numbers came from."""

    year: int
    licensing: int
    punishment: int
    coercion: int
    fees_10k_yuan: Decimal
    source: FigureSource
    source_note: str


def article20_figures(agency: Agency, year: int) -> Article20 | None:
    """行政许可/行政处罚/行政强制 decision counts and 行政事业性收费 (万元) of ``agency`` for ``year``
    (条例 art 20 (五)(六)(八); table 二). None when nothing was entered for that year."""
    row = Article20Figures.objects.filter(agency=agency, year=year).first()
    if row is None:
        return None
    return Article20(
        row.year,
        row.licensing,
        row.punishment,
        row.coercion,
        row.fees_10k_yuan,
        FigureSource(row.source),
        row.source_note,
    )


def table2_figures(agency: Agency, year: int) -> dict[str, dict[str, int | Decimal | None]]:
    """Table 二 (format 2021) in the shape of ``AnnualReport.table2``; the 第二十条 rows are None
    when the year's figures were not entered. The two queries of :func:`table2_figures_by_agency`
    for one agency, compiled once per year (``gongkai.agencies.compiled``: compiling them cost
    several times the database's answer for an agency with a few documents)."""
    registered = agency_rows(("register", year), lambda pk: _register_rows(year, [pk]), agency.pk)
    counts = {kind: RegisterCounts(0, 0, 0) for kind in RegisterKind}
    for _, kind, issued, abolished, in_force in registered:
        counts[RegisterKind(kind)] = RegisterCounts(issued, abolished, in_force)
    entered = agency_rows(("article20", year), lambda pk: _article20_row(year, pk), agency.pk)
    return _table2(counts, entered[0] if entered else None)


def _table2(
    counts: dict[RegisterKind, RegisterCounts], article20: Sequence[Any] | None
) -> dict[str, dict[str, int | Decimal | None]]:
    """Table 二's shape from the register counts and the 第二十条 row (licensing, punishment,
    coercion, fees in 万元; None when the year's figures were not entered)."""
    licensing, punishment, coercion, fees = article20 if article20 is not None else (None, None, None, None)
    table: dict[str, dict[str, int | Decimal | None]] = {
        kind.value: dict(counts[kind]._asdict()) for kind in RegisterKind
    }
    table["licensing"] = {"decisions": licensing}
    table["punishment"] = {"decisions": punishment}
    table["coercion"] = {"decisions": coercion}
    table["fees"] = {"amount_10k_yuan": fees}
    return table


_ARTICLE20_FIELDS = ("licensing", "punishment", "coercion", "fees_10k_yuan")


def _article20_row(year: int, agency_id: int) -> QuerySet[Article20Figures, tuple[Any, ...]]:
    return Article20Figures.objects.filter(agency_id=agency_id, year=year).values_list(*_ARTICLE20_FIELDS).order_by()


def _article20_rows(year: int, agency_ids: Sequence[int]) -> QuerySet[Article20Figures, tuple[Any, ...]]:
    """(agency id, *the 第二十条 figures) of each agency that entered them for ``year``."""
    return Article20Figures.objects.filter(agency_id__in=agency_ids, year=year).values_list(
        "agency_id", *_ARTICLE20_FIELDS
    )


def table2_figures_by_agency(
    agency_ids: Sequence[int], year: int
) -> dict[int, dict[str, dict[str, int | Decimal | None]]]:
    """:func:`table2_figures` of many agencies in two queries (not two per agency)."""
    counts = register_counts_by_agency(agency_ids, year)
    entered = {row[0]: row[1:] for row in _article20_rows(year, agency_ids)}
    return {pk: _table2(counts[pk], entered.get(pk)) for pk in agency_ids}


def published_items_count(agency: Agency, year: int) -> int:
    """Items ``agency`` published (主动公开) during ``year``, including any withdrawn since."""
    return Item.objects.filter(agency=agency).published_in(year).count()
