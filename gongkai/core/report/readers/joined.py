"""Tables whose cells ran together in the text: the digits after each row label, split by the
report's own arithmetic (:mod:`.rundigits`).

Used only to fill the cells the grids and the token stream (:mod:`.stream`) left unread. The
text of a table's lines is folded into one string that remembers where whitespace was (a
boundary between cells that is certain); each row label found in it (:mod:`.labels`) owns the
digits between its key phrase and the next label. A row number run into the previous row's digits
("…00000002.其他法律…") is the digit before the "." and is cut off.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from gongkai.core import lazyre
from gongkai.core.report import taxonomy as tx
from gongkai.core.report.readers import rundigits
from gongkai.core.report.readers.labels import (
    GROUP_PREFIX,
    NEW,
    OTHER_GROUP,
    OTHER_OTHER,
    OTHER_ROWS,
    TOTAL,
    TOTAL_BARE,
    t2_events,
    t3_events,
)
from gongkai.core.report.readers.normalize import Got, Unsure
from gongkai.core.report.readers.regions import is_row_label
from gongkai.core.report.readers.tables import TableReading
from gongkai.core.report.taxonomy import COLUMN_COUNT, ReportFormat, ReportTable, ValueType

_DROP = str.maketrans(
    {"“": None, "”": None, "‘": None, "’": None, '"': None, "'": None, "「": None, "」": None}
    | {"、": ".", "〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "﹙": "(", "﹚": ")"}
)
_DIGIT_MARKER = lazyre.compile(r"\(([1-9])\)")
_CHINESE_DIGITS = "一二三四五六七八九"
#: A region longer than this is not a table (and is not scanned character by character).
MAX_REGION_CHARS = 60_000
JOINED_NOTE = "数字在文字中连在一起（表格在转换中丢失了单元格边界），已按表中合计关系拆分"


class Folded:
    """The text of some lines folded like :func:`~.normalize.norm` (whitespace dropped), with
    ``cut[i]`` True when whitespace or a line end stood before character ``i``."""

    def __init__(self, lines: Sequence[str]) -> None:
        chars: list[str] = []
        cut: list[bool] = []
        pending = True
        for line in lines:
            for ch in unicodedata.normalize("NFKC", line).translate(_DROP):
                if ch.isspace():
                    pending = True
                    continue
                chars.append(ch)
                cut.append(pending)
                pending = False
            pending = True
        text = "".join(chars)
        self.text = _DIGIT_MARKER.sub(lambda m: f"({_CHINESE_DIGITS[int(m.group(1)) - 1]})", text)
        self.cut = cut

    def runs(self, start: int, end: int) -> list[str]:
        """The digits of ``text[start:end]`` cut where whitespace stood."""
        out: list[str] = []
        for i in range(start, end):
            if self.cut[i] or not out:
                out.append("")
            out[-1] += self.text[i]
        return out


def _digit_tail(folded: Folded, start: int, end: int) -> tuple[int, int] | None:
    """The span of the digits ending a label's text ``[start, end)``; a row number run into them
    ("…0002." before the next label) is cut off. None when the label's text holds other digits."""
    text = folded.text
    k = end
    while k > start and not text[k - 1].isdigit():
        k -= 1
    if k == start:
        return None
    stop = k
    if k < len(text) and text[k] == "." and k - 1 > start:
        stop = k - 1  # the next row's number ("2.") run into this row's digits
    j = stop
    while j > start and text[j - 1].isdigit():
        j -= 1
    if j == stop or any(ch.isdigit() for ch in text[start:j]):
        return None
    return j, stop


def _label_begin(text: str, offset: int, floor: int) -> int:
    """Where the label whose key phrase is at ``offset`` starts: back over its own text (not digits)."""
    k = offset
    while k > floor and not text[k - 1].isdigit():
        k -= 1
    return k


def read_table3(lines: Sequence[str], span: tuple[int, int], fmt: ReportFormat) -> TableReading:
    """Table 三 from text whose cells ran together (spec §3.5, sums of §3.7 V1–V3)."""
    reading = TableReading(ReportTable.TABLE3)
    region = lines[span[0] : span[1]]
    if sum(len(line) for line in region) > MAX_REGION_CHARS:
        return reading
    folded = Folded(region)
    text = folded.text
    events = _t3_row_events(text)
    if not events:
        return reading
    runs: dict[str, list[str]] = {}
    for i, (offset, key) in enumerate(events):
        end = events[i + 1][0] if i + 1 < len(events) else len(text)
        if i + 1 < len(events):
            end = _label_begin(text, events[i + 1][0], offset)
        else:
            # The last row: its digits are the first run after its label.
            m = lazyre.compile(r"\d+").search(text, offset)
            end = min(len(text), _run_end(folded, m.start())) if m else offset
        if key.startswith(GROUP_PREFIX):
            continue
        marker = _LEADING_MARKER.match(text, offset)
        tail = _digit_tail(folded, marker.end() if marker else offset, end)
        if tail is None:
            continue
        row_runs = folded.runs(*tail)
        if len(row_runs) < COLUMN_COUNT:  # cells with their boundaries are the token stream's
            runs[key] = row_runs
    if not runs:
        return reading
    keys = {r.key for r in tx.table3_rows(fmt)}
    outcome = [r.key for r in tx.OUTCOME_ROWS if r.key in keys]
    equations: list[rundigits.Equation] = [
        ((tx.Table3Key.NEW, 1), (tx.Table3Key.CARRIED_OVER, 1), (TOTAL, -1), (tx.Table3Key.CARRIED_FORWARD, -1)),
        ((TOTAL, 1), *((key, -1) for key in outcome)),
    ]
    values, reasons = rundigits.solve_rows(runs, COLUMN_COUNT, equations)
    split_count = 0
    for key in runs:
        reading.rows.add(key)
        row_values = values.get(key)
        split_count += 1
        for c in range(COLUMN_COUNT):
            value = None if row_values is None else row_values[c]
            if value is None:
                reading.put(key, str(c), Unsure(reasons.get(key, "数字连在一起，无法确定")))
            else:
                reading.put(key, str(c), Got(value))
    if split_count:
        reading.note(JOINED_NOTE)
    return reading


_LEADING_MARKER = lazyre.compile(r"\d{1,2}\.?")


def _run_end(folded: Folded, start: int) -> int:
    """End of the digits (with whitespace cuts) starting at ``start``."""
    k = start
    while k < len(folded.text) and folded.text[k].isdigit():
        k += 1
    return k


def _t3_row_events(text: str) -> list[tuple[int, str]]:
    """Row labels of table 三 in a folded region, from the first 本年新收 label on."""
    found = t3_events(text, other_context=True)
    start = next((at for at, key in found if key == NEW and is_row_label(text, at)), None)
    if start is None:
        return []
    events = [(at, key) for at, key in found if at >= start and key != TOTAL_BARE]
    keys = {key for _, key in events}
    if not keys & set(OTHER_ROWS[:-1]) and OTHER_OTHER not in keys:
        # The 2019 format's single （六）其他处理 row.
        events = [(at, OTHER_OTHER if key == OTHER_GROUP else key) for at, key in events]
    events.sort()
    return events


# ---------------------------------------------------------------------------------------------
# Table 二
# ---------------------------------------------------------------------------------------------


def read_table2(lines: Sequence[str], span: tuple[int, int], fmt: ReportFormat) -> TableReading:
    """Table 二 (spec §3.4): each row's digits split into its fields; with no sum to check, only
    a split that the digit count and the no-leading-zero rule make unique is accepted, and only
    when the digits cannot be read as fewer numbers (a blank cell leaves no trace): "000" is
    0, 0, 0, but "233" may be 2, 3, 3 or 23, 3 and a blank."""
    reading = TableReading(ReportTable.TABLE2)
    region = lines[span[0] : span[1]]
    if sum(len(line) for line in region) > MAX_REGION_CHARS:
        return reading
    folded = Folded(region)
    text = folded.text
    events = t2_events(text)
    rows = {row.key: row for row in tx.table2_rows(fmt)}
    decoded = 0
    for i, (offset, key) in enumerate(events):
        row = rows.get(key)
        if row is None:
            continue
        if i + 1 < len(events):
            end = _label_begin(text, events[i + 1][0], offset)
        else:
            m = lazyre.compile(r"\d").search(text, offset)
            end = _money_end(text, m.start()) if m else offset
        if len(row.fields) == 1:
            got = _single(folded, offset, end, row.fields[0].value_type)
            if got is not None:
                reading.rows.add(key)
                reading.put(key, row.fields[0].key, got)
            continue
        tail = _digit_tail(folded, offset, end)
        if tail is None:
            continue
        row_runs = folded.runs(*tail)
        if len(row_runs) >= len(row.fields):
            continue
        split = rundigits.split_runs(row_runs, len(row.fields))
        reading.rows.add(key)
        values = rundigits.agreed(split.candidates, len(row.fields))
        if any(rundigits.split_runs(row_runs, k).candidates for k in range(1, len(row.fields))):
            # Fewer numbers fit too: a cell left blank may have vanished, so no split is certain.
            values = [None] * len(row.fields)
        decoded += len(row_runs) < len(row.fields)
        for c, f in enumerate(row.fields):
            value = values[c]
            if value is None:
                shown = rundigits.choices(split.candidates, c) if split.candidates else ""
                if shown and "或" in shown:
                    why = f"可能是 {shown}"
                elif shown:
                    why = "也可能其中有空白单元格（空白在文字中不留痕迹）"
                else:
                    why = "没有合适的拆分"
                reading.put(key, f.key, Unsure(f"数字“{''.join(row_runs)}”连在一起，{why}，无法确定"))
            elif f.value_type is ValueType.MONEY:
                reading.put(key, f.key, Got(Decimal(value)))
            else:
                reading.put(key, f.key, Got(value))
    if decoded:
        reading.note(JOINED_NOTE)
    return reading


def _money_end(text: str, start: int) -> int:
    k = start
    while k < len(text) and (text[k].isdigit() or text[k] == "."):
        k += 1
    return k


def _single(folded: Folded, start: int, end: int, value_type: ValueType) -> Got | Unsure | None:
    """A one-field row's number: all the digits (and a decimal point for money) ending its text;
    None when whitespace stands inside them (the token stream's case) or the label holds digits."""
    text = folded.text
    k = end
    while k > start and not text[k - 1].isdigit():
        k -= 1
    j = k
    while j > start and (text[j - 1].isdigit() or (value_type is ValueType.MONEY and text[j - 1] == ".")):
        j -= 1
    raw = text[j:k]
    if not raw or any(ch.isdigit() for ch in text[start:j]) or any(folded.cut[j + 1 : k]):
        return None
    if k < len(text) and text[k] == "." and len(raw) > 1 and value_type is not ValueType.MONEY:
        raw = raw[:-1]
    if len(raw) > 1 and raw.startswith("0") and not raw.startswith("0."):
        return Unsure(f"数字“{raw}”以 0 开头，无法确定")
    try:
        return Got(Decimal(raw)) if value_type is ValueType.MONEY else Got(int(raw))
    except (InvalidOperation, ValueError):
        return Unsure(f"“{raw}”不是数字")


# ---------------------------------------------------------------------------------------------
# Table 四
# ---------------------------------------------------------------------------------------------

_T4_HEADER_END = lazyre.compile("总计|合计|尚未审结")


def read_table4(lines: Sequence[str], span: tuple[int, int]) -> TableReading:
    """Table 四 (spec §3.6): the digits after its header, 3 groups of 5, each 总计 the sum (V5)."""
    reading = TableReading(ReportTable.TABLE4)
    region = lines[span[0] : span[1]]
    if sum(len(line) for line in region) > MAX_REGION_CHARS:
        return reading
    folded = Folded(region)
    text = folded.text
    if "复议" not in text:
        return reading
    last = None
    for m in _T4_HEADER_END.finditer(text):
        if re.search(r"\d", text[m.end() : m.end() + 1]):
            last = m
            break
        last = m
    if last is None:
        return reading
    start = last.end()
    if start >= len(text) or not text[start].isdigit():
        return reading
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    runs = folded.runs(start, end)
    groups, width = len(tx.TABLE4_GROUPS), len(tx.TABLE4_FIELDS)
    if len(runs) >= groups * width:
        return reading  # separated cells: the token stream reads those
    split = rundigits.split_groups(runs, groups, width)
    values = rundigits.agreed(split.candidates, groups * width)
    reason = (
        "数字连在一起，可能的拆分方式过多，无法确定"
        if split.capped
        else f"数字连在一起，有 {len(split.candidates)} 种拆分都符合“总计 = 各项之和”，无法确定"
        if split.candidates
        else "数字连在一起，找不到一种拆分能使各组总计等于各项之和，无法确定"
    )
    cells = iter(values)
    for group in tx.TABLE4_GROUPS:
        reading.rows.add(group.value)
        for name in tx.TABLE4_FIELDS:
            value = next(cells)
            reading.put(group.value, name, Unsure(reason) if value is None else Got(value))
    reading.note(JOINED_NOTE)
    return reading
