"""The readers' fast paths (issue 19) give what the plain paths give, on random input.

- ``normalize.nfkc`` (ASCII, CJK and full-width forms folded a character at a time) equals
  ``unicodedata.normalize("NFKC", …)`` on any string;
- the HTML reader's one-go reading of plain tables and rows gives the same lines and grids as
  its walk over every element, and garbage markup never raises anything but ReportReadError;
- ``GridBuilder.add_cells`` places a row as :meth:`GridBuilder.add` of each cell would;
- ``lazyre.compile`` patterns match as ``re.compile`` ones do.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import lazyre
from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers import INTERNAL_ERROR, html, read_bytes
from gongkai.core.report.readers.document import MAX_GRID_COLS, Document, GridBuilder
from gongkai.core.report.readers.normalize import fold, nfkc
from tests.core.report.test_readers import html_page, html_tables, numbered

SAMPLE = Path(__file__).resolve().parents[4] / "shared" / "samples" / "miyun-guoyuan-2023.txt"
FAST = settings(max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------------
# NFKC
# ---------------------------------------------------------------------------------------------

#: Characters around the fast path's edges: full-width forms and the ideographic space (folded
#: by the table), CJK punctuation (kept), and characters that send a text to the full NFKC:
#: combining marks, half-width katakana and its voiced mark (they compose), Hangul jamo,
#: compatibility ideographs, circled digits, the ellipsis, a non-breaking space.
_EDGES = (
    "，（）：；！？０１９ＡＺａｚ　、。《》“”—…·・〔〕【】"
    "\u0301\u0308\u3099\u309a\uff76\uff9e\uff9f\u1100\u1161\u11a8\uac00\uf900\ufa10\u2460\u2026\u00a0\u00bd"
    "\u2f00\u3400\u4e00\u9fff\U00020000\U0002f800\ufb01\u212b\u00c5\u0041\u0065"
)
_NFKC_TEXT = st.text(alphabet=st.sampled_from(_EDGES) | st.characters(), max_size=40)


@FAST
@given(_NFKC_TEXT)
def test_nfkc_is_unicodedata_nfkc(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
    assert fold(text) == unicodedata.normalize("NFKC", text).strip()


@FAST
@given(st.text(alphabet=st.sampled_from("自然人申请，（一）１２３　。、商业企业 \n\t12"), max_size=200))
def test_nfkc_of_report_text(text: str) -> None:
    """Text of the fast path itself (no character that needs the full NFKC)."""
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------------------------------------
# HTML: the one-go reading of plain tables and rows against the walk over every element
# ---------------------------------------------------------------------------------------------


@contextmanager
def _walk_only() -> Iterator[None]:
    """The HTML reader with its fast paths off: every table and row read by the walk."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(html, "_plain_table", lambda *_: False)
        patch.setattr(html, "_plain_row_line", lambda *_: False)
        patch.setattr(html, "_plain_cells", lambda *_: None)
        yield


def _read(text: str) -> tuple[object, ...]:
    try:
        doc: Document = html.html_document(text, "page.html")
    except ReportReadError as exc:
        return ("error", str(exc))
    return (doc.lines, [(g.texts, g.keys) for g in doc.grids], doc.title_hint)


_SPACE = st.sampled_from(["", "\n", " ", "\t", "\r\n  ", "x", "12", "\u3000"])
_CELL = st.builds(
    lambda tag, text, tail, attrs: f"<{tag}{attrs}>{text}</{tag}>{tail}",
    st.sampled_from(["td", "th", "TD"]),
    st.text(alphabet="0123456789 \n\t自然人总计行政复议维持", max_size=6) | st.just("长" * 401),
    _SPACE,
    st.sampled_from(["", ' colspan="2"', ' rowspan="2"', ' rowspan="2" colspan="3"', " colspan=0", ' colspan="99"']),
)
_ROW = st.builds(
    lambda cells, text, tail: f"<tr>{text}{''.join(cells)}</tr>{tail}", st.lists(_CELL, max_size=6), _SPACE, _SPACE
)
_PART = st.one_of(
    _ROW,
    st.builds(
        lambda rows, tag, text: f"<{tag}>{text}{''.join(rows)}</{tag}>",
        st.lists(_ROW, max_size=4),
        st.sampled_from(["tbody", "thead", "tfoot"]),
        _SPACE,
    ),
    st.builds(lambda text: f"<caption>{text}</caption>", _SPACE),
    st.sampled_from(
        [
            "<colgroup><col><col></colgroup>",
            "<col>",
            "<caption>表<b>三</b></caption>",
            "<tr><td><p>1</p>2</td></tr>",
            "<tr><td>3<br>4</td></tr>",
            "<tr><script>5</script><td>6</td></tr>",
            "<tr><td><table><tr><td>7</td></tr></table></td></tr>",
        ]
    ),
    _SPACE,
)
_MARKUP = st.lists(
    st.sampled_from(
        ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td rowspan="3">', "<p>", "<br>", "</div>"]
    )
    | st.text(alphabet="0123456789 \n一二三", max_size=5),
    max_size=40,
)


@FAST
@given(st.lists(_PART, max_size=8), _SPACE, _SPACE, st.sampled_from(["", "<div>", "<td>", "<table><tr><td>", "<p>"]))
def test_plain_tables_read_as_the_walk_reads_them(parts: list[str], text: str, tail: str, before: str) -> None:
    page = f"<html><body>{before}<p>前</p><table>{text}{''.join(parts)}</table>{tail}<p>后</p></body></html>"
    fast = _read(page)
    with _walk_only():
        assert _read(page) == fast


@FAST
@given(_MARKUP)
def test_random_markup_read_as_the_walk_reads_it(parts: list[str]) -> None:
    page = "<html><body>" + "".join(parts)
    fast = _read(page)
    with _walk_only():
        assert _read(page) == fast


def test_a_report_page_read_as_the_walk_reads_it() -> None:
    page = html_page(numbered(), html_tables(numbered()))
    fast = _read(page)
    assert fast[0] and fast[1]  # lines and grids
    with _walk_only():
        assert _read(page) == fast


@FAST
@given(st.binary(max_size=300) | _MARKUP.map(lambda parts: "".join(parts).encode()))
def test_garbage_html_gives_a_clear_error_or_a_report(data: bytes) -> None:
    """Whatever follows the markup that makes it a web page, the reader never fails inside."""
    try:
        read_bytes(b"<html><body><table><tr><td>" + data, name="page.html")
    except ReportReadError as exc:
        assert INTERNAL_ERROR not in str(exc)
        assert "page.html" in str(exc)


# ---------------------------------------------------------------------------------------------
# GridBuilder.add_cells
# ---------------------------------------------------------------------------------------------

_GRID_CELL = st.tuples(st.sampled_from(["", "1", "自然人"]), st.integers(1, 4), st.integers(1, 3)) | st.tuples(
    st.just("x"), st.just(1), st.just(1)
)


@FAST
@given(st.lists(st.lists(_GRID_CELL, max_size=MAX_GRID_COLS + 5), max_size=6))
def test_add_cells_is_add_of_each(rows: list[list[tuple[str, int, int]]]) -> None:
    one, each = GridBuilder(), GridBuilder()
    for row in rows:
        one.new_row()
        each.new_row()
        one.add_cells(row)
        for text, colspan, rowspan in row:
            each.add(text, colspan, rowspan)
    assert one.build() == each.build()


# ---------------------------------------------------------------------------------------------
# lazyre
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.text(alphabet="ab1２ \n（", max_size=12))
def test_lazy_pattern_is_the_compiled_pattern(text: str) -> None:
    source = r"(?P<num>\d+)|（"
    lazy, compiled = lazyre.compile(source), re.compile(source)
    assert lazy.sub("#", text) == compiled.sub("#", text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert bool(lazy.fullmatch(text)) == bool(compiled.fullmatch(text))
    assert (lazy.pattern, lazy.groups, lazy.groupindex) == (source, 1, {"num": 1})


def test_importing_the_readers_compiles_no_pattern() -> None:
    """The readers' module patterns are compiled on first use (start-up, issue 19): right after
    the import none is (a pattern's methods are bound onto it when it is compiled)."""
    probe = (
        "import sys\n"
        "import gongkai.core.report.readers, gongkai.core.report.readers.grid, gongkai.core.report.readers.html\n"
        "from gongkai.core.lazyre import _Lazy\n"
        "lazy = [v for name, m in list(sys.modules.items()) if name.startswith('gongkai.core.report.readers')\n"
        "        for v in vars(m).values() if type(v) is _Lazy]\n"
        "def compiled(p):\n"
        "    try:\n"
        "        _Lazy.match.__get__(p, _Lazy)\n"
        "    except AttributeError:\n"
        "        return False\n"
        "    return True\n"
        "print(len(lazy), sum(map(compiled, lazy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    patterns, compiled = map(int, out.split())
    assert patterns >= 20
    assert compiled == 0


def test_a_text_parse_leaves_the_grid_reader_unloaded(tmp_path: Path) -> None:
    """A text file has no grids: its parse does not import the grid reader (start-up, issue 19)."""
    report = tmp_path / "report.txt"
    report.write_bytes(SAMPLE.read_bytes())
    code = (
        "import contextlib, io, sys\nfrom gongkai.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['parse', {str(report)!r}]) == 0\n"
        "print('gongkai.core.report.readers.grid' in sys.modules, 'gongkai.core.report.readers.normalize' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "False True"
