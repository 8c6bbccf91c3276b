"""Web pages: every ``<table>`` as a grid (rowspan/colspan expanded), and the page as text lines.

The lines keep document order with a table row per line and its cells separated by tabs, so a
page whose tables were flattened into paragraphs is read from its text. A cell that holds the
whole article (a layout table) keeps its paragraphs as lines. lxml (installed with python-docx)
parses the page as a browser would (comments dropped, so "250<!---->251" shows "250251").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice

from lxml import etree

from gongkai.core import lazyre
from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import MAX_GRID_COLS, MAX_GRID_ROWS, Document, Grid, GridBuilder, SourceKind
from gongkai.core.report.readers.text import MAX_TEXT_CHARS

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "select", "option", "button", "svg", "iframe"})
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3", "h4",
        "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "form", "hr", "address", "figure",
        "figcaption", "center", "caption", "body", "html",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
#: Inside a cell, these end a line; a cell or row misnested inside a cell (broken markup) too, so
#: its number is not joined to the cell's own.
_BREAKS = _BLOCK | _CELL | {"br", "tr"}
_XML_DECLARATION = lazyre.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ARTICLE_TITLE = etree.XPath("//meta[translate(@name,'ARTICLETIT','articletit')='articletitle']/@content")
MAX_ELEMENTS = 200_000  # a report page has a few thousand
MAX_TABLES = 500
_LAYOUT_CELL_CHARS = 400


def html_document(text: str, source: str) -> Document:
    """Grids of every table and the page's text lines."""
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReportReadError(f"网页无法解析：{exc}", source=source) from None
    if root is None:
        raise ReportReadError("文件中没有可读的文字", source=source)
    if next(islice(root.iter(), MAX_ELEMENTS, None), None) is not None:  # more than MAX_ELEMENTS
        raise ReportReadError(f"网页元素过多（超过 {MAX_ELEMENTS} 个），不像是一份年度报告", source=source)
    hints = [str(v) for v in _ARTICLE_TITLE(root)]
    heads = list(root.iter("title", "h1"))  # the page's title, then the article's own heading
    hints.extend("".join(t.itertext()) for t in heads if t.tag == "title")
    hints.extend("".join(t.itertext()) for t in heads if t.tag == "h1")
    grids: list[Grid] = []
    lines = _Lines()
    walker = etree.iterwalk(root, events=("start", "end"))
    current = lines.current
    for event, element in walker:  # a few thousand elements: the loop is kept lean
        tag = element.tag
        tag = tag.lower() if type(tag) is str else ""
        if event == "start":
            if tag in _SKIP:
                walker.skip_subtree()
                continue
            if (tag == "tr" and _plain_row_line(element, lines)) or (
                tag == "table" and _plain_table(element, lines, grids)
            ):
                walker.skip_subtree()  # its "end" event still comes: _close ends the line
                continue
            if tag in _OPENS:
                _open(element, tag, lines, grids)
            value = element.text
        else:
            if tag in _CLOSES:
                _close(element, tag, lines)
            value = element.tail
        if value:  # what _Lines.text does, inline
            current.append(value.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    page_lines = lines.done()
    if sum(len(line) for line in page_lines) > MAX_TEXT_CHARS:
        raise ReportReadError(f"网页文字过长（超过 {MAX_TEXT_CHARS // 10000} 万字），不像是一份年度报告", source=source)
    return Document(
        source=source,
        kind=SourceKind.HTML,
        lines=page_lines,
        grids=grids,
        title_hint="\n".join(h.strip() for h in hints if h.strip()),
    )


def _tag(element: etree._Element) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


class _Lines:
    """Text lines being built: blocks end lines; in a data table, cells are tab-separated."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []
        self.cells: list[bool] = []  # per open cell: True when it is a layout cell
        self.row_cells: list[int] = []  # per open row: cells opened so far

    @property
    def in_data_cell(self) -> bool:
        return bool(self.cells) and not self.cells[-1]

    def text(self, value: str | None) -> None:
        if value:
            self.current.append(value.replace("\n", " ").replace("\r", " ").replace("\t", " "))

    def block(self) -> None:
        """A block boundary: a space inside a table value cell, else the end of a line."""
        if self.in_data_cell:
            self.current.append(" ")
        else:
            self.end_line()

    def end_line(self) -> None:
        line = "".join(self.current)
        self.current.clear()
        if line.strip():
            self.lines.append(line)

    def done(self) -> list[str]:
        self.end_line()
        return self.lines


#: Tags :func:`_open` and :func:`_close` act on (any other element only adds its text and tail).
_OPENS = _BLOCK | _CELL | {"table", "tr", "br"}
_CLOSES = _BLOCK | _CELL | {"table", "tr"}


def _plain_cells(row: etree._Element) -> list[etree._Element] | None:
    """The cells of a row whose children are all ``<td>``/``<th>`` holding only text (the usual
    row), else None: such a row is read in one go, without a walk over its cells."""
    cells: list[etree._Element] = list(row)
    for cell in cells:
        tag = cell.tag
        if tag != "td" and tag != "th" and (type(tag) is not str or tag.lower() not in _CELL):
            return None
        if len(cell):
            return None
    return cells


def _plain_row_line(row: etree._Element, lines: _Lines) -> bool:
    """Add a plain row's text to ``lines`` as the walk over its cells would (cells joined by
    tabs); False, adding nothing, for any other row (a cell long enough to be a layout cell)."""
    cells = _plain_cells(row)
    if cells is None:
        return False
    for cell in cells:
        if len(cell.text or "") > _LAYOUT_CELL_CHARS:
            return False
    lines.end_line()
    lines.row_cells.append(len(cells))  # popped by _close at the row's end
    current = lines.current
    _add_text(current, row.text)
    _add_cells(current, cells)
    return True


def _plain_table(table: etree._Element, lines: _Lines, grids: list[Grid]) -> bool:
    """Read a plain table in one go: its grid, and its lines as the walk over its elements would
    give them. Plain: only rows of plain cells (:func:`_plain_cells`, none long enough to be a
    layout cell), in row groups or not, a caption of text only and columns; else False, and
    nothing is read."""
    rows: list[tuple[etree._Element, list[etree._Element]]] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            cells = _plain_cells(child)
            if cells is None:
                return False
            rows.append((child, cells))
        elif tag in _SECTIONS:
            for row in child:
                cells = _plain_cells(row) if row.tag == "tr" else None
                if cells is None:
                    return False
                rows.append((row, cells))
        elif tag == "colgroup":
            if any(col.tag != "col" or len(col) for col in child):
                return False
        elif tag not in ("caption", "col") or len(child):
            return False
    for _, cells in rows:
        for cell in cells:
            if len(cell.text or "") > _LAYOUT_CELL_CHARS:
                return False
    lines.end_line()  # what _open does for a table
    if len(grids) < MAX_TABLES:
        grid = _grid_of(rows)
        if grid is not None:
            grids.append(grid)
    current = lines.current
    _add_text(current, table.text)
    for child in table:
        tag = child.tag
        if tag == "tr":
            _plain_row_text(child, lines)
        elif tag in _SECTIONS:
            _add_text(current, child.text)
            for row in child:
                _plain_row_text(row, lines)
                _add_text(current, row.tail)
        elif tag == "caption":
            lines.block()
            _add_text(current, child.text)
            lines.block()
        else:  # colgroup, col
            _add_text(current, child.text)
            for col in child:
                _add_text(current, col.text)
                _add_text(current, col.tail)
        _add_text(current, child.tail)
    return True


def _add_cells(current: list[str], cells: Iterable[etree._Element]) -> None:
    """What the walk adds for a plain row's cells: each one's text and tail, a tab between cells."""
    first = True
    for cell in cells:
        if first:
            first = False
        else:
            current.append("\t")
        value = cell.text
        if value:
            current.append(value.replace("\n", " ").replace("\r", " ").replace("\t", " "))
        value = cell.tail
        if value:
            current.append(value.replace("\n", " ").replace("\r", " ").replace("\t", " "))


def _add_text(current: list[str], value: str | None) -> None:
    """What the walk adds for an element's text or tail."""
    if value:
        current.append(value.replace("\n", " ").replace("\r", " ").replace("\t", " "))


def _plain_row_text(row: etree._Element, lines: _Lines) -> None:
    """A plain row's line, as the walk gives it from the row's start to its end."""
    lines.end_line()
    current = lines.current
    _add_text(current, row.text)
    _add_cells(current, row)
    lines.end_line()


def _grid_of(rows: list[tuple[etree._Element, list[etree._Element]]]) -> Grid | None:
    """The grid of plain rows (what :func:`table_grid` gives for them)."""
    builder = GridBuilder()
    for _, cells in rows:
        builder.new_row()
        if builder.full:
            break
        _add_plain_cells(builder, cells)
    return builder.build()


def _add_plain_cells(builder: GridBuilder, cells: list[etree._Element]) -> None:
    """Plain cells into the grid (their text is what :func:`cell_text` gives)."""
    row: list[tuple[str, int, int]] = []
    for cell in cells:
        colspan, rowspan = cell.get("colspan"), cell.get("rowspan")
        row.append(
            (
                (cell.text or "").strip(),
                1 if colspan is None else _span(colspan, MAX_GRID_COLS),
                1 if rowspan is None else _span(rowspan, MAX_GRID_ROWS),
            )
        )
    builder.add_cells(row)


def _open(element: etree._Element, tag: str, lines: _Lines, grids: list[Grid]) -> None:
    if tag == "table":
        lines.end_line()
        if len(grids) < MAX_TABLES:
            grid = table_grid(element)
            if grid is not None:
                grids.append(grid)
    elif tag == "tr":
        lines.end_line()
        lines.row_cells.append(0)
    elif tag in _CELL:
        layout = _is_layout_cell(element)
        if layout:
            lines.end_line()
        elif lines.row_cells and lines.row_cells[-1] > 0:
            lines.current.append("\t")
        if lines.row_cells:
            lines.row_cells[-1] += 1
        lines.cells.append(layout)
    elif tag == "br" or tag in _BLOCK:
        lines.block()


def _close(element: etree._Element, tag: str, lines: _Lines) -> None:
    if tag in _CELL:
        if lines.cells and lines.cells.pop():
            lines.end_line()
    elif tag == "tr":
        if lines.row_cells:
            lines.row_cells.pop()
        lines.end_line()
    elif tag == "table":
        lines.end_line()
    elif tag in _BLOCK:
        lines.block()


def _is_layout_cell(cell: etree._Element) -> bool:
    """A cell that holds paragraphs of an article or a table of its own, not a table value."""
    if len(cell) == 0:
        return len(cell.text or "") > _LAYOUT_CELL_CHARS
    if cell.find(".//table") is not None:
        return True
    return sum(len(t) for t in cell.itertext()) > _LAYOUT_CELL_CHARS


def _span(raw: str, limit: int) -> int:
    """A ``colspan``/``rowspan`` attribute's number, at least 1 and at most ``limit``."""
    digits = re.match(r"\d+", str(raw).strip())
    return max(1, min(int(digits.group()) if digits else 1, limit))


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        tag = child.tag
        if tag == "tr" or _tag(child) == "tr":
            yield child
        elif tag in _SECTIONS or _tag(child) in _SECTIONS:
            yield from (row for row in child if row.tag == "tr" or _tag(row) == "tr")


_SECTIONS = frozenset({"thead", "tbody", "tfoot"})


def table_grid(table: etree._Element) -> Grid | None:
    """A ``<table>`` as a grid; the text of tables nested in a cell is left out of that cell."""
    builder = GridBuilder()
    for row in _rows(table):
        builder.new_row()
        if builder.full:
            break
        cells = _plain_cells(row)
        if cells is not None:
            _add_plain_cells(builder, cells)
            continue
        for cell in row:
            if builder.row_full:
                break
            if _tag(cell) in _CELL:
                colspan, rowspan = cell.get("colspan"), cell.get("rowspan")
                builder.add(
                    cell_text(cell),
                    1 if colspan is None else _span(colspan, MAX_GRID_COLS),
                    1 if rowspan is None else _span(rowspan, MAX_GRID_ROWS),
                )
    return builder.build()


def cell_text(cell: etree._Element) -> str:
    """A cell's text with line breaks between its paragraphs, without nested tables."""
    if len(cell) == 0:
        return (cell.text or "").strip()
    parts: list[str] = [cell.text or ""]
    walker = etree.iterwalk(cell, events=("start", "end"))
    for event, element in walker:
        if element is cell:
            continue
        tag = _tag(element)
        if event == "start":
            if tag == "table" or tag in _SKIP:
                walker.skip_subtree()
                continue
            if tag in _BREAKS:
                parts.append("\n")
            parts.append(element.text or "")
        else:
            if tag in _BREAKS:
                parts.append("\n")
            parts.append(element.tail or "")
    return "\n".join(line.strip() for line in "".join(parts).splitlines() if line.strip())
