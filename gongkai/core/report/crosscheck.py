"""Checks across reports: years of one agency, a region against its parts, text against tables.

A supervisor (主管部门) reads the published reports of the agencies under it and wants to know
which ones do not add up. :func:`check_report` covers one report and its previous year; this
module adds what needs more than one report, or more than the tables:

- cross-year (上年结转 = last year's 结转下年度; 表二 现行有效 continuity): :func:`audit_reports`
  pairs each report with the same agency's year N−1 and runs :func:`check_report` on the pair
  (legal spec §3.7 V6); nothing is re-implemented here;
- a parent region = the sum of its children, table 三 and 四 cell by cell (:func:`check_region_sum`);
- numbers stated in the narrative (条例 art 50: the report's text and its tables describe the same
  year) against the table cells they name (:func:`check_narrative`);
- key figures of one agency by year, with the change (:func:`compare_years`).

Every finding here is a warning: a 区政府's report often counts only its own office, a sentence
may count something a little different from the cell. Rule ids are stable (:class:`CrossRule`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from gongkai.core.report.checks import Finding, Severity, check_report, describe_place
from gongkai.core.report.model import AnnualReport, Cell, Table2Value
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    REVIEW_RESULT_LABELS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TOTAL_COLUMN,
    ReportFormat,
    ReportTable,
    ReviewKind,
    ReviewResult,
    table3_rows,
    table4_group_label,
)

Number = int | Decimal


class CrossRule(StrEnum):
    """Stable ids of the checks across reports (all warnings, see module docstring)."""

    NARRATIVE = "X-NARRATIVE"  # a number stated in the text ≠ the table cell it names
    NARRATIVE_FEE = "X-NARRATIVE-FEE"  # more 逾期未缴费 applications than 收费通知 sent
    REGION_SUM = "X-REGION-SUM"  # a parent region's cell ≠ the sum of its children's
    DUPLICATE = "X-DUPLICATE"  # two files of one agency and year with different numbers

    @property
    def severity(self) -> Severity:
        return Severity.WARNING


@dataclass(frozen=True, slots=True)
class CrossFinding:
    """A finding across reports, shaped like :class:`~gongkai.core.report.checks.Finding`.

    ``quote`` is the sentence a narrative finding is about.
    """

    rule: CrossRule
    severity: Severity
    message: str
    table: ReportTable | None = None
    row: str | None = None
    column: str | None = None
    expected: Number | None = None
    actual: Number | None = None
    quote: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "severity": self.severity.value,
            "table": None if self.table is None else self.table.value,
            "row": self.row,
            "column": self.column,
            "expected": _json_number(self.expected),
            "actual": _json_number(self.actual),
            "message": self.message,
            "quote": self.quote,
        }


AnyFinding = Finding | CrossFinding


class Verdict(StrEnum):
    """One report's outcome in an audit of many."""

    CONSISTENT = "consistent"
    ERRORS = "errors"
    WARNINGS = "warnings"
    UNREADABLE = "unreadable"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.CONSISTENT: "一致",
    Verdict.ERRORS: "有错误",
    Verdict.WARNINGS: "有警告",
    Verdict.UNREADABLE: "无法读取",
}


def verdict(findings: Iterable[AnyFinding]) -> Verdict:
    """有错误 when any finding is an error, else 有警告 when any finding at all, else 一致."""
    items = list(findings)
    if any(f.is_error for f in items):
        return Verdict.ERRORS
    return Verdict.WARNINGS if items else Verdict.CONSISTENT


def count_errors(findings: Iterable[AnyFinding]) -> tuple[int, int]:
    """(errors, warnings)."""
    items = list(findings)
    errors = sum(1 for f in items if f.is_error)
    return errors, len(items) - errors


# ---------------------------------------------------------------------------------------------
# Narrative numbers
# ---------------------------------------------------------------------------------------------


class Figure(StrEnum):
    """What a number in the narrative counts."""

    NEW = "new"  # 本年新收 / 受理 applications → 表三 一、本年新收 总计
    CARRIED_OVER = "carried_over"  # 上年结转 → 表三 二、上年结转 总计
    CLOSED = "closed"  # 办结 / 答复 → 表三 （七）总计 总计
    CARRIED_FORWARD = "carried_forward"  # 结转下年度 / 顺延到下年度 → 表三 四、结转下年度 总计
    RECONSIDERATION = "reconsideration"  # 行政复议 N 件 (and its results) → 表四 行政复议
    LITIGATION = "litigation"  # 行政诉讼 N 件 → 表四 both litigation groups together
    FEE_NOTICES = "fee_notices"  # 发出收费通知 N 件 (no cell; bounds 逾期未缴费)
    PUBLISHED = "published"  # 主动公开信息 N 条 (no cell in the 2021 format)

    @property
    def label(self) -> str:
        return FIGURE_LABELS[self]


FIGURE_LABELS: dict[Figure, str] = {
    Figure.NEW: "本年新收申请",
    Figure.CARRIED_OVER: "上年结转申请",
    Figure.CLOSED: "本年办结申请",
    Figure.CARRIED_FORWARD: "结转下年度申请",
    Figure.RECONSIDERATION: "行政复议",
    Figure.LITIGATION: "行政诉讼",
    Figure.FEE_NOTICES: "发出收费通知",
    Figure.PUBLISHED: "主动公开信息",
}

#: Figures whose table 三 cell is the 总计 column of one row.
_TABLE3_FIGURE_ROWS: dict[Figure, str] = {
    Figure.NEW: "new",
    Figure.CARRIED_OVER: "carried_over",
    Figure.CLOSED: "total",
    Figure.CARRIED_FORWARD: "carried_forward",
}


@dataclass(frozen=True, slots=True)
class NarrativeNumber:
    """A count stated in the report's text: what it counts, the value, and the sentence.

    ``result`` is set for a table 四 result (维持/纠正/其他/尚未审结) of ``figure``;
    ``approximate`` when the text says "余" (5500 余条), which is never compared.
    """

    figure: Figure
    value: int
    sentence: str
    section: str = ""
    result: ReviewResult | None = None
    approximate: bool = False

    @property
    def label(self) -> str:
        if self.result is None:
            return self.figure.label
        return f"{self.figure.label}{REVIEW_RESULT_LABELS[self.result]}"


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９　", "0123456789 ")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+|[零〇一二两三四五六七八九十]{1,3})"
_UNIT = r"\s*(?P<approx>余|多)?\s*(?:件|条|份|个|起|宗)"
_SEP = r"\s*(?:共计|总计|合计|共|达|为|是|：|:)*\s*"


def _gap(n: int) -> str:
    """Up to ``n`` characters inside one clause: no digit, no clause or sentence break."""
    return rf"[^\d，,。；;！？!?（）()、]{{0,{n}}}?"


#: (figure, pattern). Each pattern has a ``num`` group; the text between the keyword and the
#: number (the ``gap`` group where present) is checked against :data:`_SUBSET_WORDS`.
_PATTERNS: tuple[tuple[Figure, re.Pattern[str]], ...] = (
    (
        Figure.NEW,
        re.compile(rf"(?:新收|受理|收到|接收|接到)(?P<gap>{_gap(16)})申请(?:数量|总数|数)?{_SEP}{_NUM}{_UNIT}"),
    ),
    (Figure.CARRIED_OVER, re.compile(rf"上一?年度?结转(?P<gap>{_gap(16)}){_SEP}{_NUM}{_UNIT}")),
    (Figure.CARRIED_FORWARD, re.compile(rf"结转(?:至|到)?下一?年度?(?P<gap>{_gap(20)}){_SEP}{_NUM}{_UNIT}")),
    (Figure.CARRIED_FORWARD, re.compile(rf"{_NUM}{_UNIT}(?P<gap>{_gap(8)})(?:结转|顺延|转)(?:至|到)?下一?年度?")),
    (Figure.CLOSED, re.compile(rf"办结(?P<gap>{_gap(12)}){_SEP}{_NUM}{_UNIT}")),
    (Figure.CLOSED, re.compile(rf"(?:答复|办理完毕|处理完毕)(?P<gap>(?:申请)?){_SEP}{_NUM}{_UNIT}")),
    (Figure.RECONSIDERATION, re.compile(rf"行政复议(?P<gap>(?:案件|申请)?){_SEP}{_NUM}{_UNIT}")),
    (Figure.LITIGATION, re.compile(rf"行政诉讼(?P<gap>(?:案件)?){_SEP}{_NUM}{_UNIT}")),
    (
        Figure.FEE_NOTICES,
        re.compile(rf"(?:发出|送达|出具|发送)了?(?P<gap>(?:信息处理费)?)收费通知书?{_SEP}{_NUM}{_UNIT}"),
    ),
    (Figure.PUBLISHED, re.compile(rf"主动(?:公开|发布)(?P<gap>{_gap(16)}){_SEP}{_NUM}\s*(?P<approx>余|多)?\s*条")),
)

#: A gap with one of these words counts a part, not the whole (其中网上申请, 行政复议申请 …).
_SUBSET_WORDS = (
    "其中",
    "复议",
    "诉讼",
    "予以公开",
    "部分公开",
    "不予",
    "无法提供",
    "不予处理",
    "网上",
    "网页",
    "网站",
    "信函",
    "当面",
    "现场",
    "邮寄",
    "传真",
    "电子邮件",
    "自然人",
    "企业",
    "法人",
    "规章",
    "文件",
    "规范性",
    "举报",
    "投诉",
    "信访",
    "依申请",
)
#: Table 四 results stated after "行政复议 N 件，其中…".
_RESULT_PATTERNS: tuple[tuple[ReviewResult, re.Pattern[str]], ...] = (
    (ReviewResult.UPHELD, re.compile(rf"(?:结果)?维持(?:原?[^\d，,。；;]{{0,4}}?)?{_SEP}{_NUM}{_UNIT}")),
    (ReviewResult.CORRECTED, re.compile(rf"(?:结果)?纠正{_SEP}{_NUM}{_UNIT}")),
    (ReviewResult.OTHER, re.compile(rf"其他结果{_SEP}{_NUM}{_UNIT}")),
    (ReviewResult.PENDING, re.compile(rf"(?:尚未|未)审结{_SEP}{_NUM}{_UNIT}")),
)
_REVIEW_KEYWORD = re.compile(r"行政复议|行政诉讼")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_CLAUSE_BREAK = "，,、："
_QUOTE_MAX = 90


def narrative_numbers(report: AnnualReport) -> list[NarrativeNumber]:
    """Every count the narrative states that this module knows how to place, in text order.

    Full-width digits ("２９件") read as half-width; "3,119件" with thousands separators; small
    numbers in Chinese characters ("两件"); "共计/合计/为" between the words and the number; units
    件/条/份/个/起/宗. A clause starting with "其中" counts a part and is skipped, except for the
    table 四 results that follow "行政复议 N 件，其中…".
    """
    found: list[NarrativeNumber] = []
    for section, text in report.sections.items():
        for sentence in _sentences(text):
            found.extend(_numbers_in(sentence, section))
    return found


def _sentences(text: str) -> Iterable[str]:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start : match.start()].strip()
        if piece:
            yield piece
        start = match.end()
    tail = text[start:].strip()
    if tail:
        yield tail


def _numbers_in(sentence: str, section: str) -> list[NarrativeNumber]:
    plain = sentence.translate(_FULLWIDTH_DIGITS)  # same length: positions map back 1:1
    found: list[tuple[int, NarrativeNumber]] = []
    taken: list[tuple[int, int]] = []
    for figure, pattern in _PATTERNS:
        for match in pattern.finditer(plain):
            span = match.span("num")
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue  # one number is one figure: the first pattern that places it wins
            gap = match.group("gap") or ""
            if any(word in gap for word in _SUBSET_WORDS) or _in_subset_clause(plain, match.start()):
                continue
            value = _to_int(match.group("num"))
            if value is None:
                continue
            taken.append(span)
            number = NarrativeNumber(figure, value, sentence, section, None, bool(match.group("approx")))
            found.append((match.start(), number))
            if figure in (Figure.RECONSIDERATION, Figure.LITIGATION):
                found.extend(_results_after(plain, sentence, section, figure, match.end(), taken))
    return [n for _, n in sorted(found, key=lambda item: item[0])]


def _results_after(
    plain: str, sentence: str, section: str, figure: Figure, start: int, taken: list[tuple[int, int]]
) -> list[tuple[int, NarrativeNumber]]:
    """The 维持/纠正/其他结果/尚未审结 counts after a 复议 or 诉讼 total, up to the next such total."""
    following = _REVIEW_KEYWORD.search(plain, start)
    stop = following.start() if following else len(plain)
    found: list[tuple[int, NarrativeNumber]] = []
    for result, pattern in _RESULT_PATTERNS:
        match = pattern.search(plain, start, stop)
        if match is None:
            continue
        value = _to_int(match.group("num"))
        if value is None:
            continue
        taken.append(match.span("num"))
        number = NarrativeNumber(figure, value, sentence, section, result, bool(match.group("approx")))
        found.append((match.start(), number))
    return found


def _in_subset_clause(text: str, at: int) -> bool:
    """True when the clause holding position ``at`` starts with "其中" (or follows a bare "其中，")."""
    begin = max(text.rfind(c, 0, at) for c in _CLAUSE_BREAK) + 1
    clause = text[begin:at].lstrip()
    if clause.startswith("其中"):
        return True
    previous_begin = max(text.rfind(c, 0, max(begin - 1, 0)) for c in _CLAUSE_BREAK) + 1
    return begin > 0 and text[previous_begin : begin - 1].strip() == "其中"


def _to_int(raw: str) -> int | None:
    if raw[0].isdigit():
        return int(raw.replace(",", ""))
    # Chinese numerals up to 99: 两, 十二, 二十, 二十九.
    if "十" in raw:
        tens, _, units = raw.partition("十")
        if len(tens) > 1 or len(units) > 1:
            return None
        high = _CN_DIGITS.get(tens, 1 if tens == "" else -100)
        low = _CN_DIGITS.get(units, 0 if units == "" else -100)
        value = high * 10 + low
        return value if value >= 0 else None
    if len(raw) != 1:
        return None
    return _CN_DIGITS.get(raw)


def check_narrative(report: AnnualReport) -> list[CrossFinding]:
    """Numbers in the text against the table cells they name; each mismatch a warning.

    Compared: 新收, 上年结转, 办结, 结转下年度 with table 三's 总计 column; 行政复议 and 行政诉讼
    (and their 维持/纠正/其他结果/尚未审结) with table 四 (诉讼 = 未经复议直接起诉 + 复议后起诉).
    "发出收费通知 N 件" bounds 表三 （六）2. 逾期未缴费: an application closed for an unpaid fee
    had a fee notice first (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号; legal spec §2.4).
    Blank cells and "余" figures are not compared. 条例 art 50: the text and the tables report the
    same year's work.
    """
    findings: list[CrossFinding] = []
    seen: set[tuple[Figure, ReviewResult | None, int]] = set()
    for number in narrative_numbers(report):
        key = (number.figure, number.result, number.value)
        if number.approximate or key in seen:
            continue
        seen.add(key)
        finding = _compare(report, number)
        if finding is not None:
            findings.append(finding)
    return findings


def _compare(report: AnnualReport, number: NarrativeNumber) -> CrossFinding | None:
    fmt, quote = report.format, _quote(number.sentence)
    if number.figure in _TABLE3_FIGURE_ROWS:
        row = _TABLE3_FIGURE_ROWS[number.figure]
        cell = _cell3(report, row, TOTAL_COLUMN)
        if cell is None or cell == number.value:
            return None
        place = describe_place(ReportTable.TABLE3, row, str(TOTAL_COLUMN), fmt)
        return _narrative_finding(number, place, cell, ReportTable.TABLE3, row, str(TOTAL_COLUMN), quote)
    if number.figure is Figure.RECONSIDERATION:
        column = TABLE4_TOTAL_KEY if number.result is None else number.result.value
        group = ReviewKind.RECONSIDERATION.value
        cell = report.table4.get(group, {}).get(column)
        if cell is None or cell == number.value:
            return None
        place = describe_place(ReportTable.TABLE4, group, column, fmt)
        return _narrative_finding(number, place, cell, ReportTable.TABLE4, group, column, quote)
    if number.figure is Figure.LITIGATION:
        column = TABLE4_TOTAL_KEY if number.result is None else number.result.value
        groups = (ReviewKind.LITIGATION_DIRECT, ReviewKind.LITIGATION_AFTER_RECONSIDERATION)
        cells = [report.table4.get(g.value, {}).get(column) for g in groups]
        if all(c is None for c in cells):
            return None
        total = sum(c or 0 for c in cells)
        if total == number.value:
            return None
        names = " + ".join(f"“{table4_group_label(g)}” {_fmt(c)}" for g, c in zip(groups, cells, strict=True))
        place = f"{ReportTable.TABLE4.label} {names}（“{_table4_field(column)}” 列）= {total}"
        return _narrative_finding(number, place, total, ReportTable.TABLE4, None, column, quote, computed=True)
    if number.figure is Figure.FEE_NOTICES:
        unpaid = _cell3(report, "other_fee_unpaid", TOTAL_COLUMN)
        if unpaid is None or unpaid <= number.value:
            return None
        place = describe_place(ReportTable.TABLE3, "other_fee_unpaid", str(TOTAL_COLUMN), fmt)
        message = (
            f"正文与表格不符：正文称发出收费通知 {number.value} 件，{place} 填报为 {unpaid}："
            f"因逾期未缴费而不再处理的申请都应先收到收费通知，前者不应少于后者"
            f"（上年发出、本年逾期的除外）。原文：“{quote}”"
        )
        return CrossFinding(
            CrossRule.NARRATIVE_FEE,
            CrossRule.NARRATIVE_FEE.severity,
            message,
            ReportTable.TABLE3,
            "other_fee_unpaid",
            str(TOTAL_COLUMN),
            number.value,
            unpaid,
            number.sentence,
        )
    return None  # PUBLISHED: no table cell counts all items published


def _narrative_finding(
    number: NarrativeNumber,
    place: str,
    cell: int,
    table: ReportTable,
    row: str | None,
    column: str,
    quote: str,
    *,
    computed: bool = False,
) -> CrossFinding:
    """ "正文称… N 件，<place> 填报为 M" (``computed``: ``place`` already ends with "= M")."""
    stated = place if computed else f"{place} 填报为 {cell}"
    message = f"正文与表格不符：正文称{number.label} {number.value} 件，{stated}。原文：“{quote}”"
    return CrossFinding(
        CrossRule.NARRATIVE,
        CrossRule.NARRATIVE.severity,
        message,
        table,
        row,
        column,
        number.value,
        cell,
        number.sentence,
    )


def _quote(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


# ---------------------------------------------------------------------------------------------
# A region against its parts
# ---------------------------------------------------------------------------------------------

REGION_CAVEAT = "区县、市政府的年度报告常只统计政府本级（办公室）的申请，不一定是全区合计；如属此情形，可不理会本提示"


def check_region_sum(parent: AnnualReport, children: Sequence[AnnualReport]) -> list[CrossFinding]:
    """Each cell of tables 三 and 四 of ``parent`` against the sum of its ``children``'s cells.

    A warning, never an error: many a 区政府's report covers only its own office (the message
    says so). Children of another year than ``parent`` are left out; cells blank in the parent
    and in every child are not compared; a blank child cell counts as 0.
    """
    same_year = [c for c in children if parent.year is None or c.year is None or c.year == parent.year]
    if not same_year:
        return []
    fmt = parent.format
    who = f"{len(same_year)} 份下级机关报告"
    findings: list[CrossFinding] = []
    for row in table3_rows(fmt):
        for col in range(COLUMN_COUNT):
            own = _cell3(parent, row.key, col)
            parts = [_cell3(c, row.key, col) for c in same_year]
            finding = _region_cell(ReportTable.TABLE3, row.key, str(col), own, parts, fmt, who)
            if finding is not None:
                findings.append(finding)
    for group in TABLE4_GROUPS:
        for name in TABLE4_FIELDS:
            own = parent.table4.get(group.value, {}).get(name)
            parts = [c.table4.get(group.value, {}).get(name) for c in same_year]
            finding = _region_cell(ReportTable.TABLE4, group.value, name, own, parts, fmt, who)
            if finding is not None:
                findings.append(finding)
    return findings


def _region_cell(
    table: ReportTable, row: str, column: str, own: Cell, parts: list[Cell], fmt: ReportFormat, who: str
) -> CrossFinding | None:
    if own is None and all(p is None for p in parts):
        return None
    total = sum(p or 0 for p in parts)
    if total == (own or 0):
        return None
    message = (
        f"{describe_place(table, row, column, fmt)}：本级报告填报为 {_fmt(own)}，{who}合计为 {total}，"
        f"两者不等（{REGION_CAVEAT}）"
    )
    return CrossFinding(
        CrossRule.REGION_SUM, CrossRule.REGION_SUM.severity, message, table, row, column, total, own or 0
    )


_GOVERNMENT_SUFFIXES = ("人民政府", "政府")


def region_prefix(agency: str | None) -> str | None:
    """ "北京市密云区" for "北京市密云区人民政府"; None for a name that is not a 政府's."""
    if not agency:
        return None
    name = squash(agency)
    for suffix in _GOVERNMENT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return None


def infer_children(parent: AnnualReport, reports: Sequence[AnnualReport]) -> list[AnnualReport]:
    """The reports of the agencies directly below a 政府, by name, when no agency tree is known.

    A child's name holds the region's name ("北京市密云区人民政府" → "北京市密云区果园街道办事处");
    an agency below a child government (a 街道 of a 区, under a 市) is the child's, not the
    parent's. Same year only.
    """
    prefix = region_prefix(parent.agency)
    if prefix is None:
        return []
    own = squash(parent.agency or "")
    inside = [
        r
        for r in reports
        if r.agency and squash(r.agency) != own and prefix in squash(r.agency) and _same_year(parent, r)
    ]
    sub_regions = [p for p in (region_prefix(r.agency) for r in inside) if p is not None and p != prefix]
    return [
        r
        for r in inside
        if not any(sub in squash(r.agency or "") and sub != region_prefix(r.agency) for sub in sub_regions)
    ]


def _same_year(a: AnnualReport, b: AnnualReport) -> bool:
    return a.year is not None and a.year == b.year


# ---------------------------------------------------------------------------------------------
# Many reports at once
# ---------------------------------------------------------------------------------------------


def squash(text: str) -> str:
    """A name without any whitespace (PDF text puts spaces inside names)."""
    return "".join(text.split())


def same_agency(a: str | None, b: str | None) -> bool:
    """True for the same name, or one the tail of the other ("洪泽区人民政府", "淮安市洪泽区人民政府")."""
    if not a or not b:
        return False
    x, y = squash(a), squash(b)
    if x == y:
        return True
    short, long = sorted((x, y), key=len)
    return len(short) >= 5 and long.endswith(short)


@dataclass(frozen=True, slots=True)
class Entry:
    """One report in a set: its file (or record) name, the report, and the agency name to group by.

    ``agency`` overrides ``report.agency`` where the caller knows the agency better (a record
    matched to an agency of the database).
    """

    name: str
    report: AnnualReport
    agency: str | None = None

    @property
    def agency_name(self) -> str | None:
        return self.agency or self.report.agency


@dataclass(slots=True)
class EntryResult:
    """The findings of one entry, and which other entries they were checked against."""

    entry: Entry
    findings: list[AnyFinding] = field(default_factory=list)
    previous: Entry | None = None
    children: list[Entry] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        return verdict(self.findings)


ChildrenOf = Callable[[Entry, Sequence[Entry]], Sequence[Entry]]


def children_by_name(entry: Entry, pool: Sequence[Entry]) -> list[Entry]:
    """:func:`infer_children` on entries."""
    named = [_with_agency(e) for e in pool]
    ids = {id(r) for r in infer_children(_with_agency(entry), named)}
    return [e for e, r in zip(pool, named, strict=True) if id(r) in ids]


def audit_reports(
    entries: Sequence[Entry],
    context: Sequence[Entry] = (),
    children_of: ChildrenOf | None = None,
) -> list[EntryResult]:
    """Check every entry alone, against its previous year, its text, its children, its twins.

    ``context`` holds reports checked against but not reported on (earlier uploads). For each
    entry: :func:`check_report` with the same agency's report of year N−1 when one is in
    ``entries`` or ``context`` (V6, 表二 现行有效; spec §3.7), then :func:`check_narrative`, then
    :func:`check_region_sum` with ``children_of(entry, pool)`` when given (:func:`children_by_name`
    guesses them from names; a caller with an agency tree knows better, and only a complete set
    of children makes the sum meaningful), then X-DUPLICATE for another file of the same agency and year whose numbers differ.
    """
    pool = [*entries, *context]
    results: list[EntryResult] = []
    for entry in entries:
        report = entry.report
        previous = _previous(entry, pool)
        findings: list[AnyFinding] = list(check_report(report, previous.report if previous else None))
        findings += check_narrative(report)
        children = list(children_of(entry, pool)) if children_of and report.year is not None else []
        if children:
            findings += check_region_sum(report, [c.report for c in children])
        findings += _duplicates(entry, pool)
        results.append(EntryResult(entry, findings, previous, children))
    return results


def _previous(entry: Entry, pool: Sequence[Entry]) -> Entry | None:
    year = entry.report.year
    if year is None:
        return None
    for other in pool:
        if other.report.year == year - 1 and same_agency(other.agency_name, entry.agency_name):
            return other
    return None


def _duplicates(entry: Entry, pool: Sequence[Entry]) -> list[CrossFinding]:
    year = entry.report.year
    if year is None:
        return []
    findings: list[CrossFinding] = []
    for other in pool:
        if other is entry or other.report.year != year or not same_agency(other.agency_name, entry.agency_name):
            continue
        if _numbers(other.report) == _numbers(entry.report):
            continue
        message = (
            f"另一份文件“{other.name}”也是{entry.agency_name or ''}{year}年的报告，但两者的表格数字不同"
            "（可能是更正后重新发布的版本），请确认以哪一份为准"
        )
        findings.append(CrossFinding(CrossRule.DUPLICATE, CrossRule.DUPLICATE.severity, message))
    return findings


def _numbers(report: AnnualReport) -> dict[str, Any]:
    data = report.to_dict(include_extras=False)
    return {k: data[k] for k in ("table2", "table3", "table4")}


def _with_agency(entry: Entry) -> AnnualReport:
    if entry.agency is None or entry.agency == entry.report.agency:
        return entry.report
    report = AnnualReport.from_dict(entry.report.to_dict())
    report.agency = entry.agency
    return report


# ---------------------------------------------------------------------------------------------
# Years compared
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyFigure:
    key: str
    label: str
    unit: str
    value: Callable[[AnnualReport], Number | None]


def _t3(row: str) -> Callable[[AnnualReport], Number | None]:
    return lambda r: _cell3(r, row, TOTAL_COLUMN)


def _t3_group(prefix: str) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        cells = [_cell3(report, r.key, TOTAL_COLUMN) for r in table3_rows(report.format) if r.key.startswith(prefix)]
        return None if all(c is None for c in cells) else sum(c or 0 for c in cells)

    return value


def _t4(groups: tuple[ReviewKind, ...], name: str) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        cells = [report.table4.get(g.value, {}).get(name) for g in groups]
        return None if all(c is None for c in cells) else sum(c or 0 for c in cells)

    return value


def _t2(row: str, name: str) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        cell: Table2Value = report.table2.get(row, {}).get(name)
        return cell

    return value


def _narrated(figure: Figure) -> Callable[[AnnualReport], Number | None]:
    def value(report: AnnualReport) -> Number | None:
        for number in narrative_numbers(report):
            if number.figure is figure and number.result is None:
                return number.value
        return None

    return value


_LITIGATION = (ReviewKind.LITIGATION_DIRECT, ReviewKind.LITIGATION_AFTER_RECONSIDERATION)
_ALL_REVIEWS = tuple(ReviewKind)

KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("new", "本年新收申请", "件", _t3("new")),
    KeyFigure("carried_over", "上年结转申请", "件", _t3("carried_over")),
    KeyFigure("closed", "办结（总计）", "件", _t3("total")),
    KeyFigure("carried_forward", "结转下年度", "件", _t3("carried_forward")),
    KeyFigure("granted", "予以公开", "件", _t3("granted")),
    KeyFigure("partial", "部分公开", "件", _t3("partial")),
    KeyFigure("withheld", "不予公开", "件", _t3_group("withheld_")),
    KeyFigure("unavailable", "无法提供", "件", _t3_group("unavailable_")),
    KeyFigure("rejected", "不予处理", "件", _t3_group("rejected_")),
    KeyFigure("reconsideration", "行政复议", "件", _t4((ReviewKind.RECONSIDERATION,), TABLE4_TOTAL_KEY)),
    KeyFigure("litigation", "行政诉讼", "件", _t4(_LITIGATION, TABLE4_TOTAL_KEY)),
    KeyFigure("corrected", "复议、诉讼结果纠正", "件", _t4(_ALL_REVIEWS, ReviewResult.CORRECTED.value)),
    KeyFigure("normative_in_force", "现行有效规范性文件", "件", _t2("normative_documents", "in_force")),
    KeyFigure("licensing", "行政许可决定", "件", _t2("licensing", "decisions")),
    KeyFigure("punishment", "行政处罚决定", "件", _t2("punishment", "decisions")),
    KeyFigure("fees", "行政事业性收费（万元）", "万元", _t2("fees", "amount_10k_yuan")),
    KeyFigure("published", "主动公开信息（正文）", "条", _narrated(Figure.PUBLISHED)),
)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One key figure across the years: ``values[i]`` for ``years[i]``, ``changes[i]`` from the year before."""

    key: str
    label: str
    values: tuple[Number | None, ...]
    changes: tuple[Number | None, ...]
    percents: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class YearComparison:
    agency: str | None
    years: tuple[int, ...]
    rows: tuple[ComparisonRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "years": list(self.years),
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "values": [_json_number(v) for v in r.values],
                    "changes": [_json_number(v) for v in r.changes],
                    "percents": [None if p is None else format(p, "f") for p in r.percents],
                }
                for r in self.rows
            ],
        }


def compare_years(reports: Sequence[AnnualReport]) -> YearComparison:
    """Key figures of one agency's reports by year (oldest first), each with its change.

    The change is against the nearest earlier year given; a report without a year is left out,
    and of two reports of one year the first is used.
    """
    by_year: dict[int, AnnualReport] = {}
    for report in reports:
        if report.year is not None and report.year not in by_year:
            by_year[report.year] = report
    years = tuple(sorted(by_year))
    agency = next((by_year[y].agency for y in reversed(years) if by_year[y].agency), None)
    rows: list[ComparisonRow] = []
    for figure in KEY_FIGURES:
        values = tuple(figure.value(by_year[y]) for y in years)
        changes: list[Number | None] = [None]
        percents: list[Decimal | None] = [None]
        for before, now in pairwise(values):
            if before is None or now is None:
                changes.append(None)
                percents.append(None)
                continue
            changes.append(now - before)
            percents.append(
                None if before == 0 else (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"))
            )
        rows.append(
            ComparisonRow(figure.key, figure.label, values, tuple(changes[: len(years)]), tuple(percents[: len(years)]))
        )
    return YearComparison(agency, years, tuple(rows))


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _cell3(report: AnnualReport, row: str, col: int) -> Cell:
    values = report.table3.get(row)
    if values is None or len(values) != COLUMN_COUNT:
        return None
    return values[col]


def _table4_field(name: str) -> str:
    return "总计" if name == TABLE4_TOTAL_KEY else REVIEW_RESULT_LABELS[ReviewResult(name)]


def _fmt(value: Table2Value) -> str:
    if value is None:
        return "空白"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _json_number(value: Number | None) -> int | str | None:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


__all__ = [
    "KEY_FIGURES",
    "REGION_CAVEAT",
    "AnyFinding",
    "ComparisonRow",
    "CrossFinding",
    "CrossRule",
    "Entry",
    "EntryResult",
    "Figure",
    "NarrativeNumber",
    "Verdict",
    "audit_reports",
    "check_narrative",
    "check_region_sum",
    "children_by_name",
    "compare_years",
    "count_errors",
    "infer_children",
    "narrative_numbers",
    "region_prefix",
    "same_agency",
    "verdict",
]
