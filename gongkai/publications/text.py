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
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "sub",
        "sup",
        "blockquote",
        "ul",
        "ol",
        "li",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "a",
        "span",
        "div",
    }
)
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
    """What PostgreSQL's index is asked for: every distinct two-character substring of a
    normalised query, or the query itself when it is one character."""
    if len(query) == 1:
        return [query]
    return sorted({query[i : i + 2] for i in range(len(query) - 1)})


#: Token between two runs of letters/digits in the FTS5 text, so that a phrase never spans a gap.
#: Query tokens are always two characters, so no query token equals it.
RUN_BREAK = "qzqz"


def _runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (what FTS5's unicode61 tokenizer keeps)."""
    runs: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch.isalnum():
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def index_bigrams(text: str | None) -> str:
    """The ``grams`` column of SQLite's FTS5 table for ``text``: the bigrams of each run of two or
    more letters/digits, in order ("果园街道" → "果园 园街 街道"), runs separated by
    :data:`RUN_BREAK`.

    With positions kept, a phrase of a query's bigrams matches exactly where the query occurs as
    a substring, for a query made of one run of letters/digits.
    """
    tokens: list[str] = []
    for run in _runs(text or ""):
        if len(run) < 2:
            continue
        if tokens:
            tokens.append(RUN_BREAK)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(tokens)


def index_ends(text: str | None) -> str:
    """The ``ends`` column: the last character of every run (one-character runs included).

    A character occurs in a text exactly when a bigram starts with it or it ends a run, so a
    one-character query is ``grams : x* OR ends : x``.
    """
    return " ".join(dict.fromkeys(run[-1] for run in _runs(text or "")))


def fts_query(query: str) -> tuple[str, bool] | None:
    """An FTS5 MATCH expression for a normalised query, and whether it is exact.

    One letter/digit: its bigrams and run ends (exact). Otherwise one phrase: the bigrams of each
    run of two or more letters/digits, runs separated by :data:`RUN_BREAK` as in the index; exact
    when the query is a single run, else a LIKE recheck decides what lies between the runs. None
    when the query has no letter or digit to look up.
    """
    if len(query) == 1 and query.isalnum():
        return f'grams : "{query}"* OR ends : "{query}"', True
    runs = [r for r in _runs(query) if len(r) >= 2]
    if not runs:
        return None
    tokens = f" {RUN_BREAK} ".join(" ".join(r[i : i + 2] for i in range(len(r) - 1)) for r in runs)
    return f'grams : "{tokens}"', len(runs) == 1 and runs[0] == query
