"""Numbers stated in the narrative against the table cells they name (条例 art 50).

The report's text and its tables describe the same year's work: "本年度新收申请 30 件" and table
三's 一、本年新收 总计 should agree. :func:`narrative_numbers` finds the counts a sentence states,
:func:`check_narrative` compares each with its cell: a count is an error (X-NARRATIVE), the fee bound
a warning (X-NARRATIVE-FEE). :func:`narrative_contradictions` adds what a draft's records know (items
published) for the sign-off, which asks every one of them fixed in the text or explained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from gongkai.core.report.checks import describe_place, table3_row, table4_field_label
from gongkai.core.report.findings import Finding, Rule, describe_value
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import (
    REVIEW_RESULT_LABELS,
    TABLE4_TOTAL_KEY,
    TOTAL_COLUMN,
    ReportTable,
    ReviewKind,
    ReviewResult,
    Table3Key,
    table4_group_label,
)


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
_TABLE3_FIGURE_ROWS: dict[Figure, Table3Key] = {
    Figure.NEW: Table3Key.NEW,
    Figure.CARRIED_OVER: Table3Key.CARRIED_OVER,
    Figure.CLOSED: Table3Key.TOTAL,
    Figure.CARRIED_FORWARD: Table3Key.CARRIED_FORWARD,
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


def check_narrative(report: AnnualReport) -> list[Finding]:
    """Numbers in the text against the table cells they name; each mismatch a warning.

    Compared: 新收, 上年结转, 办结, 结转下年度 with table 三's 总计 column; 行政复议 and 行政诉讼
    (and their 维持/纠正/其他结果/尚未审结) with table 四 (诉讼 = 未经复议直接起诉 + 复议后起诉).
    "发出收费通知 N 件" bounds 表三 （六）2. 逾期未缴费: an application closed for an unpaid fee
    had a fee notice first (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号; legal spec §2.4).
    Blank cells and "余" figures are not compared. 条例 art 50: the text and the tables report the
    same year's work.
    """
    findings: list[Finding] = []
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


def _compare(report: AnnualReport, number: NarrativeNumber) -> Finding | None:
    fmt, quote = report.format, _quote(number.sentence)
    if number.figure in _TABLE3_FIGURE_ROWS:
        row = _TABLE3_FIGURE_ROWS[number.figure]
        cell = table3_row(report, row)[TOTAL_COLUMN]
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
        names = " + ".join(f"“{table4_group_label(g)}” {describe_value(c)}" for g, c in zip(groups, cells, strict=True))
        place = f"{ReportTable.TABLE4.label} {names}（“{table4_field_label(column)}” 列）= {total}"
        return _narrative_finding(number, place, total, ReportTable.TABLE4, None, column, quote, computed=True)
    if number.figure is Figure.FEE_NOTICES:
        unpaid = table3_row(report, Table3Key.OTHER_FEE_UNPAID)[TOTAL_COLUMN]
        if unpaid is None or unpaid <= number.value:
            return None
        place = describe_place(ReportTable.TABLE3, Table3Key.OTHER_FEE_UNPAID, str(TOTAL_COLUMN), fmt)
        message = (
            f"正文与表格不符：正文称发出收费通知 {number.value} 件，{place} 填报为 {unpaid}："
            f"因逾期未缴费而不再处理的申请都应先收到收费通知，前者不应少于后者"
            f"（上年发出、本年逾期的除外）。原文：“{quote}”"
        )
        return Finding(
            Rule.NARRATIVE_FEE,
            Rule.NARRATIVE_FEE.severity,
            message,
            ReportTable.TABLE3,
            Table3Key.OTHER_FEE_UNPAID,
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
) -> Finding:
    """ "正文称… N 件，<place> 填报为 M" (``computed``: ``place`` already ends with "= M")."""
    stated = place if computed else f"{place} 填报为 {cell}"
    message = f"正文与表格不符：正文称{number.label} {number.value} 件，{stated}。原文：“{quote}”"
    return Finding(
        Rule.NARRATIVE,
        Rule.NARRATIVE.severity,
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


#: The narrative-against-tables rules: sign-off asks each such finding fixed or explained.
NARRATIVE_RULES: frozenset[Rule] = frozenset({Rule.NARRATIVE, Rule.NARRATIVE_FEE})


def check_published_items(report: AnnualReport, published_items: int | None) -> list[Finding]:
    """ "主动公开政府信息 N 条" against the items the records show published in the year.

    The 2021 format has no table cell for all items published, so only a draft (whose records
    know the count) is checked: 条例 art 50 (the report states the year's 主动公开 work).
    """
    if published_items is None:
        return []
    findings: list[Finding] = []
    seen: set[int] = set()
    for number in narrative_numbers(report):
        if number.figure is not Figure.PUBLISHED or number.approximate or number.value in seen:
            continue
        seen.add(number.value)
        if number.value == published_items:
            continue
        message = (
            f"正文与记录不符：正文称主动公开信息 {number.value} 条，本系统记录本年主动公开 {published_items} 条。"
            f"原文：“{_quote(number.sentence)}”"
        )
        findings.append(
            Finding(
                Rule.NARRATIVE,
                Rule.NARRATIVE.severity,
                message,
                None,
                "published_items",
                None,
                number.value,
                published_items,
                number.sentence,
            )
        )
    return findings


@dataclass(frozen=True, slots=True)
class FeeTotals:
    """The year's fee notices as the records hold them: count, amount notified, amount collected."""

    notices: int
    amount: Decimal
    collected: Decimal


_FEE_SENTENCE = re.compile(
    r"收费通知书?\s*(?P<n>\d+)\s*件[，,、]?\s*(?:总金额|金额共?计?|共计)\s*(?P<amount>[\d,]+(?:\.\d+)?)\s*元"
    r"(?:[，,、]?\s*实际收取的?(?:总金额)?\s*(?P<collected>[\d,]+(?:\.\d+)?)\s*元)?"
)


def check_fee_records(report: AnnualReport, fees: FeeTotals | None) -> list[Finding]:
    """ "发出收费通知 N 件，总金额 X 元，实际收取的总金额 Y 元" against the fee notices recorded in the
    year (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号; 条例 art 50). Only a draft is
    checked: table 三 has no cell for amounts."""
    if fees is None:
        return []
    findings: list[Finding] = []
    for text in report.sections.values():
        for sentence in _sentences(text):
            plain = sentence.translate(_FULLWIDTH_DIGITS)
            match = _FEE_SENTENCE.search(plain)
            if match is None:
                continue
            stated = {
                "fee_notices": (Decimal(match.group("n")), Decimal(fees.notices), "发出收费通知", "件"),
                "fee_amount": (_money(match.group("amount")), fees.amount, "收费总金额", "元"),
                "fee_collected": (_money(match.group("collected")), fees.collected, "实际收取金额", "元"),
            }
            for row, (said, recorded, label, unit) in stated.items():
                if said is None or said == recorded:
                    continue
                message = (
                    f"正文与记录不符：正文称{label} {_plain(said)} {unit}，本系统记录本年{label} {_plain(recorded)} {unit}。"
                    f"原文：“{_quote(sentence)}”"
                )
                findings.append(
                    Finding(Rule.NARRATIVE, Rule.NARRATIVE.severity, message, None, row, None, said, recorded, sentence)
                )
    return findings


def _money(raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


def narrative_contradictions(
    report: AnnualReport, *, published_items: int | None = None, fees: FeeTotals | None = None
) -> list[Finding]:
    """Every number of the narrative that its tables (or the records: items published, fee notices
    and amounts) contradict: :func:`check_narrative` + :func:`check_published_items` +
    :func:`check_fee_records` (条例 art 50)."""
    return [
        *check_narrative(report),
        *check_published_items(report, published_items),
        *check_fee_records(report, fees),
    ]


def finding_key(finding: Finding) -> str:
    """A stable key of a narrative finding (rule, place, both numbers, the sentence), so that an
    explanation given for it covers it and nothing else: a changed text or table is a new finding."""
    parts = (
        finding.rule.value,
        finding.table.value if finding.table else "",
        finding.row or "",
        finding.column or "",
        str(finding.expected),
        str(finding.actual),
        " ".join((finding.quote or "").split()),
    )
    return "|".join(parts)
