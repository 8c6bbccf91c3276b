"""Reading the tables from text whose table structure is lost (a token stream).

Plain text exported from Word (one cell per line), text pasted from a web page (cells separated
by tabs or spaces), a page whose tables were flattened into paragraphs, and the text layer of a
PDF all come down to the same thing: row labels and runs of numbers, in reading order. The
labels are recognised by key phrase (:mod:`.labels`); runs are given to labels by
:func:`align`, which only accepts a pairing that every best explanation of the sequence agrees
on. A label whose numbers cannot be told apart from its neighbour's comes back unsure. The line
span of each table comes from :mod:`.regions`.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

from gongkai.core import lazyre
from gongkai.core.report.readers.labels import (
    GROUP_PREFIX,
    NEW,
    ORG_AGGREGATE,
    OTHER_GROUP,
    OTHER_OTHER,
    OTHER_ROWS,
    OTHER_SINGLE,
    OUTCOME_KEYS,
    TOTAL,
    TOTAL_BARE,
    t2_events,
    t3_events,
)
from gongkai.core.report.readers.normalize import BLANK_MARKS, Unsure, fold, looks_numeric, norm, parse_cell
from gongkai.core.report.readers.regions import is_row_label
from gongkai.core.report.readers.tables import TableReading
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    COLUMN_LABELS,
    TABLE2_ROWS_2019,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    ReportFormat,
    ReportTable,
    table2_rows,
)

# ---------------------------------------------------------------------------------------------
# Tokens and pieces
# ---------------------------------------------------------------------------------------------


class Tok(Enum):
    NUM = "num"  # a number
    BLANK = "blank"  # "/", "—", "无": a value cell without a number
    EMPTY = "empty"  # an empty cell (tab-separated or tab-indented layouts)
    BAD = "bad"  # a cell that holds digits but no single number ("2 0")
    TEXT = "text"
    BREAK = "break"  # an empty line: ends a run of numbers


class Token(NamedTuple):
    kind: Tok
    text: str
    line: int = -1


_SPLIT_NUMBER = lazyre.compile(r"[\d,.]+(?:\s+[\d,.]+)+")


def _field_token(cell: str, line: int) -> Token:
    text = " ".join(fold(cell).split())
    if not text:
        return Token(Tok.EMPTY, "", line)
    if looks_numeric(text):
        return Token(Tok.BLANK if text in BLANK_MARKS else Tok.NUM, text, line)
    if _SPLIT_NUMBER.fullmatch(text):
        return Token(Tok.BAD, text, line)
    return Token(Tok.TEXT, text, line)


def _word_token(word: str, line: int) -> Token:
    text = fold(word)
    if looks_numeric(text):
        return Token(Tok.BLANK if text in BLANK_MARKS else Tok.NUM, text, line)
    return Token(Tok.TEXT, text, line)


def tokenize(lines: Sequence[str]) -> list[Token]:
    """Split lines into tokens: a tab-separated line by tabs (one cell each), others by spaces."""
    tokens: list[Token] = []
    for i, line in enumerate(lines):
        body = line.lstrip().rstrip(" \r\n\u3000")
        if not body:
            tokens.append(Token(Tok.EMPTY if "\t" in line else Tok.BREAK, "", i))
            continue
        if "\t" in body:
            line_tokens = [_field_token(cell, i) for cell in body.split("\t")]
        else:
            line_tokens = [_word_token(word, i) for word in body.split()]
        tokens.extend(line_tokens)
        if sum(1 for t in line_tokens if t.kind is not Tok.TEXT) >= 2:
            # A line holding a row of numbers ends that row; single values on consecutive lines
            # (one cell per line) continue it.
            tokens.append(Token(Tok.BREAK, "", i))
    return tokens


class Piece(NamedTuple):
    """Consecutive text tokens (``text`` normalised) or consecutive value tokens (``cells``).

    ``starts`` and ``lines`` give, for each token, where it starts in ``text`` and its line, so a
    label found in the text knows its line; ``line`` is the line of a run's first value.
    """

    text: str = ""
    cells: tuple[str, ...] = ()
    starts: tuple[int, ...] = ()
    lines: tuple[int, ...] = ()
    line: int = -1

    @property
    def is_run(self) -> bool:
        return bool(self.cells)

    def line_at(self, offset: int) -> int:
        """The line of the text token holding character ``offset``."""
        if not self.starts:
            return -1
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


def pieces(tokens: Sequence[Token]) -> list[Piece]:
    """Group tokens into text pieces and runs of values.

    A run counts when it holds a number, or is at least two blank marks or empty cells (a row
    left blank), or is the one blank cell ending a labelled row ("行政强制 /", or "行政强制" then
    an empty cell line). A blank cell at the start of a row (the place of a merged label cell) is
    read as part of the text. Text is only cut where a run starts, so pieces alternate.
    """
    out: list[Piece] = []
    text: list[Token] = []
    run: list[Token] = []
    before: Token | None = None  # the token before the current run

    def flush_run(after: Token | None) -> None:
        if not run:
            return
        ends_row = after is None or after.kind is Tok.BREAK or after.line != run[-1].line
        real = (
            any(t.kind in (Tok.NUM, Tok.BAD) for t in run)
            or len(run) >= 2
            or (before is not None and before.kind is Tok.TEXT and ends_row)
        )
        if real:
            flush_text()
            out.append(Piece(cells=tuple(t.text for t in run), line=run[0].line))
        else:
            text.extend(t for t in run if t.kind is Tok.BLANK)
        run.clear()

    def flush_text() -> None:
        if not text:
            return
        parts = [norm(t.text) for t in text]
        starts: list[int] = []
        at = 0
        for part in parts:
            starts.append(at)
            at += len(part)
        out.append(Piece(text="".join(parts), starts=tuple(starts), lines=tuple(t.line for t in text)))
        text.clear()

    previous: Token | None = None
    for token in tokens:
        if token.kind is Tok.TEXT:
            flush_run(token)
            text.append(token)
        elif token.kind is Tok.BREAK:
            flush_run(token)
        else:
            if not run:
                before = previous
            run.append(token)
        previous = token
    flush_run(None)
    flush_text()
    return out


# ---------------------------------------------------------------------------------------------
# Giving runs to labels
# ---------------------------------------------------------------------------------------------


class LabelEvent(NamedTuple):
    """A row label in the text: ``required`` rows want a run (group labels do not); a label that
    is numbered like a row but not recognised (``known`` False) competes for runs so that its
    numbers are not given to a neighbour, and is then dropped. ``lead`` counts the characters
    between the previous run and the label's key phrase."""

    key: str
    required: bool
    expect: frozenset[int]
    line: int = -1
    known: bool = True
    lead: int = 0  # characters of text between the previous run and this label


class RunEvent(NamedTuple):
    cells: tuple[str, ...]
    line: int = -1


Event = LabelEvent | RunEvent
AMBIGUOUS = RunEvent(cells=())

_PAIR = 1
#: Numbers printed above their label are separated from it by at most one character of the
#: vertical 三、本年度办理结果 cell ("本", "年"); more text between is another label's tail.
_ABOVE_GAP = 1


def _score(a: Event, b: Event) -> int:
    """Score of pairing neighbours ``a`` and ``b`` (one label, one run, in either order): a
    label with a run of the expected length. A run of another length is some other text's (a row
    number run into the figures) and wins nothing; so does a run above a label with more than a
    stray character between them. A group label ("（五）不予处理") competes for the run after it
    (a printed subtotal), so that run is not given for sure to the row below."""
    label, run = (a, b) if isinstance(a, LabelEvent) else (b, a)
    assert isinstance(label, LabelEvent) and isinstance(run, RunEvent)
    if a is run and (label.lead > _ABOVE_GAP or not label.required):
        return 0
    return _PAIR if len(run.cells) in label.expect else 0


def align(events: Sequence[Event]) -> tuple[dict[str, RunEvent], int]:
    """Give each row label the run of numbers printed next to it, where that is certain.

    A run that starts on the line where a label starts, right after it, is that row's (pasted
    text, PDF text of a one-line label; a group label's run is a subtotal, set aside). The other runs stand on lines of their own (one
    cell per line, or a label broken over lines with its numbers above, between or below its
    parts). Between fixed pairs the sequence splits into chains of alternating labels and runs
    (two labels or two runs in a row cannot belong together); in each chain the best pairing is
    found by dynamic programming that pairs as many labels as it can with runs of the expected
    length; group labels ("（三）不予公开") may hold the run after them (a subtotal), which is then
    set aside.
    A label that two best pairings give different runs maps to :data:`AMBIGUOUS`: no order
    (numbers below or above their labels) is assumed. Returns the pairs and the number of runs
    holding numbers left without a label.
    """
    result: dict[str, RunEvent] = {}
    used: set[int] = set()
    segments: list[list[tuple[int, Event]]] = [[]]
    i = 0
    while i < len(events):
        event = events[i]
        after = events[i + 1] if i + 1 < len(events) else None
        if (
            isinstance(event, LabelEvent)
            and isinstance(after, RunEvent)
            and event.line >= 0
            and after.line == event.line
        ):
            if event.required:
                result[event.key] = after
            used.add(i + 1)
            segments.append([])
            i += 2
            continue
        segments[-1].append((i, event))
        i += 1
    for segment in segments:
        chains: list[list[tuple[int, Event]]] = []
        for item in segment:
            if chains and type(chains[-1][-1][1]) is not type(item[1]):
                chains[-1].append(item)
            else:
                chains.append([item])
        for chain in chains:
            _align_chain(chain, result, used)
    orphans = sum(1 for i, e in enumerate(events) if isinstance(e, RunEvent) and i not in used and _has_number(e))
    return result, orphans


def _has_number(run: RunEvent) -> bool:
    """A run of empty cells or blank marks left over is layout, not a row's numbers."""
    return any(cell not in BLANK_MARKS for cell in run.cells)


def _align_chain(chain: list[tuple[int, Event]], result: dict[str, RunEvent], used: set[int]) -> None:
    events = [e for _, e in chain]
    n = len(events)
    best_prefix = [0] * (n + 1)
    for k in range(2, n + 1):
        best_prefix[k] = max(best_prefix[k - 1], best_prefix[k - 2] + _score(events[k - 2], events[k - 1]))
    best_suffix = [0] * (n + 2)
    for k in range(n - 2, -1, -1):
        best_suffix[k] = max(best_suffix[k + 1], best_suffix[k + 2] + _score(events[k], events[k + 1]))
    optimum = best_prefix[n]
    for i, event in enumerate(events):
        if not isinstance(event, LabelEvent) or not event.required:
            continue
        options: list[int | None] = []
        if i >= 1 and best_prefix[i - 1] + _score(events[i - 1], event) + best_suffix[i + 1] == optimum:
            options.append(i - 1)
        if i + 1 < n and best_prefix[i] + _score(event, events[i + 1]) + best_suffix[i + 2] == optimum:
            options.append(i + 1)
        if best_prefix[i] + best_suffix[i + 1] == optimum:
            options.append(None)
        if len(options) > 1:
            result[event.key] = AMBIGUOUS
        elif options and options[0] is not None:
            run = events[options[0]]
            assert isinstance(run, RunEvent)
            result[event.key] = run
            used.add(chain[options[0]][0])


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

_FULL_LAYOUT: tuple[int, ...] = tuple(range(COLUMN_COUNT))
_SUB_COLUMN_WORDS = ("商业", "科研", "公益", "法律服务")


def _t3_layout(header: str) -> tuple[int, ...]:
    """The columns a table 三 row prints, from the header text before the first row."""
    if not header or any(word in header for word in _SUB_COLUMN_WORDS):
        return _FULL_LAYOUT
    if "法人" in header:
        return (0, ORG_AGGREGATE, COLUMN_COUNT - 1)
    if "自然人" in header:
        return (0, COLUMN_COUNT - 1)
    return _FULL_LAYOUT


def read_table3(lines: Sequence[str], span: tuple[int, int]) -> TableReading:
    """Table 三 from text (spec §3.5): 25 labelled rows of 7 numbers (2019: one （六） row)."""
    reading = TableReading(ReportTable.TABLE3)
    parts = pieces(tokenize(lines[span[0] : span[1]]))
    header: list[str] = []
    events: list[Event] = []
    seen: set[str] = set()
    started = other_context = outcomes = False
    for index, part in enumerate(parts):
        if part.is_run:
            if started:
                events.append(RunEvent(part.cells, part.line))
            continue
        found = t3_events(part.text, other_context=other_context)
        unknown = _unclaimed_markers(part, found) if started else []
        for offset, key in sorted([*found, *((at, "") for at in unknown)]):
            if started and not key:
                events.append(LabelEvent(f"?{len(events)}", True, frozenset(), part.line_at(offset), False, offset))
                continue
            if not key:
                continue
            if not started:
                if key != NEW or not is_row_label(part.text, offset):
                    continue
                after = parts[index + 1].cells if index + 1 < len(parts) else ()
                before = parts[index - 1].cells if index > 0 else ()
                if len(after) < 2 and len(before) < 2:
                    continue
                started = True
                header.append(part.text[:offset])
                if len(before) >= 2:  # perhaps the numbers of this row, printed above its label
                    events.append(RunEvent(before, parts[index - 1].line))
            if key == TOTAL_BARE:
                if not outcomes or in_column_header(part.text, offset):
                    continue
                key = TOTAL
            if key in seen and not key.startswith(GROUP_PREFIX):
                continue
            seen.add(key)
            if key == OTHER_GROUP or key in OTHER_ROWS:
                other_context = True
            outcomes = outcomes or key in OUTCOME_KEYS
            lead = _label_start(part.text, offset)
            events.append(
                LabelEvent(key, not key.startswith(GROUP_PREFIX), frozenset(), part.line_at(offset), True, lead)
            )
        if not started:
            header.append(part.text)
    if not started:
        return reading
    layout = _t3_layout("".join(header))
    expect = frozenset({len(layout)})
    for column in set(range(COLUMN_COUNT)) - set(layout):
        reason = "法人或其他组织未分列" if ORG_AGGREGATE in layout else "表头中没有这一列"
        reading.note(f"表格没有“{COLUMN_LABELS[column]}”列（{reason}），这一列留空", column=str(column))
    has_other_rows = bool(seen & set(OTHER_ROWS[:-1]))
    final: list[Event] = []
    for event in events:
        if isinstance(event, LabelEvent):
            if event.key == OTHER_GROUP and not has_other_rows and OTHER_OTHER not in seen:
                event = LabelEvent(OTHER_SINGLE, True, expect, event.line, True, event.lead)
            else:
                event = LabelEvent(event.key, event.required, expect, event.line, event.known, event.lead)
        final.append(event)
    pairs, orphans = align(final)
    labels = [e for e in final if isinstance(e, LabelEvent) and e.required and e.known]
    scrambled = _scrambled(orphans, len(labels))
    if scrambled:
        reading.note(f"文字中有 {orphans} 组数字不挨着任何行标签，行与数字的次序无法对应，表三不按文字读取")
    for event in labels:
        reading.rows.add(event.key)
        run = pairs.get(event.key)
        if run is None and not scrambled:
            reading.note("找到了行标签，但没有找到它的数字", row=event.key)
            continue
        if run is None or run is AMBIGUOUS or scrambled:
            for c in range(COLUMN_COUNT):
                reading.put(event.key, str(c), Unsure("数字与相邻的行无法区分（文字中行和数字的次序不明），无法确定"))
            continue
        _put_t3_run(reading, event.key, run.cells, layout)
    if orphans and not scrambled:
        reading.note(f"文字中有 {orphans} 组数字无法对应到表三的行")
    return reading


_COLUMN_HEADER_WORDS = ("自然人", "法人或其他组织", "申请人情况", "商业企业", "科研机构", "法律服务机构")


def in_column_header(text: str, offset: int) -> bool:
    """True when the word at ``offset`` stands among table 三's column headers (a header repeated
    on a new page): "总计" there is the column, never row （七）总计."""
    window = text[max(0, offset - 24) : offset + 30]
    return any(word in window for word in _COLUMN_HEADER_WORDS)


#: How the rows of table 三 that hold numbers are numbered: "一、" "二、" "四、", "（一）" "（二）"
#: "（七）", "1."–"8.". "三、" heads the outcome rows and "（三）"–"（六）" head groups: not rows.
#: A number in brackets counts anywhere; "1." and "四、" only where a line or cell starts.
_ROW_MARKER = lazyre.compile(r"\([一二七]\)|[1-8]\.(?!\d)|[一二四]\.")


_ANY_MARKER = lazyre.compile(r"\(?[一二三四五六七八九十]{1,2}\)|\d{1,2}\.|[一二三四五六七八九十]\.")


def _label_start(text: str, offset: int) -> int:
    """Where the label whose key phrase is at ``offset`` starts: at its number ("1.", "（七）"),
    if one stands a few characters before the phrase."""
    window = max(0, offset - 12)
    starts = [window + m.start() for m in _ANY_MARKER.finditer(text[window : offset + 1])]
    return starts[-1] if starts else offset


def _unclaimed_markers(part: Piece, found: list[tuple[int, str]]) -> list[int]:
    """Offsets of row numbers ("1.", "（七）", "四、") that no recognised label follows: a row
    whose label was not recognised (a typo beyond the key phrases)."""
    text = part.text
    starts = set(part.starts)
    markers = [m.start() for m in _ROW_MARKER.finditer(text) if m.group()[0] == "(" or m.start() in starts]
    offsets = sorted(at for at, _ in found)
    unclaimed: list[int] = []
    for i, at in enumerate(markers):
        following = markers[i + 1] if i + 1 < len(markers) else len(text)
        if not any(at <= event < following for event in offsets):
            unclaimed.append(at)
    return unclaimed


def _scrambled(orphans: int, labels: int) -> bool:
    """Many runs of numbers next to no label: the text is not in row order (a PDF whose content
    stream writes the label column, then the number columns), so no pairing is trusted."""
    return orphans > 2 and orphans * 4 >= labels


def _put_t3_run(reading: TableReading, key: str, cells: tuple[str, ...], layout: tuple[int, ...]) -> None:
    if len(cells) != len(layout):
        message = f"这一行有 {len(cells)} 个数，应为 {len(layout)} 个，无法对应到列"
        for c in range(COLUMN_COUNT):
            reading.put(key, str(c), Unsure(message))
        return
    for column, cell in zip(layout, cells, strict=True):
        if column != ORG_AGGREGATE:
            reading.put(key, str(column), parse_cell(cell))


def read_table2(lines: Sequence[str], span: tuple[int, int], fmt: ReportFormat) -> TableReading:
    """Table 二 from text (spec §3.4; 2019 format §4): one labelled run per row."""
    reading = TableReading(ReportTable.TABLE2)
    rows = {row.key: row for row in table2_rows(fmt)}
    widths = {row.key: len(row.fields) for row in TABLE2_ROWS_2019} | {k: len(r.fields) for k, r in rows.items()}
    events: list[Event] = []
    seen: list[str] = []
    for part in pieces(tokenize(lines[span[0] : span[1]])):
        if part.is_run:
            if seen:
                events.append(RunEvent(part.cells, part.line))
            continue
        for offset, key in t2_events(part.text):
            if key not in seen:
                seen.append(key)
                lead = _label_start(part.text, offset)
                events.append(LabelEvent(key, True, frozenset({widths[key]}), part.line_at(offset), True, lead))
    pairs, orphans = align(events)
    scrambled = _scrambled(orphans, len(seen))
    for key in seen:
        row = rows.get(key)
        if row is None:
            continue
        reading.rows.add(key)
        run = pairs.get(key)
        if run is None:
            reading.note("找到了行标签，但没有找到它的数字", row=key)
        elif run is AMBIGUOUS or scrambled or len(run.cells) != len(row.fields):
            message = (
                "数字与相邻的行无法区分，无法确定"
                if run is AMBIGUOUS or scrambled
                else f"这一行有 {len(run.cells)} 个数，应为 {len(row.fields)} 个，无法对应到列"
            )
            for f in row.fields:
                reading.put(key, f.key, Unsure(message))
        else:
            for f, cell in zip(row.fields, run.cells, strict=True):
                reading.put(key, f.key, parse_cell(cell, f.value_type))
    return reading


_T4_CELLS = len(TABLE4_GROUPS) * len(TABLE4_FIELDS)


def read_table4(lines: Sequence[str], span: tuple[int, int]) -> TableReading:
    """Table 四 from text (spec §3.6): one run of 15 numbers under the header."""
    reading = TableReading(ReportTable.TABLE4)
    parts = pieces(tokenize(lines[span[0] : span[1]]))
    runs = [p.cells for p in parts if p.is_run]
    fitting = [cells for cells in runs if len(cells) == _T4_CELLS]
    if not fitting:
        # A row of 15 numbers wrapped over two lines: adjacent runs that add up to 15.
        fitting = [
            a.cells + b.cells
            for a, b in itertools.pairwise(parts)
            if a.is_run and b.is_run and len(a.cells) + len(b.cells) == _T4_CELLS
        ]
    if len(fitting) != 1:
        if runs:
            sizes = "、".join(str(len(cells)) for cells in runs[:5])
            reading.note(f"表四应有一行 {_T4_CELLS} 个数，文字中找到的数字组长度为 {sizes}，无法确定")
            for group in TABLE4_GROUPS:
                for name in TABLE4_FIELDS:
                    reading.put(group.value, name, Unsure("表四的数字无法对应到列"))
        return reading
    cells = iter(fitting[0])
    for group in TABLE4_GROUPS:
        reading.rows.add(group.value)
        for name in TABLE4_FIELDS:
            reading.put(group.value, name, parse_cell(next(cells)))
    return reading
