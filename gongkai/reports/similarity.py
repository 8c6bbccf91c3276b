"""Copied narrative (内容雷同): how much of each section repeats last year's or a sibling's report.

国办公开办函〔2021〕30号 "一、（四）明确责任": a report whose content is 雷同 makes the leaders
answerable under 条例 art 47. The measure is ``gongkai.core.report.similarity`` (sentence by
sentence, statutory boilerplate left out, the share of each section copied); the sources are last
year's signed report of the same agency and this year's signed reports of its siblings (same
parent). Thresholds: ``settings.GONGKAI_SIMILARITY`` (keys of ``core.report.similarity.Thresholds``;
the documented defaults when unset).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.conf import settings

from gongkai.core.report.similarity import SectionSimilarity, Thresholds, compare_reports, highlight
from gongkai.reports.narrative import NARRATIVE_SECTIONS, SECTION_LABELS
from gongkai.reports.selectors import latest_locked, peer_sections

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency


def thresholds() -> Thresholds:
    """The thresholds of the settings (``GONGKAI_SIMILARITY``), the documented defaults otherwise."""
    configured: dict[str, Any] = getattr(settings, "GONGKAI_SIMILARITY", {}) or {}
    known = {f.name: f.type for f in fields(Thresholds)}
    return Thresholds(**{k: v for k, v in configured.items() if k in known})


@dataclass(frozen=True, slots=True)
class CopyWarning:
    """Section ``section`` of the draft repeats ``source`` (share of its text copied)."""

    section: str
    source: str
    share: float
    identical: bool

    @property
    def message(self) -> str:
        label = SECTION_LABELS.get(self.section, self.section)
        how = "与{src}完全相同" if self.identical else "有{pct:.0%}的文字与{src}雷同"
        return (
            f"“{label}”"
            + how.format(src=self.source, pct=self.share)
            + "：年度报告不得内容雷同（国办公开办函〔2021〕30号），请据实撰写本年度情况。"
        )


def copy_warnings(
    sections: dict[str, str],
    sources: Iterable[tuple[str, dict[str, str]]],
    *,
    keys: Iterable[str],
    names: Sequence[str] = (),
) -> list[CopyWarning]:
    """One warning per section and source whose share of copied text passes the threshold."""
    return [
        CopyWarning(r.section, r.source, r.share, "".join(r.text.split()) == "".join(r.source_text.split()))
        for r in compare_reports(sections, sources, keys=keys, names=names, thresholds=thresholds())
        if r.flagged
    ]


def sources_for(agency: Agency, year: int) -> list[tuple[str, dict[str, str]]]:
    """Last year's signed report of ``agency``, then this year's signed reports of its siblings."""
    previous = latest_locked(agency, year - 1)
    last = [(f"上年（{year - 1}年）报告", previous.snapshot_report().sections)] if previous is not None else []
    return [*last, *peer_sections(agency, year)]


def agency_names(agency: Agency, others: Iterable[Agency] = ()) -> list[str]:
    """Names masked before comparing (an agency's name changed is still a copy)."""
    out: list[str] = []
    for a in (agency, *others):
        out += [n for n in (a.name, a.short_name) if n]
    return out


@dataclass(frozen=True, slots=True)
class SideBySide:
    """One section against one source, cut into runs for display (copied runs marked)."""

    label: str
    result: SectionSimilarity
    mine: list[tuple[str, bool]]
    theirs: list[tuple[str, bool]]
    elsewhere: list[str]  # copied sentences found in another section of the source


def side_by_side(sections: dict[str, str], agency: Agency, year: int, siblings: Iterable[Agency]) -> list[SideBySide]:
    """Every section against every source, the flagged first, then those with any copied sentence."""
    results = compare_reports(
        sections,
        sources_for(agency, year),
        keys=NARRATIVE_SECTIONS,
        names=agency_names(agency, siblings),
        thresholds=thresholds(),
    )
    shown = [r for r in results if r.matches]
    shown.sort(key=lambda r: (not r.flagged, -r.share))
    return [
        SideBySide(
            SECTION_LABELS.get(r.section, r.section),
            r,
            highlight(r.text, [(m.start, m.end) for m in r.matches]),
            highlight(r.source_text, [(m.source_start, m.source_end) for m in r.matches if m.source_start >= 0]),
            [m.source_sentence for m in r.matches if m.source_start < 0],
        )
        for r in shown
    ]
