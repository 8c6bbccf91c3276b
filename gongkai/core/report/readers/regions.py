"""Where the tables are in a text whose table structure is lost: section headings and line spans.

Table 三 starts near its first "本年新收" row label (a label, not a narrative sentence that names
the same count), table 四 at its heading or the first "行政复议" after it, table 二 at its heading or
the first "第二十条" before table 三. :mod:`.stream` then reads each span.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from gongkai.core import lazyre
from gongkai.core.report.readers.labels import NEW, T3_PHRASES, Heading, heading_key
from gongkai.core.report.readers.normalize import norm


def headings(lines: Sequence[str]) -> list[Heading]:
    """Section headings by line, in order."""
    found: list[Heading] = []
    for i, line in enumerate(lines):
        if len(line) <= 80:
            key = heading_key(line)
            if key is not None:
                found.append(Heading(key, i))
    return found


class Regions(NamedTuple):
    """Line ranges [start, end) of each table in the text, where found."""

    t2: tuple[int, int] | None
    t3: tuple[int, int] | None
    t4: tuple[int, int] | None


_NEW_ROW = T3_PHRASES[NEW]
#: Lines that can start or end a table region hold one of these (tested before normalising).
_REGION_WORDS = lazyre.compile("新收|收到|第二十条|行政复议")
_NARRATIVE_COUNT = lazyre.compile(r"[^\d,。;]*\d+(?:件|个|条)")


def is_row_label(text: str, offset: int) -> bool:
    """True when the phrase at ``offset`` of a normalised text is a table label, not a sentence
    ("本年新收政府信息公开申请数量29件，…" is narrative)."""
    rest = text[offset : offset + 40]
    if _NARRATIVE_COUNT.match(rest) or "。" in rest:
        return False
    digit = next((i for i, ch in enumerate(rest) if ch.isdigit()), len(rest))
    return "," not in rest[:digit]


def _new_row_line(text: str) -> bool:
    return any((at := text.find(p)) >= 0 and is_row_label(text, at) for p in _NEW_ROW)


def regions(lines: Sequence[str], found: Sequence[Heading]) -> Regions:
    """Where tables 二, 三 and 四 are: table 三 starts near its first "本年新收" row label."""
    normed = [norm(line) if len(line) < 400 and _REGION_WORDS.search(line) else "" for line in lines]
    first_new = next((i for i, text in enumerate(normed) if _new_row_line(text)), None)
    if first_new is None:
        return _without_table3(lines, found)
    before = [h for h in found if h.line <= first_new]
    t3_heads = [h.line for h in before if h.key == "table3"]
    t3_start = t3_heads[-1] if t3_heads else max([h.line + 1 for h in before] + [first_new - 40, 0])
    after = [h for h in found if h.line > first_new]
    t4_head = next((h.line for h in after if h.key == "table4"), None)
    closing = next((h.line for h in after if h.key in ("problems", "other")), len(lines))
    if t4_head is None:
        t4_head = next((i for i in range(first_new, closing) if "行政复议" in normed[i]), None)
    t3_end = t4_head if t4_head is not None else closing
    t4 = (t4_head, max(closing, t4_head + 1)) if t4_head is not None else None
    t2_heads = [h.line for h in found if h.key == "table2" and h.line < t3_start]
    if t2_heads:
        t2: tuple[int, int] | None = (t2_heads[-1], t3_start)
    else:
        article = next((i for i in range(t3_start) if "第二十条" in normed[i]), None)
        t2 = (article, t3_start) if article is not None else None
    return Regions(t2, (t3_start, t3_end), t4)


def _without_table3(lines: Sequence[str], found: Sequence[Heading]) -> Regions:
    """Tables 二 and 四 by their headings when table 三 is not in the text (a partial read)."""

    def span(key: str) -> tuple[int, int] | None:
        at = next((i for i, h in enumerate(found) if h.key == key), None)
        if at is None:
            return None
        end = found[at + 1].line if at + 1 < len(found) else len(lines)
        return found[at].line, max(end, found[at].line + 1)

    return Regions(span("table2"), None, span("table4"))
