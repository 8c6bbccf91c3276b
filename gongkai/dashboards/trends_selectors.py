"""Reads of the trend pages: indicators over years, outcome mix, channels, 纠错率, 雷同 between siblings.

Every function takes the ``user`` and reads only what ``visible_to`` / ``visible_agencies`` let
them read. Figures of past years come from :func:`gongkai.dashboards.sources.sourced_reports`
(a report signed on the system, else one a supervisor uploaded); the channels of 依申请 come from
the case records, which only the agencies on the system have.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count

from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.cases.models import Case
from gongkai.core.receipt import Channel
from gongkai.core.report.jumps import (
    DEFAULT_INDICATOR,
    INDICATOR_BY_KEY,
    Indicator,
    Jump,
    JumpThresholds,
    find_jumps,
)
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.similarity import SectionSimilarity, compare_reports, highlight
from gongkai.core.report.taxonomy import OUTCOME_GROUPS, OUTCOME_ROWS, TOTAL_COLUMN, ReviewKind, Table3Key
from gongkai.core.stats_trends import CorrectionRate, correction_rate, peer_median
from gongkai.dashboards.sources import SourcedReport, sourced_reports
from gongkai.reports.narrative import NARRATIVE_SECTIONS, SECTION_LABELS
from gongkai.reports.similarity import SideBySide, agency_names
from gongkai.reports.similarity import thresholds as similarity_thresholds

#: Years a trend shows, ending with the chosen year.
TREND_YEARS = 5


@dataclass
class TrendScope:
    """What the filters chose, within the user's reach."""

    parents: list[Agency]  # agencies with subordinates the user may read (the 上级机构 filter)
    parent: Agency | None
    level: str
    year: int
    agencies: list[Agency]  # the parent's subordinates (of the level, when chosen)
    agency: Agency | None  # one of them, for the per-year views
    indicator: Indicator
    years: list[int] = field(default_factory=list)

    @property
    def agency_ids(self) -> list[int]:
        return [a.pk for a in self.agencies]


def _int(raw: Any) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def trend_scope(user: Any, params: Any, *, default_year: int) -> TrendScope:
    """The filters of ``params`` (a QueryDict or dict), anything unknown or out of reach ignored."""
    visible = list(visible_agencies(user).order_by("path"))
    by_id = {a.pk: a for a in visible}
    with_children = {a.parent_id for a in visible if a.parent_id in by_id}
    parents = [a for a in visible if a.pk in with_children]
    parent = by_id.get(_int(params.get("parent")) or -1)
    if parent is None or parent.pk not in with_children:
        own = by_id.get(getattr(user, "agency_id", None) or -1)
        parent = own if own is not None and own.pk in with_children else (parents[0] if parents else None)
    level = str(params.get("level") or "")
    if level not in AgencyLevel.values:
        level = ""
    agencies = [
        a for a in visible if parent is not None and a.parent_id == parent.pk and (not level or a.level == level)
    ]
    year = _int(params.get("year")) or default_year
    if not 2008 <= year <= default_year + 1:
        year = default_year
    agency = by_id.get(_int(params.get("agency")) or -1)
    if agency is not None and agency not in agencies:
        agency = None
    indicator = INDICATOR_BY_KEY.get(str(params.get("indicator") or ""), INDICATOR_BY_KEY[DEFAULT_INDICATOR])
    years = list(range(year - TREND_YEARS + 1, year + 1))
    return TrendScope(parents, parent, level, year, agencies, agency, indicator, years)


def scope_reports(user: Any, scope: TrendScope) -> dict[tuple[int, int], SourcedReport]:
    """The sourced reports of the scope's agencies over its years (two queries)."""
    return sourced_reports(user, scope.agency_ids, scope.years)


# ---------------------------------------------------------------------------------------------
# An indicator over years
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendLine:
    """One agency's (or the group's) figure over the scope's years, with the jumps marked."""

    name: str
    values: list[int | float | None]
    jumps: list[Jump]
    agency_id: int | None = None


def indicator_trends(
    scope: TrendScope, reports: dict[tuple[int, int], SourcedReport], thresholds: JumpThresholds
) -> list[TrendLine]:
    """A line per agency of the scope (the chosen agency only, when one is), then 合计 over the group."""
    agencies = [scope.agency] if scope.agency is not None else scope.agencies
    lines: list[TrendLine] = []
    for agency in agencies:
        raw = []
        for year in scope.years:
            sourced = reports.get((agency.pk, year))
            raw.append(scope.indicator.value(sourced.report) if sourced is not None else None)
        values: list[int | float | None] = [_number(v) for v in raw]
        lines.append(TrendLine(agency.short_name or agency.name, values, find_jumps(raw, thresholds), agency.pk))
    if scope.agency is None and len(lines) > 1:
        summed = _sum_lines(lines, len(scope.years))
        lines.append(TrendLine("合计", summed, find_jumps(summed, thresholds)))
    return lines


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    return value if isinstance(value, int) else float(value)


def _sum_lines(lines: Sequence[TrendLine], width: int) -> list[int | float | None]:
    out: list[int | float | None] = []
    for index in range(width):
        present = [line.values[index] for line in lines if line.values[index] is not None]
        out.append(sum(v for v in present if v is not None) if present else None)
    return out


# ---------------------------------------------------------------------------------------------
# Outcome mix (table 三, 总计 column)
# ---------------------------------------------------------------------------------------------

#: The six outcome groups a stacked bar shows (（七）总计 is their sum).
MIX_GROUPS = [g for g in OUTCOME_GROUPS if g.key != "total"]


def outcome_groups(report: AnnualReport) -> dict[str, int | None]:
    """Each outcome group's total (the 总计 column summed over the group's rows)."""
    out: dict[str, int | None] = {}
    for group in MIX_GROUPS:
        cells = [
            report.table3.get(r.key, [None] * (TOTAL_COLUMN + 1))[TOTAL_COLUMN]
            for r in OUTCOME_ROWS
            if (r.group_key or r.key) == group.key
        ]
        present = [c for c in cells if c is not None]
        out[group.key] = sum(present) if present else None
    return out


def outcome_mix(
    scope: TrendScope, reports: dict[tuple[int, int], SourcedReport]
) -> tuple[list[str], dict[str, list[int | float | None]]]:
    """(categories, {group key: values}): per agency for the year, or per year for the chosen agency."""
    if scope.agency is not None:
        keys = [(scope.agency.pk, y) for y in scope.years]
        categories = [f"{y}年" for y in scope.years]
    else:
        keys = [(a.pk, scope.year) for a in scope.agencies]
        categories = [a.short_name or a.name for a in scope.agencies]
    series: dict[str, list[int | float | None]] = {g.key: [] for g in MIX_GROUPS}
    for key in keys:
        sourced = reports.get(key)
        groups = outcome_groups(sourced.report) if sourced is not None else {}
        for group in MIX_GROUPS:
            series[group.key].append(groups.get(group.key))
    return categories, series


# ---------------------------------------------------------------------------------------------
# 依申请 by channel
# ---------------------------------------------------------------------------------------------

#: The series of an agency whose year the system knows only from its report.
UNKNOWN_CHANNEL = "渠道不详（仅有年报总数）"


@dataclass(frozen=True)
class ChannelRow:
    agency: Agency
    by_channel: dict[str, int]  # Channel value → applications received in the year
    report_total: int | None  # table 三 一、本年新收 (总计), where no record says the channel


def channel_volume(user: Any, scope: TrendScope, reports: dict[tuple[int, int], SourcedReport]) -> list[ChannelRow]:
    """Applications received in the year by channel, from the records; for an agency with no
    record of the year, the report's 本年新收 total (reports do not break it down by channel)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Case.objects.visible_to(user)
        .filter(agency_id__in=scope.agency_ids, received_on__year=scope.year)
        .order_by()
        .values_list("agency_id", "channel")
        .annotate(n=Count("id"))
    )
    for agency_id, channel, n in rows:
        counts[agency_id][channel] = n
    out: list[ChannelRow] = []
    for agency in scope.agencies:
        mine = counts.get(agency.pk, {})
        total: int | None = None
        if not mine:
            sourced = reports.get((agency.pk, scope.year))
            if sourced is not None:
                total = sourced.report.table3.get(Table3Key.NEW, [None] * (TOTAL_COLUMN + 1))[TOTAL_COLUMN]
        out.append(ChannelRow(agency, dict(mine), total))
    return out


CHANNELS: tuple[Channel, ...] = tuple(Channel)


# ---------------------------------------------------------------------------------------------
# 复议/诉讼 纠错率, against the median of the peers of the same level
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionRow:
    agency: Agency
    reconsideration: CorrectionRate
    litigation: CorrectionRate
    peer_reconsideration: float | None  # median of the same level's agencies (in per cent)
    peer_litigation: float | None


def _rates(report: AnnualReport) -> tuple[CorrectionRate, CorrectionRate]:
    t4 = report.table4
    recon = t4.get(ReviewKind.RECONSIDERATION, {})
    lit = [t4.get(ReviewKind.LITIGATION_DIRECT, {}), t4.get(ReviewKind.LITIGATION_AFTER_RECONSIDERATION, {})]

    def total(key: str) -> int:
        return sum((g.get(key) or 0) for g in lit)

    return (
        correction_rate(recon.get("upheld"), recon.get("corrected"), recon.get("other")),
        correction_rate(total("upheld"), total("corrected"), total("other")),
    )


def correction_rates(user: Any, scope: TrendScope) -> list[CorrectionRow]:
    """The scope's agencies' 纠错率 for the year, each beside the median of every agency of its
    level the user may read (its peers)."""
    levels = {a.level for a in scope.agencies}
    peers = list(visible_agencies(user).filter(level__in=levels).values_list("pk", "level"))
    reports = sourced_reports(user, [pk for pk, _ in peers], [scope.year])
    by_level: dict[str, list[tuple[int, CorrectionRate, CorrectionRate]]] = defaultdict(list)
    for pk, level in peers:
        sourced = reports.get((pk, scope.year))
        if sourced is not None:
            by_level[level].append((pk, *_rates(sourced.report)))
    out: list[CorrectionRow] = []
    for agency in scope.agencies:
        sourced = reports.get((agency.pk, scope.year))
        if sourced is None:
            continue
        recon, lit = _rates(sourced.report)
        others = [row for row in by_level[agency.level] if row[0] != agency.pk]
        out.append(
            CorrectionRow(
                agency,
                recon,
                lit,
                peer_median(r[1].percent for r in others),
                peer_median(r[2].percent for r in others),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# 雷同 between siblings
# ---------------------------------------------------------------------------------------------


def copied_share(results: Sequence[SectionSimilarity]) -> float:
    """Share of the narrative's countable characters copied (all sections together)."""
    counted = sum(r.counted_chars for r in results)
    return sum(r.copied_chars for r in results) / counted if counted else 0.0


@dataclass(frozen=True)
class SimilarityMatrix:
    agencies: list[Agency]  # those with a narrative for the year
    shares: list[list[float | None]]  # [row][col]: share of row's text copied from col (None: itself)


#: A pair's share is cached under the digest of everything it is computed from (both texts, the
#: masked names, the thresholds), so an edited report or changed setting simply misses: nothing
#: to invalidate. A week bounds the cache's growth with the years' versions.
SIMILARITY_CACHE_SECONDS = 7 * 24 * 3600


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def similarity_matrix(user: Any, scope: TrendScope) -> SimilarityMatrix:
    """Between the parent's subordinates (all levels) for the year: how much of each one's
    narrative repeats each sibling's, boilerplate excluded (``core.report.similarity``).

    n siblings are n·(n−1) comparisons (600 for a county's 25 departments); each pair's share is
    cached by content (:data:`SIMILARITY_CACHE_SECONDS`), so only pairs with a new text compute."""
    siblings = [a for a in visible_agencies(user).order_by("path") if scope.parent and a.parent_id == scope.parent.pk]
    reports = sourced_reports(user, [a.pk for a in siblings], [scope.year])
    texts = {a.pk: reports[(a.pk, scope.year)].report.sections for a in siblings if (a.pk, scope.year) in reports}
    agencies = [a for a in siblings if any(v.strip() for v in texts.get(a.pk, {}).values())]
    names = agency_names(agencies[0], agencies[1:]) if agencies else []
    limits = similarity_thresholds()
    context = _digest(names, repr(limits), sorted(NARRATIVE_SECTIONS))
    text_digest = {a.pk: _digest({k: texts[a.pk].get(k, "") for k in NARRATIVE_SECTIONS}) for a in agencies}
    keys = {
        (a.pk, b.pk): f"gongkai:similarity:{_digest(context, text_digest[a.pk], text_digest[b.pk])}"
        for a in agencies
        for b in agencies
        if a.pk != b.pk
    }
    known: dict[str, float] = cache.get_many(list(keys.values())) if keys else {}
    computed: dict[str, float] = {}
    shares: list[list[float | None]] = []
    for a in agencies:
        row: list[float | None] = []
        for b in agencies:
            if a.pk == b.pk:
                row.append(None)
                continue
            key = keys[(a.pk, b.pk)]
            if key not in known:
                results = compare_reports(
                    texts[a.pk], [(b.name, texts[b.pk])], keys=NARRATIVE_SECTIONS, names=names, thresholds=limits
                )
                computed[key] = known[key] = copied_share(results)
            row.append(known[key])
        shares.append(row)
    if computed:
        cache.set_many(computed, SIMILARITY_CACHE_SECONDS)
    return SimilarityMatrix(agencies, shares)


@dataclass(frozen=True)
class SimilarityPair:
    first: Agency
    second: Agency
    year: int
    share: float
    rows: list[SideBySide]
    missing: list[Agency]  # of the two, those with no narrative for the year


def similarity_pair(user: Any, year: int, first_id: int, second_id: int) -> SimilarityPair | None:
    """The two narratives side by side, the shared sentences marked; ``None`` (a 404) unless both
    agencies are distinct siblings the user may read."""
    if first_id == second_id:
        return None
    found = {a.pk: a for a in visible_agencies(user).filter(pk__in=[first_id, second_id])}
    first, second = found.get(first_id), found.get(second_id)
    if first is None or second is None or first.parent_id is None or first.parent_id != second.parent_id:
        return None
    reports = sourced_reports(user, [first_id, second_id], [year])
    mine = reports[(first_id, year)].report.sections if (first_id, year) in reports else {}
    theirs = reports[(second_id, year)].report.sections if (second_id, year) in reports else {}
    missing = [a for a, s in ((first, mine), (second, theirs)) if not any(v.strip() for v in s.values())]
    if missing:
        return SimilarityPair(first, second, year, 0.0, [], missing)
    results = compare_reports(
        mine,
        [(second.short_name or second.name, theirs)],
        keys=NARRATIVE_SECTIONS,
        names=agency_names(first, [second]),
        thresholds=similarity_thresholds(),
    )
    shown = sorted((r for r in results if r.matches), key=lambda r: (not r.flagged, -r.share))
    rows = [
        SideBySide(
            SECTION_LABELS.get(r.section, r.section),
            r,
            highlight(r.text, [(m.start, m.end) for m in r.matches]),
            highlight(r.source_text, [(m.source_start, m.source_end) for m in r.matches if m.source_start >= 0]),
            [m.source_sentence for m in r.matches if m.source_start < 0],
        )
        for r in shown
    ]
    return SimilarityPair(first, second, year, copied_share(results), rows, [])
