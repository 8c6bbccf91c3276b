"""Key phrases that recognise the rows, columns and headings of a published report.

A published label is matched on a distinctive part of the national wording (legal spec §3.4–3.6,
§4), after :func:`~gongkai.core.report.readers.normalize.norm`, so typos elsewhere in the label
("2.其他法律行政止公开"), line breaks and numbering styles ("1、" for "1.") do not matter. Every
phrase here is checked against every other row's label by the tests: no phrase may match a
label other than its own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from gongkai.core import lazyre
from gongkai.core.report import taxonomy as tx
from gongkai.core.report.readers.normalize import norm
from gongkai.core.report.taxonomy import ReportFormat, ReviewKind, ReviewResult, Table3Key

# ---------------------------------------------------------------------------------------------
# Table 三 rows and groups (spec §3.5)
# ---------------------------------------------------------------------------------------------

T3_PHRASES: dict[Table3Key, tuple[str, ...]] = {
    Table3Key.NEW: ("本年新收", "本年度新收", "新收政府信息公开申请", "收到政府信息公开申请数量"),
    Table3Key.CARRIED_OVER: ("上年结转", "上年度结转", "上一年度结转"),
    Table3Key.GRANTED: ("予以公开",),
    Table3Key.PARTIAL: ("部分公开", "区分处理"),
    Table3Key.WITHHELD_STATE_SECRET: ("国家秘密",),
    Table3Key.WITHHELD_PROHIBITED_BY_LAW: ("禁止公开", "法律行政法规", "其他法律", "法律行政"),
    Table3Key.WITHHELD_SECURITY_STABILITY: ("三安全一稳定", "危及"),
    Table3Key.WITHHELD_THIRD_PARTY: ("第三方",),
    Table3Key.WITHHELD_INTERNAL_AFFAIRS: ("内部事务",),
    Table3Key.WITHHELD_PROCESS_INFORMATION: ("过程性",),
    Table3Key.WITHHELD_ENFORCEMENT_FILE: ("执法案卷",),
    Table3Key.WITHHELD_ADMINISTRATIVE_QUERY: ("行政查询", "查询事项"),
    Table3Key.UNAVAILABLE_NOT_HELD: ("不掌握",),
    Table3Key.UNAVAILABLE_NEEDS_CREATION: ("另行制作", "没有现成"),
    Table3Key.UNAVAILABLE_STILL_UNCLEAR: ("仍不明确", "补正后申请"),
    Table3Key.REJECTED_PETITION_COMPLAINT: ("信访", "举报投诉"),
    Table3Key.REJECTED_REPEATED: ("重复申请",),
    Table3Key.REJECTED_PUBLICATION: ("出版物",),
    Table3Key.REJECTED_EXCESSIVE: ("大量反复", "反复申请"),
    Table3Key.REJECTED_CONFIRM_EXISTING: ("行政机关确认", "重新出具", "已获取信息", "确认或重新"),
    Table3Key.OTHER_NO_CORRECTION: ("不补正", "逾期不补"),
    Table3Key.OTHER_FEE_UNPAID: ("缴纳费用", "收费通知", "未按收费"),
    Table3Key.TOTAL: ("(七)总计", "(七)合计"),
    Table3Key.CARRIED_FORWARD: ("结转下年", "下年度继续办理", "继续办理"),
}

#: Groups （三）–（六） label their sub-rows; a group printed as a single row with numbers is only
#: meaningful for （六）其他处理 (the 2019 format, and some 2021 reports).
T3_GROUP_PHRASES: dict[str, tuple[str, ...]] = {
    "withheld": ("不予公开",),
    "unavailable": ("无法提供",),
    "rejected": ("不予处理",),
    "other": ("其他处理",),
}
GROUP_PREFIX = "group:"
OTHER_GROUP = GROUP_PREFIX + tx.OUTCOME_GROUPS[5].key  # （六）其他处理
NEW = next(r.key for r in tx.TABLE3_ROWS if r.kind is tx.RowKind.INTAKE)
TOTAL = next(r.key for r in tx.TABLE3_ROWS if r.kind is tx.RowKind.TOTAL)
INTAKE_KEYS = frozenset(r.key for r in tx.TABLE3_ROWS if r.kind is tx.RowKind.INTAKE)
OUTCOME_KEYS = frozenset(r.key for r in tx.OUTCOME_ROWS)
#: The three sub-rows of （六）其他处理; the last, "3.其他", is where a single （六） row goes.
OTHER_ROWS = tuple(r.key for r in tx.OUTCOME_ROWS if GROUP_PREFIX + (r.group_key or "") == OTHER_GROUP)
OTHER_OTHER = OTHER_ROWS[-1]
#: A 2019-style （六）其他处理 row without sub-rows: read into ``other_other``.
OTHER_SINGLE = "other_single"
#: "总计" without the （七） marker: only a row label once the outcome rows have started.
TOTAL_BARE = "total_bare"
_OTHER_OTHER = lazyre.compile(r"3\.?其他(?!法律|处理)")
_BARE_TOTAL = ("总计", "合计")


def t3_events(text: str, *, other_context: bool) -> list[tuple[int, str]]:
    """Every table 三 row (or group, ``group:<key>``) whose phrase occurs in ``text``, by offset.

    ``text`` is normalised. "3.其他" is only the row ``other_other`` inside group （六）
    (``other_context``); a bare "总计" comes back as :data:`TOTAL_BARE` for the caller to judge.
    """
    if len(text) <= 120:  # a label: the same few hundred recur in every report
        return list(_t3_events_cached(text, other_context))
    return _t3_events(text, other_context)


@lru_cache(maxsize=8192)
def _t3_events_cached(text: str, other_context: bool) -> tuple[tuple[int, str], ...]:
    return tuple(_t3_events(text, other_context))


def _t3_events(text: str, other_context: bool) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for key, phrases in T3_PHRASES.items():
        offset = _first(text, phrases)
        if offset >= 0:
            found.append((offset, key))
    for group, phrases in T3_GROUP_PHRASES.items():
        offset = _first(text, phrases)
        if offset >= 0:
            found.append((offset, GROUP_PREFIX + group))
    if other_context or "其他处理" in text:
        match = _OTHER_OTHER.search(text)
        if match:
            found.append((match.start(), OTHER_OTHER))
    if not any(key == TOTAL for _, key in found):
        offset = _first(text, _BARE_TOTAL)
        if offset >= 0:
            found.append((offset, TOTAL_BARE))
    found.sort()
    return found


def _first(text: str, phrases: tuple[str, ...]) -> int:
    best = -1
    for phrase in phrases:
        at = text.find(phrase)
        if at >= 0 and (best < 0 or at < best):
            best = at
    return best


# ---------------------------------------------------------------------------------------------
# Table 三 columns (申请人情况)
# ---------------------------------------------------------------------------------------------

#: Column index → phrases of its header (the 法人或其他组织 sub-columns are 1–5).
T3_COLUMN_PHRASES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, ("自然人",)),
    (1, ("商业企业", "商业")),
    (2, ("科研机构", "科研")),
    (3, ("社会公益", "公益")),
    (4, ("法律服务",)),
    (6, ("总计", "合计")),
)
ORG_GROUP = "法人或其他组织"
#: A column headed only "法人或其他组织" (its five sub-columns not printed).
ORG_AGGREGATE = -1


def t3_column(header_texts: list[str]) -> tuple[int, int] | None:
    """The table 三 column a grid column is, from its header cells (lowest header row first).

    Returns the column (0–6, or :data:`ORG_AGGREGATE`) and the index of the header text that
    named it.
    """
    for i, text in enumerate(header_texts):
        if not text:
            continue
        if text in ("其他", "其他组织"):
            return 5, i
        for column, phrases in T3_COLUMN_PHRASES:
            if any(p in text for p in phrases):
                return column, i
        if "法人" in text:
            return ORG_AGGREGATE, i
    return None


# ---------------------------------------------------------------------------------------------
# Table 二 rows and fields (spec §3.4, §4)
# ---------------------------------------------------------------------------------------------

T2_ROW_PHRASES: dict[str, tuple[str, ...]] = {
    "regulations": ("规章",),
    "normative_documents": ("规范性文件",),
    "licensing": ("行政许可",),
    "other_services": ("其他对外管理服务", "对外管理服务"),
    "punishment": ("行政处罚",),
    "coercion": ("行政强制",),
    "fees": ("事业性收费",),
    "procurement": ("集中采购", "政府采购"),
}

T2_FIELD_PHRASES: dict[str, tuple[str, ...]] = {
    "issued": ("制发",),
    "abolished": ("废止",),
    "in_force": ("现行有效", "有效件数"),
    "decisions": ("处理决定",),
    "amount_10k_yuan": ("收费金额", "金额"),
    "made": ("新制作",),
    "published": ("新公开",),
    "total_public": ("对外公开总", "公开总数"),
    "items_last_year": ("上一年", "上年"),
    "items_change": ("增/减", "增减", "增(减)", "增加/减少"),
    "projects": ("采购项目",),
    "amount": ("采购总金额", "总金额"),
}


@lru_cache(maxsize=8192)
def t2_row(text: str) -> str | None:
    """The table 二 row a normalised label names, or None (or when it names two)."""
    keys = {key for key, phrases in T2_ROW_PHRASES.items() if _first(text, phrases) >= 0}
    if "other_services" in keys:
        keys.discard("licensing")
    return keys.pop() if len(keys) == 1 else None


def t2_events(text: str) -> list[tuple[int, str]]:
    """Every table 二 row whose phrase occurs in ``text`` (normalised), by offset."""
    found = [(at, key) for key, phrases in T2_ROW_PHRASES.items() if (at := _first(text, phrases)) >= 0]
    found.sort()
    return found


# ---------------------------------------------------------------------------------------------
# Table 四 (spec §3.6)
# ---------------------------------------------------------------------------------------------


def t4_group(texts: list[str]) -> ReviewKind | None:
    """The table 四 group a column belongs to, from its header texts."""
    joined = "|".join(texts)
    if "复议后" in joined:
        return ReviewKind.LITIGATION_AFTER_RECONSIDERATION
    if "直接起诉" in joined or "未经复议" in joined:
        return ReviewKind.LITIGATION_DIRECT
    if "行政复议" in joined:
        return ReviewKind.RECONSIDERATION
    return None


def t4_field(texts: list[str]) -> str | None:
    """The table 四 field (``ReviewResult`` value or 总计) of a column, from its header texts."""
    joined = "|".join(texts)
    if "尚未" in joined or "未审结" in joined:
        return ReviewResult.PENDING.value
    if "维持" in joined:
        return ReviewResult.UPHELD.value
    if "纠正" in joined:
        return ReviewResult.CORRECTED.value
    if "其他" in joined:
        return ReviewResult.OTHER.value
    if "总计" in joined or "合计" in joined:
        return tx.TABLE4_TOTAL_KEY
    return None


# ---------------------------------------------------------------------------------------------
# Section headings (spec §3.3) and the format (spec §4)
# ---------------------------------------------------------------------------------------------

#: Every section heading holds one of these (a cheap test before normalising a line).
_HEADING_WORDS = lazyre.compile("情况|问题|报告|概述|改进")
_HEADING_MARKER = lazyre.compile(r"^(?:第?[一二三四五六七八九十]{1,2}[.章部分]?|\d{1,2}\.)")
_SENTENCE = lazyre.compile(r"[。,;:]|\d")


class Heading(NamedTuple):
    key: str  # taxonomy.SECTION_HEADINGS key
    line: int


def heading_key(line: str) -> str | None:
    """The report section a line heads ("一、总体情况", "2、主动公开政府信息情况"), or None.

    Sub-headings in brackets ("（二）主动公开情况") are not sections. A line without a number
    counts only when it is short and the whole line is the heading (Word list numbering is lost
    in extracted text).
    """
    if len(line) > 120 or not _HEADING_WORDS.search(line):
        return None
    text = norm(line)
    if not text or len(text) > 40:
        return None
    marker = _HEADING_MARKER.match(text)
    body = text[marker.end() :] if marker else text
    if not body or body[0] == "(":
        return None
    if _SENTENCE.search(body.rstrip("。")):
        return None
    if not marker and len(body) > 24:
        return None
    return _heading_body_key(body)


def _heading_body_key(body: str) -> str | None:
    if "行政复议" in body and "诉讼" in body:
        return "table4"
    if "其他需要报告" in body or "其他需报告" in body:
        return "other"
    if "问题" in body and ("改进" in body or "存在" in body):
        return "problems"
    if "收到和处理" in body or "政府信息公开申请情况" in body:
        return "table3"
    if "主动公开政府信息" in body:
        return "table2"
    if body.startswith("总体情况") or body in ("概述", "基本情况", "总体情况"):
        return "overview"
    return None


_F2019_TABLE2 = (
    "第二十条第(九)项",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "政府集中采购",
)
_F2021_TABLE2 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量")
_F2021_TABLE3 = ("逾期未按收费通知", "缴纳费用", "逾期不补正")


def detect_format(text: str) -> tuple[ReportFormat, str | None]:
    """The national format a document follows, from its table wording (spec §4 heuristics).

    ``text`` is the whole document normalised. Returns the format and, when the content does not
    settle it, a note saying what was assumed.
    """
    old = sum(1 for marker in _F2019_TABLE2 if marker in text)
    new = sum(1 for marker in _F2021_TABLE2 if marker in text)
    if old and not new:
        return ReportFormat.F2019, None
    if new and not old:
        return ReportFormat.F2021, None
    if old and new:
        fmt = ReportFormat.F2019 if old > new else ReportFormat.F2021
        return fmt, f"表二同时有2019年和2021年格式的栏目，按{fmt.value}年格式读取"
    if any(marker in text for marker in _F2021_TABLE3):
        return ReportFormat.F2021, None
    return ReportFormat.F2021, "未能从表格内容判断报告格式，按2021年格式读取"
