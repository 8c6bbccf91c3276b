"""Digits run together: splitting "530010357" into the cells 53, 0, 0, 1, 0, 3, 57 by the report's
own arithmetic.

A crawler or a copy from a browser can lose the boundaries between a table's cells, so a row of
table 三 reads ``本年新收政府信息公开申请数量530010357``. The national format fixes how many cells
each row has and which sums hold (legal spec §3.7): every row's 总计 column is the sum of the six
applicant columns (V3), 一 + 二 = （七）总计 + 四 per column (V1), （七）总计 is the sum of the
outcome rows per column (V2), and each table 四 group's 总计 is 维持 + 纠正 + 其他 + 尚未审结 (V5).

:func:`split_runs` enumerates the ways to cut a row's digit runs into its cells (a number of more
than one digit never starts with 0; a cell has at most :data:`MAX_CELL_DIGITS` digits) that
satisfy the row's own sum; :func:`narrow` then removes, column by column, every candidate that no
choice of the other rows' candidates can make add up (V1, V2). A cell is accepted only when every
remaining candidate of its row agrees on it; otherwise it stays unsure with a note naming the
choices. Enumeration is capped (:data:`MAX_CANDIDATES` per row, :data:`MAX_STEPS` steps), so a
report takes milliseconds whatever its text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

#: A count in a published table has at most this many digits (a province's total is 6).
MAX_CELL_DIGITS = 7
#: A row with more splits satisfying its sum than this is left unsure (nothing is guessed).
MAX_CANDIDATES = 400
#: Steps of the enumeration of one row (each step places one cell).
MAX_STEPS = 20_000
#: Possible sums kept while narrowing one column equation; beyond this the equation is not used.
MAX_SUMS = 20_000

Candidate = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Split:
    """The splits of one row that satisfy its constraint; ``capped`` when enumeration gave up."""

    candidates: tuple[Candidate, ...]
    capped: bool = False


def _numbers(digits: str, start: int) -> list[tuple[int, int]]:
    """(value, end) of every number that can start at ``start`` of ``digits``."""
    if start >= len(digits):
        return []
    if digits[start] == "0":
        return [(0, start + 1)]
    return [(int(digits[start:end]), end) for end in range(start + 1, min(len(digits), start + MAX_CELL_DIGITS) + 1)]


def split_runs(
    runs: Sequence[str], cells: int, check: Callable[[Candidate], bool] | None = None, *, sum_last: bool = False
) -> Split:
    """Every way to cut ``runs`` (digit strings, boundaries between them certain) into ``cells``
    numbers, in order, that passes ``check``.

    ``sum_last``: the last cell is the sum of the others (table 三's 总计 column, table 四's 总计
    within a group); the enumeration then places the sum directly, which keeps it fast.
    """
    runs = [r for r in runs if r]
    if not runs or sum(len(r) for r in runs) < cells or len(runs) > cells:
        return Split(())
    if sum_last and check is None:
        return _split_to_total(runs, cells)
    out: list[Candidate] = []
    steps = 0
    capped = False

    def walk(run: int, pos: int, placed: list[int]) -> None:
        nonlocal steps, capped
        if capped:
            return
        steps += 1
        if steps > MAX_STEPS or len(out) > MAX_CANDIDATES:
            capped = True
            return
        if run == len(runs):
            if len(placed) == cells:
                candidate = tuple(placed)
                if check is None or check(candidate):
                    out.append(candidate)
            return
        digits = runs[run]
        if pos == len(digits):
            if pos > 0:
                walk(run + 1, 0, placed)
            return
        left = cells - len(placed)
        if left <= 0:
            return
        # Every later run needs at least one cell; the rest of this run at least one digit per cell.
        later_runs = len(runs) - run - 1
        if left < later_runs + 1:
            return
        if sum_last and left == 1:
            target = str(sum(placed))
            if digits.startswith(target, pos) and pos + len(target) == len(digits) and run == len(runs) - 1:
                placed.append(int(target))
                walk(run, len(digits), placed)
                placed.pop()
            return
        later = sum(len(r) for r in runs[run + 1 :])
        for value, end in _numbers(digits, pos):
            remaining_digits = len(digits) - end + later
            if remaining_digits < left - 1 or remaining_digits > (left - 1) * MAX_CELL_DIGITS:
                continue
            if sum_last and remaining_digits < (left - 2) + len(str(sum(placed) + value)):
                break  # the total is at least the sum so far: longer numbers here only make it worse
            placed.append(value)
            walk(run, end, placed)
            placed.pop()

    walk(0, 0, [])
    if capped:
        return Split((), capped=True)
    return Split(tuple(out))


#: Sums are kept as the bits of an integer, modulo this prime when the total is larger.
_MODULUS = 8191


def _split_to_total(runs: list[str], cells: int) -> Split:
    """:func:`split_runs` with ``sum_last``: the total is a suffix of the last run (at most
    :data:`MAX_CELL_DIGITS` choices); the digits before it are cut into ``cells - 1`` numbers that
    add up to it (:func:`_sums_to_total`). Random large numbers take a few milliseconds, where a
    blind left-to-right enumeration gave up after 20,000 steps. The candidates are the same, in
    the same order (shorter numbers first, cell by cell)."""
    found: list[tuple[tuple[int, ...], Candidate]] = []
    steps = [0]
    last = runs[-1]
    for length in range(1, min(len(last), MAX_CELL_DIGITS) + 1):
        total_digits = last[len(last) - length :]
        if length > 1 and total_digits[0] == "0":
            continue
        total = int(total_digits)
        body = [*runs[:-1], last[: len(last) - length]] if length < len(last) else runs[:-1]
        if not body:
            if cells == 1 and total == 0:
                found.append(((), (total,)))
            continue
        if cells == 1 or sum(len(r) for r in body) > (cells - 1) * MAX_CELL_DIGITS:
            continue
        if _sums_to_total(body, cells - 1, total, found, steps):
            return Split((), capped=True)
    found.sort(key=lambda item: item[0])
    return Split(tuple(candidate for _, candidate in found))


def _sums_to_total(
    body: list[str], numbers: int, total: int, found: list[tuple[tuple[int, ...], Candidate]], steps: list[int]
) -> bool:
    """Every cut of ``body`` into ``numbers`` numbers adding up to ``total``, appended to
    ``found`` with the lengths of its numbers; True when enumeration is capped (more than
    :data:`MAX_CANDIDATES` cuts, or :data:`MAX_STEPS` steps).

    ``reach[j][i]`` has bit s set when the digits from ``i`` on can be cut into j numbers adding up
    to s (modulo :data:`_MODULUS` for a large total; a number never crosses a run's end). The cuts
    are then read off from the front, taking only numbers after which the rest of the sum is
    still reachable; modulo, a branch may still end short, and the exact sum is checked there.
    """
    text = "".join(body)
    n = len(text)
    run_end: list[int] = []
    for run in body:
        run_end.extend([len(run_end) + len(run)] * len(run))
    exact = total < _MODULUS
    width = total + 1 if exact else _MODULUS
    mask = (1 << width) - 1
    choices: list[list[tuple[int, int]]] = []  # per position: (value, end) of each number there
    for i in range(n):
        if text[i] == "0":
            choices.append([(0, i + 1)])
            continue
        here: list[tuple[int, int]] = []
        for end in range(i + 1, min(run_end[i], i + MAX_CELL_DIGITS) + 1):
            value = int(text[i:end])
            if value > total:
                break
            here.append((value, end))
        choices.append(here)
    reach = [[0] * (n + 1)]
    reach[0][n] = 1
    for j in range(1, numbers + 1):
        below = reach[j - 1]
        row = [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            bits = 0
            for value, end in choices[i]:
                sub = below[end]
                if sub:
                    if exact:
                        bits |= sub << value
                    else:
                        shift = value % width
                        bits |= (sub << shift) | (sub >> (width - shift))
            row[i] = bits & mask
        reach.append(row)
    if not (reach[numbers][0] >> (total % width)) & 1:
        return False
    lengths: list[int] = []
    placed: list[int] = []

    def emit(i: int, j: int, rest: int) -> bool:
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            return True
        if j == 0:
            if rest != 0:
                return False
            found.append((tuple(lengths), (*placed, total)))
            return len(found) > MAX_CANDIDATES
        below = reach[j - 1]
        for value, end in choices[i]:
            if value > rest:
                break
            if (below[end] >> ((rest - value) % width)) & 1:
                lengths.append(end - i)
                placed.append(value)
                over = emit(end, j - 1, rest - value)
                placed.pop()
                lengths.pop()
                if over:
                    return True
        return False

    return emit(0, numbers, total)


def split_groups(runs: Sequence[str], groups: int, width: int) -> Split:
    """Table 四: ``groups`` groups of ``width`` cells, the last of each the sum of the others (V5)."""
    joined_cells = groups * width
    runs = [r for r in runs if r]
    if not runs or len(runs) > joined_cells:
        return Split(())
    out: list[Candidate] = []
    steps = 0
    capped = False

    def walk(run: int, pos: int, placed: list[int]) -> None:
        nonlocal steps, capped
        if capped:
            return
        steps += 1
        if steps > MAX_STEPS or len(out) > MAX_CANDIDATES:
            capped = True
            return
        if run < len(runs) and pos == len(runs[run]):
            walk(run + 1, 0, placed)
            return
        if run == len(runs):
            if len(placed) == joined_cells:
                out.append(tuple(placed))
            return
        if len(placed) == joined_cells:
            return
        digits = runs[run]
        in_group = len(placed) % width
        if in_group == width - 1:
            target = str(sum(placed[-(width - 1) :]))
            if digits.startswith(target, pos):
                placed.append(int(target))
                walk(run, pos + len(target), placed)
                placed.pop()
            return
        for value, end in _numbers(digits, pos):
            placed.append(value)
            walk(run, end, placed)
            placed.pop()

    walk(0, 0, [])
    if capped:
        return Split((), capped=True)
    return Split(tuple(out))


# ---------------------------------------------------------------------------------------------
# Narrowing by the column equations
# ---------------------------------------------------------------------------------------------

#: One column equation: Σ sign × row = 0 over (row key, sign) pairs.
Equation = tuple[tuple[str, int], ...]


def _sums(sets: Sequence[set[int]]) -> set[int] | None:
    total = {0}
    for values in sets:
        total = {a + b for a in total for b in values}
        if len(total) > MAX_SUMS:
            return None
    return total


def narrow(candidates: dict[str, list[Candidate]], equations: Sequence[Equation], columns: int) -> bool:
    """Remove candidates no choice of the other rows can complete to satisfy every equation, in
    every column (arc consistency). Rows not in ``candidates`` make an equation unusable.

    Returns False when the equations leave some row without any candidate: the published
    numbers do not satisfy them, and the caller must not narrow by them.
    """
    usable = [eq for eq in equations if all(row in candidates for row, _ in eq)]
    changed = True
    rounds = 0
    while changed and rounds < 20:
        changed = False
        rounds += 1
        for eq in usable:
            for column in range(columns):
                signed = [
                    (row, {sign * cand[column] for cand in candidates[row]}) for row, sign in eq
                ]  # per row, its signed values
                for i, (row, own) in enumerate(signed):
                    if len(own) == 1 and all(len(values) == 1 for _, values in signed):
                        continue
                    others = _sums([values for j, (_, values) in enumerate(signed) if j != i])
                    if others is None:
                        continue
                    allowed = {v for v in own if -v in others}
                    if allowed != own:
                        sign = dict(eq)[row]
                        kept = [c for c in candidates[row] if sign * c[column] in allowed]
                        candidates[row] = kept
                        changed = True
                        if not kept:
                            return False
                        signed[i] = (row, allowed)
    return True


def agreed(candidates: Sequence[Candidate], cells: int) -> list[int | None]:
    """Per cell, the value every candidate gives it, or None where they differ (or there are none)."""
    if not candidates:
        return [None] * cells
    first = candidates[0]
    return [first[c] if all(cand[c] == first[c] for cand in candidates) else None for c in range(cells)]


def choices(candidates: Sequence[Candidate], cell: int, limit: int = 4) -> str:
    """The values the candidates give one cell, for a note: "3、12 或 31"."""
    values = sorted({cand[cell] for cand in candidates})
    shown = [str(v) for v in values[:limit]]
    more = "等" if len(values) > limit else ""
    if len(shown) == 1:
        return shown[0]
    return "、".join(shown[:-1]) + f" 或 {shown[-1]}{more}"


def solve_rows(
    runs: Mapping[str, Sequence[str]], cells: int, equations: Sequence[Equation], *, sum_last: bool = True
) -> tuple[dict[str, list[int | None]], dict[str, str]]:
    """Split each row's runs into ``cells`` numbers by its own sum, narrow by the column
    equations, and keep the cells every remaining split agrees on.

    Returns the values (None where unsure) and, per row with an unsure cell, why.
    """
    candidates: dict[str, list[Candidate]] = {}
    reasons: dict[str, str] = {}
    for row, row_runs in runs.items():
        split = split_runs(row_runs, cells, sum_last=sum_last)
        if split.capped:
            reasons[row] = "数字连在一起，可能的拆分方式过多，无法确定"
        elif not split.candidates:
            reasons[row] = "数字连在一起，找不到一种拆分能使各列之和等于总计，无法确定"
        else:
            candidates[row] = list(split.candidates)
    narrowed = {row: list(c) for row, c in candidates.items()}
    if narrow(narrowed, equations, cells):
        candidates = narrowed
    values: dict[str, list[int | None]] = {}
    for row, cands in candidates.items():
        row_values = agreed(cands, cells)
        values[row] = row_values
        unsure = [c for c, v in enumerate(row_values) if v is None]
        if unsure:
            reasons[row] = f"数字连在一起，有 {len(cands)} 种拆分都符合表中的合计关系，无法确定"
    return values, reasons
