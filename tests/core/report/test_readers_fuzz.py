"""No input crashes or hangs a reader, and no number comes out that the input does not print.

Hypothesis feeds random bytes (bare, and behind the magic numbers that choose each reader),
mutations of the sample text, of a web page, of a Word file and of a real PDF. A reader may
return a report or raise ReportReadError naming the file; a fault of the reader itself (wrapped
as INTERNAL_ERROR by ``read_bytes``) fails the test. Every number a report holds must be printed
in the input: a reader that shifts cells can still only produce numbers that exist, but one that
invents or joins numbers is caught.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from gongkai.core.errors import ReportReadError
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import INTERNAL_ERROR, read_bytes
from gongkai.core.report.taxonomy import OUTCOME_GROUPS, TABLE3_KEYS, ReportFormat, table3_rows
from tests.core.report.test_readers import docx_bytes, html_page, html_tables, numbered

SHARED = Path(__file__).resolve().parents[4] / "shared" / "samples"
SAMPLE_TEXT = (SHARED / "miyun-guoyuan-2023.txt").read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE_TEXT.splitlines()
PDF = (SHARED / "real" / "huaian-hongze-2024.pdf").read_bytes()
HTML = html_page(numbered(), html_tables(numbered()))
DOCX = docx_bytes(numbered())

FAST = settings(max_examples=800, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
MEDIUM = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _printed_tokens(data: bytes) -> set[str]:
    """The numbers printed in ``data`` as written (digits, an optional decimal part)."""
    text = ""
    for encoding in ("utf-8", "gb18030", "utf-16"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    folded = unicodedata.normalize("NFKC", text).replace(",", "")
    return set(_NUMBER.findall(folded))


def _shown_tokens(page: bytes) -> set[str]:
    """Numbers a browser shows: markup can join text ("250</0<td>251" shows "250251")."""
    try:
        root = lxml.html.document_fromstring(page.decode("utf-8", errors="replace"))
    except (etree.ParserError, ValueError):
        return set()
    etree.strip_tags(root, etree.Comment)
    tokens: set[str] = set()
    for node in root.iter():
        for text in (node.text, node.tail):
            if text:
                tokens |= _printed_tokens(text.encode("utf-8"))
    return tokens


def _is_printed(value: int | Decimal, tokens: set[str]) -> bool:
    """``value`` is printed as a number, or its digits are a contiguous part of a printed digit
    run: the run-together decoder (issue 15) splits "530010357" into 53, 0, 0, 1, 0, 3, 57 when
    the report's sums leave one way to do it. A number from nowhere is still caught."""
    if any(Decimal(token) == abs(Decimal(value)) for token in tokens):
        return True
    digits = format(abs(Decimal(value)).normalize(), "f")
    return digits.isdigit() and any(digits in token.replace(".", "") for token in tokens)


def _values(report: AnnualReport) -> list[int | Decimal]:
    out: list[int | Decimal] = []
    for row in report.table2.values():
        out.extend(v for v in row.values() if v is not None)
    for cells in report.table3.values():
        out.extend(v for v in cells if v is not None)
    for group in report.table4.values():
        out.extend(v for v in group.values() if v is not None)
    return out


def read(data: bytes, *, printed: bool = True, page: bool = False) -> AnnualReport | None:
    """Read fuzzed bytes: a report or a ReportReadError naming the file, never a crash; with
    ``printed``, every number read must be printed in the input (as shown, for a ``page``)."""
    try:
        report = read_bytes(data, name="fuzzed-input")
    except ReportReadError as exc:
        assert INTERNAL_ERROR not in str(exc), str(exc)
        assert "fuzzed-input" in str(exc)
        return None
    if printed:
        tokens = _shown_tokens(data) if page else _printed_tokens(data)
        for value in _values(report):
            assert _is_printed(value, tokens), f"{value} is not printed in the input"
    return report


# -- random bytes --------------------------------------------------------------------------------

MAGIC = [
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"<html><body>",
    b"<table><tr><td>",
    b'{"schema": "gongkai.annual-report/1", ',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"{\\rtf1",
]


@FAST
@given(st.binary(max_size=4096))
def test_random_bytes(data: bytes) -> None:
    read(data, printed=False)


@MEDIUM
@given(st.sampled_from(MAGIC), st.binary(max_size=2048))
def test_random_bytes_behind_a_magic_number(magic: bytes, data: bytes) -> None:
    read(magic + data, printed=False)


@MEDIUM
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    read(text.encode("utf-8"))


# -- mutations of real input ---------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "0",
        "12",
        "1,234",
        "２０",
        "/",
        "—",
        "无",
        "\t",
        "  ",
        "（六）其他处理",
        "3.其他",
        "总计",
        "一、本年新收政府信息公开申请数量",
        "\u3000",
        "- 3 -",
        "<td>",
        "2 0",
    ]
)


@st.composite
def mutated_lines(draw: st.DrawFn, lines: list[str]) -> str:
    lines = list(lines)
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "edit", "truncate", "split"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.one_of(_FRAGMENTS, st.text(max_size=30))))
        elif op == "edit":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = (
                line[:at] + draw(st.one_of(_FRAGMENTS, st.text(max_size=5))) + line[at + draw(st.integers(0, 3)) :]
            )
        elif op == "truncate":
            lines = lines[:i]
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i : i + 1] = [lines[i][:at], lines[i][at:]]
    return "\n".join(lines)


@FAST
@given(mutated_lines(SAMPLE_LINES))
def test_mutated_sample_text(text: str) -> None:
    read(text.encode("utf-8"))


@MEDIUM
@given(mutated_lines(HTML.splitlines()))
def test_mutated_web_page(page: str) -> None:
    read(page.encode("utf-8"), page=True)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "delete", "insert"]))
        i = draw(st.integers(0, max(0, len(out) - 1)))
        if op == "flip" and out:
            out[i] = draw(st.integers(0, 255))
        elif op == "truncate":
            del out[i:]
        elif op == "delete":
            del out[i : i + draw(st.integers(1, 4096))]
        else:
            out[i:i] = draw(st.binary(min_size=1, max_size=64))
    return bytes(out)


@SLOW
@given(mutated_bytes(PDF))
def test_mutated_pdf(data: bytes) -> None:
    read(data, printed=False)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_bytes(DOCX))
def test_mutated_word_file(data: bytes) -> None:
    read(data, printed=False)


def test_unmutated_inputs_read_back() -> None:
    """The fuzz bases are readable: the properties above are not vacuous."""
    assert read(SAMPLE_TEXT.encode("utf-8")) is not None
    assert read(HTML.encode("utf-8"), page=True) is not None
    assert read(DOCX, printed=False) is not None
    assert read(PDF, printed=False) is not None


# -- table 三 in any text layout: a number is in its own row or nowhere -----------------------------

_STYLES = (
    "same line",
    "tabs",
    "below",
    "above",
    "split around",
    "split three",
    "one per line",
    "no numbers",
    "blank",
    "typo",
    "one number short",
)
_JUNK = ("年", "度", "- 3 -", "三、", "本年度办理结果", "（三）不予公开", "（五）不予处理 0 0 0 0 0 0 0", "")


def _cut(draw: st.DrawFn, label: str) -> int:
    """Where a long label wraps in a table cell: past its middle (a cell holds 10–20 characters)."""
    if len(label) < 12:
        return len(label)
    return draw(st.integers(len(label) // 2, len(label) - 2))


@st.composite
def table3_layouts(draw: st.DrawFn) -> tuple[AnnualReport, str]:
    """Table 三 as text, each row laid out its own way: numbers on the label's line, below it,
    above it, between the halves of a long label broken where a cell wraps it, one per line; a
    row without numbers, left blank, or with a label no key phrase recognises (its numbers must
    not go to a neighbour); stray characters of the vertical 三、本年度办理结果 cell, page
    footers and group labels (with or without a subtotal) between rows."""
    want = numbered()
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "自然人 法人或其他组织 总计",
        "商业企业 科研机构 社会公益组织 法律服务机构 其他",
    ]
    for row in table3_rows(ReportFormat.F2021):
        label, values = row.full_label, [str(v) for v in want.table3[row.key]]
        style = draw(st.sampled_from(_STYLES))
        if row.key != "new" and draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(_JUNK)))
        if row.key == "new":
            style = "same line"  # the table starts at a recognised "本年新收" row
        if style == "same line":
            lines.append(f"{label} {' '.join(values)}")
        elif style == "tabs":
            lines.append("\t".join([label, *values]))
        elif style == "below":
            lines.extend([label, " ".join(values)])
        elif style == "above":
            lines.extend([" ".join(values), label])
        elif style == "split around":
            cut = _cut(draw, label)
            lines.extend([label[:cut], " ".join(values), label[cut:]])
        elif style == "split three":
            cut = _cut(draw, label)
            second = cut + _cut(draw, label[cut:]) if len(label) - cut >= 12 else len(label)
            lines.extend([label[:cut], label[cut:second], " ".join(values), label[second:]])
        elif style == "one number short":
            lines.append(f"{label} {' '.join(values[1:])}")
        elif style == "one per line":
            lines.extend([label, *values, ""])
        elif style == "no numbers":
            lines.append(label)
        elif style == "blank":
            lines.append("\t".join([label, *[""] * len(values)]))
        else:
            lines.append(f"{row.marker}某某事项 {' '.join(values)}")
    return want, "\n".join(lines)


@MEDIUM
@given(table3_layouts())
def test_table3_text_in_any_layout_never_gives_a_row_another_rows_numbers(case: tuple[AnnualReport, str]) -> None:
    want, text = case
    got = read(text.encode("utf-8"))
    if got is None:
        return
    for key in TABLE3_KEYS:
        for column, value in enumerate(got.table3[key]):
            assert value is None or value == want.table3[key][column], (key, column, value)


# -- table 三 as a web table with its columns and rows in any order ---------------------------------

_SUBS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


@st.composite
def table3_grids(draw: st.DrawFn) -> tuple[AnnualReport, str]:
    """A table 三 whose column blocks (自然人 / 法人或其他组织 / 总计), sub-columns and rows come in
    any order: numbers are placed by header and label, never by position."""
    want = numbered()
    blocks = draw(st.permutations(["natural", "org", "total"]))
    subs = draw(st.permutations(range(5)))
    order: list[int] = []  # table 三 column index of each printed value column
    top = ['<td rowspan="2" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>']
    second: list[str] = []
    for block in blocks:
        if block == "natural":
            top.append('<td rowspan="2">自然人</td>')
            order.append(0)
        elif block == "total":
            top.append('<td rowspan="2">总计</td>')
            order.append(6)
        else:
            top.append('<td colspan="5">法人或其他组织</td>')
            second.extend(f"<td>{_SUBS[i]}</td>" for i in subs)
            order.extend(1 + i for i in subs)
    rows = list(table3_rows(ReportFormat.F2021))
    rows = draw(st.permutations(rows))
    body = [f"<tr>{''.join(top)}</tr>", f"<tr>{''.join(second)}</tr>"]
    groups = {g.key: g.full_label for g in OUTCOME_GROUPS}
    for row in rows:
        values = want.table3[row.key]
        if row.group_key:  # each row keeps its group cell: the rows are shuffled, not the grid
            label = f"<td>{groups[row.group_key]}</td><td>{row.full_label}</td>"
        else:
            label = f'<td colspan="2">{row.full_label}</td>'
        body.append(f"<tr>{label}" + "".join(f"<td>{values[c]}</td>" for c in order) + "</tr>")
    page = f"<html><body><p>三、收到和处理政府信息公开申请情况</p><table>{''.join(body)}</table></body></html>"
    return want, page


@MEDIUM
@given(table3_grids())
def test_table3_web_table_in_any_column_and_row_order(case: tuple[AnnualReport, str]) -> None:
    want, page = case
    got = read(page.encode("utf-8"), page=True)
    assert got is not None
    assert got.table3 == want.table3
