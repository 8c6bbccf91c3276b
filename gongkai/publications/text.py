"""Rich text and search text: sanitising with nh3, plain text, and the bigrams of Chinese search.

Chinese has no spaces between words and most words are two characters, so word tokenisers and
trigram indexes (pg_trgm needs three characters) miss the commonest queries. Search is therefore a
substring match (``LIKE '%q%'``) on :func:`normalize`d text, pre-filtered by an index of
character bigrams (the CJK-bigram scheme of Lucene's CJKAnalyzer): every bigram of the query must
be a bigram of the text. PostgreSQL indexes ``gongkai_bigrams(search_text)`` with GIN; SQLite keeps
an FTS5 table of :func:`index_bigrams` (see migration 0002 and ``selectors.search``).
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

#: Tags an item body may keep: structure, emphasis, lists, tables, links. No images (no remote
#: assets on intranets; images are attachments), no scripts, styles or forms.
ALLOWED_TAGS: frozenset[str] = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup", "blockquote",
    "ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "span", "div",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

_WHITESPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(p|div|h[2-4]|li|tr|blockquote|table|caption)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def sanitize_html(value: str) -> str:
    """``value`` with only :data:`ALLOWED_TAGS` kept; links get ``rel="noopener noreferrer"``."""
    return nh3.clean(
        value or "",
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """The text of an HTML fragment: tags removed, entities decoded, block ends as line breaks."""
    with_breaks = _BLOCK_END.sub(lambda m: m.group(0) + "\n", value or "")
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def normalize(value: str) -> str:
    """Search form of a text: NFKC (full-width letters and digits → ASCII), case-folded, one space
    for any run of whitespace. Queries and documents go through the same function."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", value or "").casefold()).strip()


def search_document(*parts: str) -> str:
    """The ``search_text`` of an item: its searchable fields, normalised, separated by newlines
    so that a query never matches across two fields."""
    return "\n".join(normalize(p) for p in parts if p)


def query_bigrams(query: str) -> list[str]:
    """Every distinct two-character substring of a normalised query (PostgreSQL pre-filter)."""
    return sorted({query[i : i + 2] for i in range(len(query) - 1)})


def _word_pair(pair: str) -> bool:
    return pair[0].isalnum() and pair[1].isalnum()


def index_bigrams(text: str | None) -> str:
    """Space-separated distinct bigrams of letters/digits in ``text``: what SQLite's FTS5 indexes.

    Only pairs of two letters or digits are kept, so FTS5's unicode61 tokenizer sees each pair as
    one token; a query's pairs (:func:`fts_query`) follow the same rule.
    """
    text = text or ""
    seen: dict[str, None] = {}
    for i in range(len(text) - 1):
        pair = text[i : i + 2]
        if _word_pair(pair):
            seen.setdefault(pair, None)
    return " ".join(seen)


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression requiring every letter/digit bigram of ``query``; None if it has none."""
    pairs = sorted({query[i : i + 2] for i in range(len(query) - 1) if _word_pair(query[i : i + 2])})
    if not pairs:
        return None
    return " AND ".join('"' + p.replace('"', '""') + '"' for p in pairs)
