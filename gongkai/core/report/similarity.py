"""内容雷同: how much of each narrative section repeats another report, sentence by sentence.

国办公开办函〔2021〕30号 "一、（四）明确责任": a report whose content is 雷同 makes the leaders
answerable (条例 art 47). What an officer copies is sentences: last year's problems paragraph with
the year changed, a sibling 街道's training paragraph with the name changed. So the measure works
on sentences, not on the whole section (where a copied paragraph drowns among fresh ones, and a
shared statutory formula makes two honest reports look alike):

1. Each section is split into sentences (at 。！？；and line ends); statutory boilerplate is left
   out: the 前言 formula (条例 art 50's "依据…第五十条规定，编制本报告"), headings ("（一）主动公开
   情况"), table labels, and the formula sentences the system itself writes from the records (the
   fee sentence of 国办函〔2020〕109号 and the applications count sentence).
2. A sentence is *copied* when a sentence of the source is nearly the same text
   (``difflib.SequenceMatcher`` ratio of the two, white space and punctuation dropped, ≥
   ``sentence_ratio``) and it states the same numbers: a year ("2023年") and the agencies' names are
   masked first, so last year's text with the year changed is a copy, while a formula sentence
   with this year's counts is not.
3. A section is flagged when the copied sentences make at least ``section_share`` of its countable
   characters and at least ``min_copied_chars`` characters.

The defaults (:data:`DEFAULT_THRESHOLDS`) were chosen on the corpus in
``tests/core/report/similarity_corpus.py`` (copied and genuine sections in the style of published
reports): every copied section there scores ≥ 0.6 and every genuine one ≤ 0.25.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from gongkai.core.report.taxonomy import SECTION_HEADINGS


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a sentence counts as copied and when a section is flagged (settings: ``GONGKAI_SIMILARITY``)."""

    sentence_ratio: float = 0.85  # SequenceMatcher ratio of two sentences, 0–1
    section_share: float = 0.5  # share of the section's countable characters copied
    min_copied_chars: int = 50  # a few short sentences alike are not 雷同
    min_sentence_chars: int = 12  # shorter sentences ("无。", "详见下表") are not compared


DEFAULT_THRESHOLDS = Thresholds()

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_DROP = re.compile(r"[\s，,、。！？!?；;：:“”\"'‘’（）()《》〈〉【】\[\]—\-…·]+")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

#: Headings: "（一）主动公开情况", "一、总体情况", "2、 主动公开政府信息情况" — short, no full stop.
_HEADING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[、.．])[^。！？]{0,30}$")
#: Statutory and system formulas, never 雷同 however often they repeat.
_BOILERPLATE: tuple[re.Pattern[str], ...] = (
    # 前言: 条例 art 50 ("依据/根据《中华人民共和国政府信息公开条例》…第五十条…编制本报告")
    re.compile(r"(?:依据|根据|按照).{0,40}政府信息公开条例.{0,40}(?:第五十条|要求).{0,30}编制"),
    re.compile(r"本报告.{0,60}(?:统计期限|所列数据的统计期|电子版可在|如对本报告有疑问)"),
    # 信息处理费 (国办函〔2020〕109号): the fee sentence the first draft writes
    re.compile(r"政府信息公开信息处理费管理办法"),
    # the applications count sentence (table 三's figures restated)
    re.compile(r"新收政府信息公开申请数量\d+件.{0,40}上年结转"),
)
#: Table labels and section headings: a sentence that is one of these is not counted.
_LABELS: frozenset[str] = frozenset(
    {
        *SECTION_HEADINGS.values(),
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议行政诉讼情况",
        "信息内容",
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "处理决定数量",
        "采购总金额",
    }
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a section: where it is in the text, and its comparable form."""

    start: int
    end: int
    text: str
    key: str  # white space and punctuation dropped, years and names masked
    numbers: tuple[str, ...]  # the numbers it states (years masked)
    counted: bool  # False for boilerplate, headings, labels and short sentences


@dataclass(frozen=True, slots=True)
class Match:
    """A copied sentence: its place in the section and the source sentence it repeats."""

    start: int
    end: int
    source_sentence: str
    source_start: int  # in the source's same section; -1 when found in another of its sections
    source_end: int
    ratio: float


@dataclass(frozen=True, slots=True)
class SectionSimilarity:
    """How much of one section repeats the same section (or any part) of a source report."""

    section: str
    source: str
    text: str
    source_text: str
    counted_chars: int
    copied_chars: int
    matches: tuple[Match, ...] = field(default_factory=tuple)
    flagged: bool = False

    @property
    def share(self) -> float:
        """Copied characters / countable characters (0 when nothing is countable)."""
        return self.copied_chars / self.counted_chars if self.counted_chars else 0.0


def _mask(text: str, names: Sequence[str]) -> str:
    text = text.translate(_FULLWIDTH)
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, "〇")
    return _YEAR.sub("〇年", text)


def is_boilerplate(sentence: str) -> bool:
    """Headings, table labels and statutory or system formulas (never counted as 雷同)."""
    flat = _DROP.sub("", sentence)
    if not flat or _HEADING.match(sentence.strip()) or flat in {_DROP.sub("", x) for x in _LABELS}:
        return True
    return any(p.search(flat) or p.search(sentence) for p in _BOILERPLATE)


def sentences(text: str, *, names: Sequence[str] = (), thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Sentence]:
    """The sentences of ``text`` with their positions and comparable keys."""
    out: list[Sentence] = []
    for m in _SENTENCE.finditer(text):
        raw = m.group(0)
        if not raw.strip():
            continue
        masked = _mask(raw, names)
        key = _DROP.sub("", masked)
        counted = len(key) >= thresholds.min_sentence_chars and not is_boilerplate(raw)
        numbers = tuple(_DIGITS.findall(masked))
        out.append(Sentence(m.start(), m.end(), raw, key, numbers, counted))
    return out


def _ratio(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()


def compare_section(
    section: str,
    text: str,
    source: str,
    source_texts: Sequence[str],
    *,
    names: Sequence[str] = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> SectionSimilarity:
    """How much of ``text`` (one section) repeats ``source_texts``: the source report's same section
    first, then its other sections (a paragraph moved between sections is still copied).

    ``names`` are masked on both sides (the two agencies' names and short names).
    """
    mine = sentences(text, names=names, thresholds=thresholds)
    theirs: list[tuple[int, Sentence]] = [
        (i, s)
        for i, t in enumerate(source_texts)
        for s in sentences(t, names=names, thresholds=thresholds)
        if s.counted
    ]
    counted = sum(len(s.key) for s in mine if s.counted)
    matches: list[Match] = []
    copied = 0
    for s in mine:
        if not s.counted:
            continue
        best_ratio, best = 0.0, None
        for index, other in theirs:
            if other.numbers != s.numbers:
                continue  # the same wording with this year's numbers is an updated fact
            ratio = 1.0 if other.key == s.key else _ratio(s.key, other.key)
            if ratio > best_ratio or (ratio == best_ratio and best is not None and index == 0 < best[0]):
                best_ratio, best = ratio, (index, other)
        if best is not None and best_ratio >= thresholds.sentence_ratio:
            index, other = best
            here = index == 0
            copied += len(s.key)
            matches.append(
                Match(
                    s.start,
                    s.end,
                    other.text,
                    other.start if here else -1,
                    other.end if here else -1,
                    best_ratio,
                )
            )
    flagged = counted > 0 and copied >= thresholds.min_copied_chars and copied / counted >= thresholds.section_share
    return SectionSimilarity(
        section, source, text, source_texts[0] if source_texts else "", counted, copied, tuple(matches), flagged
    )


def compare_reports(
    sections: dict[str, str],
    sources: Iterable[tuple[str, dict[str, str]]],
    *,
    keys: Iterable[str],
    names: Sequence[str] = (),
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[SectionSimilarity]:
    """Every section of ``sections`` (among ``keys``) against every source's sections.

    ``sources``: (description, sections) pairs — last year's report of the same agency, this
    year's reports of its siblings. One result per section and source, those with any copied
    sentence or flagged first by share.
    """
    wanted = [k for k in keys if sections.get(k, "").strip()]
    results: list[SectionSimilarity] = []
    for source, theirs in sources:
        for key in wanted:
            others = [theirs.get(key, ""), *(v for k, v in theirs.items() if k != key and v)]
            results.append(compare_section(key, sections[key], source, others, names=names, thresholds=thresholds))
    return results


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, copied) runs for display: the spans marked, the rest plain."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted((s, e) for s, e in spans if 0 <= s < e):
        if start < at:
            start = at
        if start > at:
            pieces.append((text[at:start], False))
        if end > start:
            pieces.append((text[start:end], True))
        at = max(at, end)
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces
