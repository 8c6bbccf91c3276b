"""Reading tables 二, 三 and 四 from grids (tables whose cells are known: Word, HTML, ruled PDF).

Columns are found from the header cells (申请人情况 / 自然人 / 商业企业 …; 信息内容 / 本年制发件数 …;
行政复议 / 结果维持 …), rows from their labels (:mod:`.labels`). A table split over pages
continues with the columns of the previous part. A value cell merged across two value columns or
two rows cannot be placed and comes back unsure.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from gongkai.core import lazyre
from gongkai.core.report.readers.document import Grid
from gongkai.core.report.readers.labels import (
    GROUP_PREFIX,
    INTAKE_KEYS,
    ORG_AGGREGATE,
    OTHER_GROUP,
    OTHER_OTHER,
    OTHER_ROWS,
    OTHER_SINGLE,
    T2_FIELD_PHRASES,
    TOTAL,
    TOTAL_BARE,
    t2_row,
    t3_column,
    t3_events,
    t4_field,
    t4_group,
)
from gongkai.core.report.readers.normalize import Got, Reading, Unsure, looks_numeric, norm, parse_cell, shorten
from gongkai.core.report.readers.stream import in_column_header
from gongkai.core.report.readers.tables import TableReading
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    COLUMN_LABELS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    ReportFormat,
    ReportTable,
    Table2Row,
    ValueType,
    table2_rows,
)


class Span(NamedTuple):
    """One underlying cell of a grid row: its first and last column and its text."""

    first: int
    last: int
    key: int
    text: str


def row_spans(grid: Grid, r: int) -> list[Span]:
    """The distinct cells of row ``r``, left to right."""
    texts, keys = grid.texts[r], grid.keys[r]
    n = len(texts)
    if len(keys) != n:
        raise ValueError("a grid row's texts and keys differ in length")
    spans: list[Span] = []
    start = 0
    for c in range(1, n + 1):
        if c == n or keys[c] != keys[start]:
            spans.append(Span(start, c - 1, keys[start], texts[start]))
            start = c
    return spans


def _is_blank(reading: Reading) -> bool:
    return isinstance(reading, Got) and reading.value is None


_MERGED = "合并单元格跨越多行或多列，无法确定这个数属于哪一格"

# ---------------------------------------------------------------------------------------------
# Table 三
# ---------------------------------------------------------------------------------------------

_T3_HEADER_WORDS = ("自然人", "申请人情况", "法人或其他组织", "商业企业", "科研机构")


def _t3_header_rows(grid: Grid) -> list[int]:
    """The first run of rows naming applicant columns (the table may follow others in one grid)."""
    rows: list[int] = []
    for r in range(grid.n_rows):
        text = norm(_raw_row(grid, r)) if _HEADER_CHARS.search(_raw_row(grid, r)) else ""
        if any(word in text for word in _T3_HEADER_WORDS):
            rows.append(r)
        elif rows:
            break
    return rows


_HEADER_CHARS = lazyre.compile("[自申法商科]")


def _has_t3_rows(grid: Grid) -> bool:
    for r in range(grid.n_rows):
        text = norm("".join(grid.texts[r]))
        if any(not k.startswith(GROUP_PREFIX) and k != TOTAL_BARE for _, k in t3_events(text, other_context=False)):
            return True
    return False


@dataclass(slots=True)
class _Layout:
    """Where the table 三 columns are: column (0–6 or ORG_AGGREGATE) → the grid columns under its
    header cell; ``duplicate`` columns were named by two different header cells."""

    columns: dict[int, list[int]]
    duplicate: set[int]
    n_cols: int

    @property
    def first_value(self) -> int:
        return min(c for cols in self.columns.values() for c in cols)


def _t3_layout(grid: Grid, header_rows: list[int], reading: TableReading) -> _Layout:
    columns: dict[int, list[int]] = {}
    owners: dict[int, set[int]] = {}
    bottom_up = list(reversed(header_rows))
    for c in range(grid.n_cols):
        found = t3_column([norm(grid.texts[r][c]) for r in bottom_up])
        if found is None:
            continue
        column, i = found
        columns.setdefault(column, []).append(c)
        owners.setdefault(column, set()).add(grid.keys[bottom_up[i]][c])
    duplicate = {column for column, keys in owners.items() if len(keys) > 1 and column != ORG_AGGREGATE}
    for index, label in enumerate(COLUMN_LABELS):
        if index in duplicate:
            reading.note(f"表头有两列都是“{label}”，这一列的数无法确定", column=str(index))
        elif index in columns:
            continue
        elif ORG_AGGREGATE in columns and 1 <= index <= 5:
            reading.note(f"表格没有“{label}”列（法人或其他组织未分列），这一列留空", column=str(index))
        else:
            reading.note(f"表头中没有找到“{label}”列，这一列留空", column=str(index))
    return _Layout(columns, duplicate, grid.n_cols)


@dataclass(slots=True)
class _T3State:
    layout: _Layout | None = None
    other_context: bool = False
    outcomes: bool = False  # an outcome row has been read (a bare "总计" is then the total row)
    pending_label: str = ""
    pending_key: str | None = None


def read_table3(grids: Sequence[Grid]) -> TableReading:
    """Table 三 (spec §3.5) from every grid that holds part of it, in order."""
    reading = TableReading(ReportTable.TABLE3)
    state = _T3State()
    for grid in grids:
        header_rows = _t3_header_rows(grid)
        if header_rows and (len(header_rows) > 1 or _has_t3_rows(grid)):
            state.layout = _t3_layout(grid, header_rows, reading)
            first = header_rows[-1] + 1
        elif state.layout is not None and grid.n_cols == state.layout.n_cols and _has_t3_rows(grid):
            first = 0
        elif grid.n_cols > COLUMN_COUNT and _has_t3_rows(grid) and _last_columns_hold_numbers(grid):
            start = grid.n_cols - COLUMN_COUNT
            state.layout = _Layout({i: [start + i] for i in range(COLUMN_COUNT)}, set(), grid.n_cols)
            reading.note("表三没有找到表头，按最后 7 列依次为自然人…总计读取")
            first = 0
        else:
            continue
        if any(column >= 0 for column in state.layout.columns):
            _read_t3_rows(grid, first, state.layout, state, reading)
    _flush_pending(state, reading)
    return reading


def _last_columns_hold_numbers(grid: Grid) -> bool:
    """True when the last 7 columns hold only numbers and the column before them holds labels."""
    label_column = grid.n_cols - COLUMN_COUNT - 1
    numeric_rows = 0
    for r in range(grid.n_rows):
        cells = grid.texts[r][label_column + 1 :]
        if any(t.strip() for t in cells):
            if not all(looks_numeric(t) for t in cells):
                return False
            if looks_numeric(grid.texts[r][label_column]) and grid.texts[r][label_column].strip():
                return False
            numeric_rows += 1
    return numeric_rows > 0


def _t3_value(grid: Grid, r: int, first: int, layout: _Layout, column: int, owners: dict[int, int]) -> Reading:
    """The cell of table 三 column ``column`` in grid row ``r``; ``owners`` counts the table 三
    columns each cell of the row lies under."""
    keys = grid.keys[r]
    cols = layout.columns[column]
    if len(cols) == 1:  # the usual table: one grid column under each header cell
        key, text = keys[cols[0]], grid.texts[r][cols[0]]
        if not text.strip():
            return Got(None)
    else:
        cells = {keys[c]: grid.texts[r][c] for c in cols}
        filled = {key: text for key, text in cells.items() if text.strip()}
        if not filled:
            return Got(None)
        if len(filled) > 1:
            return Unsure(f"这一列中有 {len(filled)} 个数，无法确定")
        ((key, text),) = filled.items()
    cell = parse_cell(text)
    if _is_blank(cell):
        return cell
    if owners[key] > 1:
        return Unsure(_MERGED)
    above = grid.keys[r - 1] if r > first else ()
    below = grid.keys[r + 1] if r + 1 < grid.n_rows else ()
    down = any((above and above[c] == key) or (below and below[c] == key) for c in cols)
    return Unsure(_MERGED) if down else cell


def _t3_values(grid: Grid, r: int, first: int, layout: _Layout, owners: dict[int, int]) -> dict[int, Reading]:
    """The table 三 cells of grid row ``r`` by column: :func:`_t3_value` of each, with the usual
    column (one grid column under its header cell) read here."""
    keys, texts = grid.keys[r], grid.texts[r]
    above = grid.keys[r - 1] if r > first else None
    below = grid.keys[r + 1] if r + 1 < grid.n_rows else None
    values: dict[int, Reading] = {}
    for column, cols in layout.columns.items():
        if column < 0 or column in layout.duplicate:
            continue
        if len(cols) != 1:
            values[column] = _t3_value(grid, r, first, layout, column, owners)
            continue
        c = cols[0]
        text = texts[c]
        if not text.strip():
            values[column] = Got(None)
            continue
        cell = parse_cell(text)
        if type(cell) is Got and cell.value is None:  # a blank mark
            values[column] = cell
            continue
        key = keys[c]
        merged = owners[key] > 1 or (above is not None and above[c] == key) or (below is not None and below[c] == key)
        values[column] = Unsure(_MERGED) if merged else cell
    return values


def _read_t3_rows(grid: Grid, first: int, layout: _Layout, state: _T3State, reading: TableReading) -> None:
    first_value = layout.first_value
    value_columns = [c for cols in layout.columns.values() for c in cols]
    for r in range(first, grid.n_rows):
        if _starts_other_table(grid, r):
            break
        keys = grid.keys[r]
        seen: set[int] = set()
        label_parts: list[str] = []
        for c in range(first_value):
            if keys[c] not in seen:
                seen.add(keys[c])
                label_parts.append(grid.texts[r][c])
        label = norm("".join(label_parts))
        empty = not any(grid.texts[r][c].strip() for c in value_columns)
        if not label and empty:
            continue
        owners: dict[int, int] = {}  # cell key → the table 三 columns it lies under
        for cols in layout.columns.values():
            if len(cols) == 1:  # the usual table: one grid column under each header cell
                owners[keys[cols[0]]] = owners.get(keys[cols[0]], 0) + 1
                continue
            for cell_key in {keys[c] for c in cols}:
                owners[cell_key] = owners.get(cell_key, 0) + 1
        values = _t3_values(grid, r, first, layout, owners)
        key = _t3_row_key(label, state, has_values=not empty)
        if key is None and state.pending_label and not empty:
            key = _t3_row_key(state.pending_label + label, state, has_values=True)
            if key is None:
                key = state.pending_key
            state.pending_label, state.pending_key = "", None
            if key is not None:
                _put_t3_row(reading, key, values)
                continue
        if empty:
            # Either a row left blank or the first half of a row broken over two pages: decided by
            # the next row.
            _flush_pending(state, reading)
            state.pending_label, state.pending_key = label, key
            continue
        _flush_pending(state, reading)
        if key is None:
            if label and not label.startswith(GROUP_PREFIX):
                reading.note(f"表格中有一行“{shorten(label)}”无法对应到表三的行，未读取")
            continue
        _put_t3_row(reading, key, values)


def _flush_pending(state: _T3State, reading: TableReading) -> None:
    """A label-only row followed by a row of its own: the label-only row was left blank."""
    key = state.pending_key
    state.pending_label, state.pending_key = "", None
    if key is not None and key not in reading.rows:
        _put_t3_row(reading, key, {c: Got(None) for c in range(COLUMN_COUNT)})


def _starts_other_table(grid: Grid, r: int) -> bool:
    """Table 四 (or a heading) ruled into the same grid as table 三 ends table 三."""
    if not _OTHER_TABLE.search(_raw_row(grid, r)):
        return False
    return any(("行政复议" in t or "第二十条" in t) and len(t) <= 40 for t in map(norm, grid.texts[r]))


_OTHER_TABLE = lazyre.compile("复|二十条")


def _raw_row(grid: Grid, r: int) -> str:
    """A row's text as printed (no normalising): for a quick test before a precise one."""
    return "".join(grid.texts[r])


def _t3_row_key(label: str, state: _T3State, *, has_values: bool) -> str | None:
    if not label:
        return None
    events = t3_events(label, other_context=state.other_context)
    groups = [k for _, k in events if k.startswith(GROUP_PREFIX)]
    if groups:
        state.other_context = groups[-1] == OTHER_GROUP
    rows = [k for _, k in events if not k.startswith(GROUP_PREFIX) and k != TOTAL_BARE]
    if rows:
        if rows[-1] in OTHER_ROWS:
            state.other_context = True
        state.outcomes = state.outcomes or rows[-1] not in INTAKE_KEYS
        return rows[-1]
    bare = next((at for at, k in events if k == TOTAL_BARE), None)
    if bare is not None and state.outcomes and not in_column_header(label, bare):
        return TOTAL
    if state.other_context and label.endswith("其他"):
        return OTHER_OTHER
    if groups and groups[-1] == OTHER_GROUP and has_values:
        return OTHER_SINGLE
    if groups:
        return groups[-1]
    return None


def _put_t3_row(reading: TableReading, key: str, values: dict[int, Reading]) -> None:
    if key.startswith(GROUP_PREFIX):
        if any(not _is_blank(v) for v in values.values()):
            reading.note("分组行（如“（三）不予公开”）印有数字，这不是全国格式的行，未读取")
        return
    reading.rows.add(key)
    for column, cell in values.items():
        reading.put(key, str(column), cell)


# ---------------------------------------------------------------------------------------------
# Table 二
# ---------------------------------------------------------------------------------------------


def _field_columns(header: list[Span], row: Table2Row) -> dict[str, Span] | None:
    """The header cell of each field of ``row``, or None when a field has none."""
    found: dict[str, Span] = {}
    for f in row.fields:
        phrases = T2_FIELD_PHRASES.get(f.key, (norm(f.label),))
        match = [s for s in header if any(p in norm(s.text) for p in phrases)]
        if len(match) != 1:
            return None
        found[f.key] = match[0]
    return found


_FIELD_WORDS = lazyre.compile("|".join(re.escape(p) for phrases in T2_FIELD_PHRASES.values() for p in phrases))


def fee_in_yuan(header_text: str) -> bool:
    """True when the fee column says its unit is 元, not the format's 万元 (spec §3.4)."""
    text = norm(header_text)
    return ("单位:元" in text or "(元)" in text) and "万元" not in text


_TEN_THOUSAND = Decimal(10000)


def read_table2(grids: Sequence[Grid], fmt: ReportFormat) -> TableReading:
    """Table 二 (spec §3.4; 2019 format §4) from the grids, rows by label, fields by header."""
    reading = TableReading(ReportTable.TABLE2)
    rows = {row.key: row for row in table2_rows(fmt)}
    header: list[Span] = []
    split: dict[int, Span] = {}  # 2019 format: 本年增/减 printed as two columns, 增 (+1) and 减 (−1)
    header_cols = 0
    for grid in grids:
        if grid.n_cols != header_cols:
            header, header_cols, split = [], grid.n_cols, {}
        for r in range(grid.n_rows):
            spans = row_spans(grid, r)
            labels = [s for s in spans if s.text.strip() and not looks_numeric(s.text)]
            if not labels:
                continue
            values = [s for s in spans if s.first > labels[-1].last]
            label = norm("".join(s.text for s in labels))
            key = t2_row(label)
            if key is None:
                fresh = [s for s in labels if r == 0 or grid.keys[r - 1][s.first] != s.key]
                if header and fresh and all(norm(s.text) in _CHANGE_WORDS for s in fresh):
                    split = {_CHANGE_WORDS[norm(s.text)]: s for s in fresh}
                    continue
                if _FIELD_WORDS.search(label):
                    header, split = spans, {}
                continue
            if not values:
                continue
            row = rows.get(key)
            if row is None:
                reading.note(f"“{shorten(labels[-1].text)}”不是{fmt.value}年格式表二的行，未读取")
                continue
            reading.rows.add(key)
            columns = _field_columns(header, row) if header else None
            if columns is not None and "items_change" in columns and len(split) == 2:
                values = _join_change(reading, row.key, columns["items_change"], split, values)
            _read_t2_row(reading, row, values, columns)
    return reading


_CHANGE_WORDS: dict[str, int] = {"增": 1, "减": -1, "增加": 1, "减少": -1, "本年增": 1, "本年减": -1}


def _join_change(reading: TableReading, row: str, head: Span, split: dict[int, Span], values: list[Span]) -> list[Span]:
    """本年增/减 printed under two sub-columns 增 and 减 (2019 format, spec §4): one value, 增 − 减."""
    parts: dict[int, Reading] = {}
    for sign, sub in split.items():
        if not (head.first <= sub.first and sub.last <= head.last):
            return values
        under = [s for s in values if s.first <= sub.last and s.last >= sub.first]
        parts[sign] = parse_cell(" ".join(s.text for s in under if s.text.strip()))
    inside = [s for s in values if head.first <= s.first and s.last <= head.last]
    rest = [s for s in values if s not in inside]
    if any(isinstance(p, Unsure) for p in parts.values()):
        text = "?"
    elif all(isinstance(p, Got) and p.value is None for p in parts.values()):
        text = ""
    else:
        numbers = {sign: p.value if isinstance(p, Got) and isinstance(p.value, int) else 0 for sign, p in parts.items()}
        change = numbers[1] - numbers[-1]
        text = str(change)
        reading.note(
            f"“本年增/减”分“增”“减”两列印出（增 {numbers[1]}、减 {numbers[-1]}），按增减之差 {change} 读入",
            row=row,
            column="items_change",
        )
    return sorted([*rest, Span(head.first, head.last, -1 - head.first, text)], key=lambda s: s.first)


def _read_t2_row(reading: TableReading, row: Table2Row, values: list[Span], columns: dict[str, Span] | None) -> None:
    if columns is None:
        if len(values) > len(row.fields):
            values = [s for s in values if s.text.strip()] or values
        if len(values) != len(row.fields):
            message = f"这一行有 {len(values)} 个数字格，应为 {len(row.fields)} 个，无法对应到列"
            for f in row.fields:
                reading.put(row.key, f.key, Unsure(message))
            return
        columns = dict(zip((f.key for f in row.fields), values, strict=True))
        placed = dict(columns)
    else:
        placed = {}
        for name, head in columns.items():
            under = [s for s in values if s.first <= head.last and s.last >= head.first]
            filled = [s for s in under if s.text.strip()]
            if len(filled) > 1:
                reading.put(row.key, name, Unsure(f"“{shorten(head.text)}”下有 {len(filled)} 个数，无法确定"))
            elif filled:
                placed[name] = filled[0]
            else:
                reading.put(row.key, name, Got(None))
    for f in row.fields:
        span = placed.get(f.key)
        if span is None:
            continue
        cell = parse_cell(span.text, f.value_type)
        if (
            f.value_type is ValueType.MONEY
            and isinstance(cell, Got)
            and isinstance(cell.value, Decimal)
            and cell.note is None
            and fee_in_yuan(columns[f.key].text)
        ):
            cell = Got(cell.value / _TEN_THOUSAND)
            reading.note(f"金额以元为单位印出（{span.text.strip()}元），已换算为万元", row=row.key, column=f.key)
        reading.put(row.key, f.key, cell)


# ---------------------------------------------------------------------------------------------
# Table 四
# ---------------------------------------------------------------------------------------------

_T4_WORDS = ("复议", "诉讼", "维持")
_T4_CHARS = lazyre.compile("[复诉维]")


def _is_t4_header(grid: Grid, rows: list[int]) -> bool:
    """Short header cells naming 复议 and 维持 (a paragraph that mentions them is not a header)."""
    texts = [norm(grid.texts[r][c]) for r in rows for c in range(grid.n_cols)]
    return any("复议" in t and len(t) <= 20 for t in texts) and any("维持" in t and len(t) <= 10 for t in texts)


_T4_CELLS = len(TABLE4_GROUPS) * len(TABLE4_FIELDS)


def read_table4(grids: Sequence[Grid]) -> TableReading:
    """Table 四 (spec §3.6): the first 行政复议/行政诉讼 header in a grid and the row of numbers
    under it (the header may follow table 三 in the same ruled grid)."""
    reading = TableReading(ReportTable.TABLE4)
    for grid in grids:
        header_rows: list[int] = []
        for r in range(grid.n_rows):
            raw = _raw_row(grid, r)
            if _T4_CHARS.search(raw) and any(w in norm(raw) for w in _T4_WORDS) and not _has_digits(grid, r):
                header_rows.append(r)
                continue
            if header_rows and _is_t4_header(grid, header_rows) and _has_digits(grid, r):
                _read_t4_row(grid, header_rows, r, reading)
                return reading
            if header_rows and not _is_t4_header(grid, header_rows):
                header_rows = []
    return reading


def _has_digits(grid: Grid, r: int) -> bool:
    return any(any(ch.isdigit() for ch in t) for t in grid.texts[r])


def _read_t4_row(grid: Grid, header_rows: list[int], data: int, reading: TableReading) -> None:
    targets: dict[tuple[str, str], list[int]] = {}
    for c in range(grid.n_cols):
        texts = [norm(grid.texts[r][c]) for r in header_rows if r < data]
        group, name = t4_group(texts), t4_field(texts)
        if group is not None and name is not None:
            targets.setdefault((group.value, name), []).append(c)
    keys = grid.keys[data]
    for group in TABLE4_GROUPS:
        reading.rows.add(group.value)
    if len(targets) == _T4_CELLS:
        owners = Counter(key for cols in targets.values() for key in {keys[c] for c in cols})
        for (group_key, name), cols in targets.items():
            cell_keys = {keys[c] for c in cols}
            if len(cell_keys) != 1:
                reading.put(group_key, name, Unsure(_MERGED))
                continue
            (cell_key,) = cell_keys
            text = grid.texts[data][cols[0]]
            cell = parse_cell(text)
            reading.put(group_key, name, Unsure(_MERGED) if owners[cell_key] > 1 and not _is_blank(cell) else cell)
        return
    values = [s for s in row_spans(grid, data) if looks_numeric(s.text)]
    if len(values) != _T4_CELLS:
        message = f"表四的数据行有 {len(values)} 个数字格，应为 {_T4_CELLS} 个，无法对应到列"
        for group in TABLE4_GROUPS:
            for name in TABLE4_FIELDS:
                reading.put(group.value, name, Unsure(message))
        return
    cells = iter(values)
    for group in TABLE4_GROUPS:
        for name in TABLE4_FIELDS:
            reading.put(group.value, name, parse_cell(next(cells).text))
