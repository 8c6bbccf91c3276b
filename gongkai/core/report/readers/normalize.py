"""Text normalisation and cell values, shared by every reader.

Labels are compared after :func:`norm`: full-width forms folded (NFKC), whitespace and line
breaks inside a label removed ("商业\\n企业"), quotes dropped, "、"/"．" read as ".", other
bracket shapes read as "()" and "（7）" read as "（七）". A cell becomes a number only when it
is unambiguously one; anything else comes back as :class:`Unsure` with the reason, so a reader
leaves the cell blank with a note rather than guess (report-json.md: ``null`` is not 0).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from gongkai.core import lazyre
from gongkai.core.report.taxonomy import ValueType

_WHITESPACE = lazyre.compile(r"\s+")
_DROP = str.maketrans(
    {
        "“": None,
        "”": None,
        "‘": None,
        "’": None,
        '"': None,
        "'": None,
        "「": None,
        "」": None,
        "『": None,
        "』": None,
        "、": ".",
        "〔": "(",
        "〕": ")",
        "【": "(",
        "】": ")",
        "[": "(",
        "]": ")",
        "﹙": "(",
        "﹚": ")",
    }
)
_DIGIT_MARKER = lazyre.compile(r"\(([1-9])\)")
_CHINESE_DIGITS = "一二三四五六七八九"


def norm(text: str) -> str:
    """A label in the one shape labels are compared in (see the module docstring)."""
    # Labels and cells repeat across reports: short strings are cached (long ones would make
    # the cache hold whole documents).
    return _norm_short(text) if len(text) <= 80 else _norm(text)


@lru_cache(maxsize=16384)
def _norm_short(text: str) -> str:
    return _norm(text)


#: :data:`_DROP` as a pattern and a replacement per character: ``str.translate`` looks every
#: character of a text up in its table (a whole page: ~0.5 ms); the pattern finds the few that change.
_DROP_CHARS = lazyre.compile("[" + re.escape("".join(chr(c) for c in _DROP)) + "]")
_DROP_TO = {chr(c): to or "" for c, to in _DROP.items()}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, without its cost for the usual report text.

    CPython's NFKC decomposes and recomposes every character once one needs a change (~0.2 µs a
    character: a page of Chinese with one full-width comma costs ~0.5 ms), while its check that a
    text is already normalised is fast. Report text needs a change mostly for full-width forms
    (U+FF01–FF5E) and the ideographic space: those are replaced by their NFKC first; replacing a
    character by its NFKC leaves the text's NFKD, so its NFKC, as it was, and when the result is
    normalised it is the NFKC of the text. Otherwise: the full NFKC.
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    wide, wide_to = _wide_forms()
    folded = wide.sub(lambda m: wide_to[m.group()], text)
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)
def _wide_forms() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern of the full-width forms and the ideographic space, and the NFKC of each."""
    wide_to = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in (0x3000, *range(0xFF01, 0xFF5F))}
    return re.compile("[\u3000\uff01-\uff5e]"), wide_to


def _norm(text: str) -> str:
    folded = _WHITESPACE.sub("", nfkc(text))
    folded = _DROP_CHARS.sub(lambda m: _DROP_TO[m.group()], folded)
    return _DIGIT_MARKER.sub(lambda m: f"({_CHINESE_DIGITS[int(m.group(1)) - 1]})", folded)


def fold(text: str) -> str:
    """NFKC and trimmed, spaces kept: how a single cell's text is looked at for a number."""
    return nfkc(text).strip()


# ---------------------------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------------------------


class Got(NamedTuple):
    """A cell read for sure; ``None`` is a blank cell ("", "/", "—", "-", "无").

    ``note`` flags a value read as printed but odd (a negative count), for the report's notes.
    """

    value: int | Decimal | None
    note: str | None = None


class Unsure(NamedTuple):
    """A cell that could not be read for sure; ``message`` says why, in Chinese."""

    message: str


Reading = Got | Unsure

#: What a published table prints in a cell that has no number (report-json.md).
BLANK_MARKS: frozenset[str] = frozenset({"", "/", "\\", "-", "--", "—", "——", "–", "−", "无", "空", "/\\"})
_UNIT = r"(?:件|个|项|条|次)?"
_INT = lazyre.compile(rf"(?P<num>[+-]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)){_UNIT}")
_DEC = lazyre.compile(r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?P<unit>万元|万|元)?")
_TEN_THOUSAND = Decimal(10000)
_SPLIT_DIGITS = lazyre.compile(r"\d+(?:[\s,.]+\d+)+")
_HAS_DIGIT = lazyre.compile(r"\d")
_MAX_DIGITS = 15


def shorten(text: str, limit: int = 24) -> str:
    """A cell's text for a message: one line, at most ``limit`` characters."""
    one_line = _WHITESPACE.sub(" ", text).strip()
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def parse_cell(raw: str, value_type: ValueType = ValueType.COUNT) -> Reading:
    """Read one table cell as a count, a signed count or an amount of money.

    Thousands separators ("1,234", "1，234") and full-width digits are accepted; a trailing unit
    ("件", or "万元" for money) is dropped. Blank marks give ``Got(None)``. Two numbers in one
    cell ("2 0", a number broken over two lines), a fraction in a count, a sign on a count, or
    any other text give :class:`Unsure`.
    """
    if raw.isdigit() and raw.isascii() and len(raw) <= _MAX_DIGITS:
        return _got_digits(raw, value_type is ValueType.MONEY)
    text = _WHITESPACE.sub(" ", fold(raw))
    if text in BLANK_MARKS:
        return Got(None)
    compact = text.replace(" ", "")
    if len(compact) > 40:
        return Unsure(f"单元格内容“{shorten(text)}”不是数字")
    if value_type is ValueType.MONEY:
        match = _DEC.fullmatch(compact)
        if match is None:
            return _unsure_for(text)
        digits = match.group("num").replace(",", "")
        if len(digits) > _MAX_DIGITS + 4:
            return Unsure(f"单元格内容“{shorten(text)}”数字过长")
        if " " in text:
            return Unsure(f"单元格内容“{shorten(text)}”像是被拆开的数字，无法确定")
        try:
            amount = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the pattern only admits valid decimals
            return _unsure_for(text)
        unit = match.group("unit")
        if unit == "元":
            return Got(
                amount / _TEN_THOUSAND, f"印的是“{shorten(text)}”（单位元），已换算为 {amount / _TEN_THOUSAND} 万元"
            )
        if unit:
            return Got(amount, f"印有单位“{unit}”（{shorten(text)}），按万元读入")
        return Got(amount)
    match = _INT.fullmatch(compact)
    if match is None:
        if re.fullmatch(r"\d+\.\d+", compact):
            return Unsure(f"单元格内容“{shorten(text)}”不是整数")
        return _unsure_for(text)
    if " " in text:
        return Unsure(f"单元格内容“{shorten(text)}”像是被拆开的数字，无法确定")
    number = match.group("num").replace(",", "")
    if len(number.lstrip("+-")) > _MAX_DIGITS:
        return Unsure(f"单元格内容“{shorten(text)}”数字过长")
    value = int(number)
    if value < 0 and value_type is not ValueType.SIGNED:
        return Got(value, f"印的是负数（{shorten(text)}），照录；件数不应为负数")
    return Got(value)


@lru_cache(maxsize=8192)
def _got_digits(raw: str, money: bool) -> Got:
    """A cell of ASCII digits read (the usual cell; :class:`Got` is immutable, so one is shared)."""
    return Got(Decimal(raw) if money else int(raw))


def _unsure_for(text: str) -> Unsure:
    if _SPLIT_DIGITS.fullmatch(text) and " " in text:
        return Unsure(f"单元格内容“{shorten(text)}”像是被拆开的数字，无法确定")
    if _HAS_DIGIT.search(text):
        return Unsure(f"单元格内容“{shorten(text)}”无法读成数字")
    return Unsure(f"单元格内容“{shorten(text)}”不是数字")


def looks_numeric(raw: str) -> bool:
    """True when a cell holds a number or a blank mark (a value cell, not a label)."""
    if raw.isdigit() and raw.isascii():
        return True
    if len(raw) > 60:
        return False
    return _looks_numeric_short(raw)


@lru_cache(maxsize=16384)
def _looks_numeric_short(raw: str) -> bool:
    """:func:`looks_numeric` of a short cell (labels repeat across reports: cached)."""
    text = _WHITESPACE.sub(" ", fold(raw))
    if text in BLANK_MARKS:
        return True
    compact = text.replace(" ", "")
    return bool(_INT.fullmatch(compact) or _DEC.fullmatch(compact))
