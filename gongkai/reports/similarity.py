"""Copied narrative (内容雷同): a section that repeats last year's text or another agency's.

国办公开办函〔2021〕30号 "一、（四）明确责任": a report whose content is 雷同 or 敷衍塞责 makes the
leaders answerable under 条例 art 47. The measure is the Dice coefficient of the two texts'
character bigrams (multisets), after dropping white space: 1.0 for the same text, ≥ 0.9 for a
copy with a few words changed (another agency's name, another year).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.reports.narrative import SECTION_LABELS

#: At or above this similarity a section counts as copied.
COPY_THRESHOLD = 0.9
#: Sections shorter than this (after dropping white space) are not compared: "无。" may repeat.
MIN_CHARS = 40


def normalise(text: str) -> str:
    return "".join(text.split())


def bigrams(text: str) -> Counter[str]:
    flat = normalise(text)
    return Counter(flat[i : i + 2] for i in range(len(flat) - 1))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character-bigram multisets of ``a`` and ``b`` (0.0–1.0)."""
    grams_a, grams_b = bigrams(a), bigrams(b)
    size = sum(grams_a.values()) + sum(grams_b.values())
    if size == 0:
        return 1.0 if normalise(a) == normalise(b) else 0.0
    shared = sum((grams_a & grams_b).values())
    return 2 * shared / size


@dataclass(frozen=True, slots=True)
class CopyWarning:
    """Section ``section`` of the draft is (nearly) the text of ``source``'s same section."""

    section: str
    source: str  # "上年（2022年）报告" or "北京市密云区鼓楼街道办事处2023年报告"
    score: float
    identical: bool

    @property
    def message(self) -> str:
        how = "与{src}完全相同" if self.identical else "与{src}几乎相同（相似度{pct:.0%}）"
        return (
            f"“{SECTION_LABELS.get(self.section, self.section)}”"
            + how.format(src=self.source, pct=self.score)
            + "：年度报告不得内容雷同（国办公开办函〔2021〕30号），请据实撰写本年度情况。"
        )


def copy_warnings(
    sections: dict[str, str],
    sources: Iterable[tuple[str, dict[str, str]]],
    *,
    keys: Iterable[str],
    threshold: float = COPY_THRESHOLD,
) -> list[CopyWarning]:
    """Each section of ``sections`` (among ``keys``) whose text another source's same section repeats.

    ``sources`` are (description, sections) pairs: last year's report, other agencies' reports of
    the same year. One warning per section and source.
    """
    wanted = [k for k in keys if len(normalise(sections.get(k, ""))) >= MIN_CHARS]
    warnings: list[CopyWarning] = []
    for source, theirs in sources:
        for key in wanted:
            other = theirs.get(key, "")
            if len(normalise(other)) < MIN_CHARS:
                continue
            score = similarity(sections[key], other)
            if score >= threshold:
                identical = normalise(sections[key]) == normalise(other)
                warnings.append(CopyWarning(key, source, score, identical))
    return warnings
