"""The new readers never crash on garbage: truncated and mutated OFD, .xlsx, Markdown,
run-together text, page images and old Word files, and random digit runs for the splitter.

A reader returns a report or raises ReportReadError naming the file; a fault of the reader
itself (INTERNAL_ERROR) fails. Numbers read from text must be printed in it, or — where the
reader says it split run-together digits — be a piece of a printed digit run.
"""

from __future__ import annotations

import io
import re
import unicodedata
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from gongkai.core.errors import ReportReadError
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import INTERNAL_ERROR, read_bytes
from gongkai.core.report.readers.joined import JOINED_NOTE
from gongkai.core.report.readers.rundigits import MAX_CELL_DIGITS, agreed, split_groups, split_runs
from gongkai.core.report.writers import render_xlsx
from tests.core.report import quirks
from tests.core.report.corpus import build_reports
from tests.core.report.test_readers_quirks import FILES

MIYUN = next(r for r in build_reports() if r.name == "r02-2021-miyun").report
OFD = quirks.ofd(MIYUN)
XLSX = render_xlsx(MIYUN)
MARKDOWN = quirks.markdown(MIYUN)
JOINED = quirks.run_together(MIYUN)
DOC = (FILES / "miyun-2023.doc").read_bytes()

MEDIUM = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _png() -> bytes:
    image = Image.new("L", (60, 40), 255)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


PNG = _png()


def read(data: bytes) -> AnnualReport | None:
    try:
        return read_bytes(data, name="fuzzed-input")
    except ReportReadError as exc:
        assert INTERNAL_ERROR not in str(exc), str(exc)
        assert "fuzzed-input" in str(exc)
        return None


def _numbers(report: AnnualReport) -> list[Decimal]:
    values: list[object] = [v for row in report.table2.values() for v in row.values()]
    values += [v for row in report.table3.values() for v in row]
    values += [v for group in report.table4.values() for v in group.values()]
    return [abs(Decimal(str(v))) for v in values if v is not None]


def assert_printed(text: str, report: AnnualReport | None) -> None:
    if report is None:
        return
    folded = unicodedata.normalize("NFKC", text).replace(",", "")
    runs = re.findall(r"\d+(?:\.\d+)?", folded)
    printed = {Decimal(r) for r in runs}
    if any(n.message == JOINED_NOTE for n in report.notes):
        digits = re.findall(r"\d+", folded)
        printed |= {
            Decimal(run[i:j]) for run in digits for i in range(len(run)) for j in range(i + 1, min(len(run), i + 9) + 1)
        }
    for value in _numbers(report):
        assert value in printed, f"{value} is not printed in the input"


def mutate(data: bytes, cut: int, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data[: max(1, cut % (len(data) + 1))])
    for at, byte in edits:
        if out:
            out[at % len(out)] = byte
    return bytes(out)


EDITS = st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), max_size=8)


@MEDIUM
@given(st.integers(0, 10**9), EDITS)
def test_mutated_ofd(cut: int, edits: list[tuple[int, int]]) -> None:
    read(mutate(OFD, cut, edits))


@FEW
@given(st.integers(0, 10**9), EDITS)
def test_mutated_xlsx(cut: int, edits: list[tuple[int, int]]) -> None:
    read(mutate(XLSX, cut, edits))


@MEDIUM
@given(st.data())
def test_mutated_markdown_and_run_together_text(data: st.DataObject) -> None:
    for text in (MARKDOWN, JOINED):
        chars = list(text)
        for _ in range(data.draw(st.integers(0, 12))):
            at = data.draw(st.integers(0, max(0, len(chars) - 1)))
            action = data.draw(st.sampled_from(["delete", "insert", "replace"]))
            piece = data.draw(st.sampled_from(["", "|", "\t", "\n", " ", "0", "7", "总计", "---", "#"]))
            if action == "delete" and chars:
                del chars[at]
            elif action == "insert":
                chars.insert(at, piece)
            elif chars:
                chars[at] = piece
        mutated = "".join(chars)
        assert_printed(mutated, read(mutated.encode()))


@FEW
@given(st.integers(0, 10**9), EDITS)
def test_mutated_image(cut: int, edits: list[tuple[int, int]]) -> None:
    read(mutate(PNG, cut, edits))


@settings(max_examples=3, deadline=None, database=None)
@given(st.integers(100, 70_000))
def test_truncated_doc(cut: int) -> None:
    read(DOC[:cut])


@MEDIUM
@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=12), min_size=1, max_size=5), st.integers(1, 9))
def test_splitter_returns_only_true_splits(runs: list[str], cells: int) -> None:
    split = split_runs(runs, cells, sum_last=True)
    for candidate in split.candidates:
        assert len(candidate) == cells
        assert sum(candidate[:-1]) == candidate[-1]
        assert "".join(map(str, candidate)) == "".join(runs)
        assert all(len(str(v)) <= MAX_CELL_DIGITS for v in candidate)
    values = agreed(split.candidates, cells)
    assert all(v is None or all(c[i] == v for c in split.candidates) for i, v in enumerate(values))
    for candidate in split_groups(runs, 3, 5).candidates:
        assert all(sum(candidate[g * 5 : g * 5 + 4]) == candidate[g * 5 + 4] for g in range(3))
