"""Tables 二, 三 and 四 as grids of (possibly merged) cells, shared by every writer.

The grid is the national format's table as printed (国办公开办函〔2021〕30号, 2019 trial format
of 国办公开办函〔2019〕60号; legal spec §3.4–3.6, §4): label columns, merged headers, one cell per
number. HTML, Word, Excel and plain text draw the same grid, so they cannot disagree on where a
number sits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from gongkai.core.report.model import AnnualReport, Table2Value
from gongkai.core.report.taxonomy import (
    APPLICANT_COLUMNS,
    APPLICANT_GROUP_LABEL,
    APPLICANT_LABELS,
    COLUMN_COUNT,
    LITIGATION_GROUP_LABEL,
    ORGANISATION_GROUP_LABEL,
    OTHER_SINGLE_ROW_LABEL_2019,
    OUTCOME_GROUP_BY_KEY,
    OUTCOME_SECTION_LABEL,
    SECTION_HEADINGS,
    TABLE3_BALANCE_NOTE,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TABLE4_TOTAL_LABEL,
    ReviewKind,
    ReviewResult,
    RowKind,
    ValueType,
    table2_rows,
    table3_rows,
)

TITLE_SUFFIX = "政府信息公开工作年度报告"
INFO_CONTENT_LABEL = "信息内容"

#: Section keys in print order (taxonomy.SECTION_HEADINGS); the table ones carry a grid.
SECTION_ORDER: tuple[str, ...] = tuple(SECTION_HEADINGS)
TABLE_SECTIONS: tuple[str, ...] = ("table2", "table3", "table4")
#: Narrative printed before section 一 (the "依据《条例》第五十条…编制本报告" sentence).
PREAMBLE_KEY = "preamble"


class CellKind(StrEnum):
    """What a grid cell holds; writers style and mark up each kind the same way."""

    COLUMN_HEADER = "column_header"  # 申请人情况, 自然人, 结果维持 …
    BLOCK_HEADER = "block_header"  # table 二's 第二十条第（一）项, spanning the whole row
    ROW_HEADER = "row_header"  # 规章, （一）予以公开, 1.属于国家秘密
    ROW_GROUP = "row_group"  # 三、本年度办理结果, （三）不予公开: span several rows
    VALUE = "value"  # a number (or a blank)


#: The column key of table 三's 总计 column in a :class:`CellRef`.
TOTAL_COLUMN_KEY = "total"


@dataclass(frozen=True, slots=True)
class CellRef:
    """Where a number lives in ``AnnualReport``: table "二"/"三"/"四", row key, column key.

    The column key is the field name (tables 二, 四) or the applicant type / :data:`TOTAL_COLUMN_KEY`
    (table 三).
    """

    table: str
    row: str
    column: str


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell as printed: its top-left position, spans, text and (for numbers) the value."""

    row: int
    col: int
    text: str
    kind: CellKind
    rowspan: int = 1
    colspan: int = 1
    value: Table2Value = None
    value_type: ValueType | None = None
    ref: CellRef | None = None

    @property
    def is_header(self) -> bool:
        return self.kind is not CellKind.VALUE


@dataclass(frozen=True, slots=True)
class RowGroup:
    """Rows ``start``..``stop``-1 form one block: the column headers (``head``) or a body part."""

    start: int
    stop: int
    head: bool = False


@dataclass(frozen=True, slots=True)
class TableGrid:
    """A table of the national format, cell by cell.

    ``widths`` are relative column widths summing to 100; ``groups`` split the rows into the
    header block and body blocks (table 二 has one body block per 第二十条 item).
    """

    key: str  # "table2" / "table3" / "table4", as in SECTION_HEADINGS
    number: str  # "二" / "三" / "四"
    caption: str
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]
    widths: tuple[float, ...]
    groups: tuple[RowGroup, ...]

    @property
    def header_rows(self) -> int:
        """How many rows at the top are column headers (repeated on each page)."""
        return sum(g.stop - g.start for g in self.groups if g.head)

    def cells_in_row(self, row: int) -> list[GridCell]:
        """Cells whose top-left corner is in ``row``, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def owner(self) -> list[list[GridCell]]:
        """For every grid position, the cell that covers it."""
        grid: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    if grid[r][c] is not None:
                        raise AssertionError(f"表{self.number}第{r + 1}行第{c + 1}列被两个单元格覆盖")
                    grid[r][c] = cell
        complete: list[list[GridCell]] = []
        for r, line in enumerate(grid):
            row_cells: list[GridCell] = []
            for c, found in enumerate(line):
                if found is None:
                    raise AssertionError(f"表{self.number}第{r + 1}行第{c + 1}列没有单元格")
                row_cells.append(found)
            complete.append(row_cells)
        return complete

    def value_cells(self) -> Iterator[GridCell]:
        return (c for c in self.cells if c.kind is CellKind.VALUE)


def format_value(value: Table2Value) -> str:
    """A number as the report prints it: blank for ``None``, money as written (no rounding)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def report_title(report: AnnualReport) -> str:
    """ "<机关><年度>年政府信息公开工作年度报告" (条例 art 50), leaving out what is unknown."""
    year = f"{report.year}年" if report.year is not None else ""
    return f"{report.agency or ''}{year}{TITLE_SUFFIX}"


def title_lines(report: AnnualReport) -> list[str]:
    """The title as printed: the agency, then "<年度>年政府信息公开工作年度报告".

    GB/T 9704-2012 §7.3.1: a title that runs over one line breaks where the sense allows; the
    agency and the year + report name are the two halves every published report uses.
    """
    title = report_title(report)
    if report.agency and report.year is not None:
        return [report.agency, title[len(report.agency) :]]
    return [title]


# ---------------------------------------------------------------------------------------------
# Narrative
# ---------------------------------------------------------------------------------------------


class BlockKind(StrEnum):
    SUBHEADING = "subheading"  # （一）政府信息公开工作组织机构建设情况: 二级标题
    PARAGRAPH = "paragraph"


_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\S")
_SUBHEADING_MAX = 40


def narrative_blocks(text: str) -> list[tuple[BlockKind, str]]:
    """Split section text into paragraphs; a short "（一）…" line without a full stop is a sub-heading."""
    blocks: list[tuple[BlockKind, str]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        is_heading = bool(_SUBHEADING.match(line)) and len(line) <= _SUBHEADING_MAX and not line.endswith("。")
        blocks.append((BlockKind.SUBHEADING if is_heading else BlockKind.PARAGRAPH, line))
    return blocks


# ---------------------------------------------------------------------------------------------
# Grids
# ---------------------------------------------------------------------------------------------

TABLE_CAPTIONS: dict[str, str] = {
    "table2": "表二　主动公开政府信息统计",
    "table3": "表三　政府信息公开申请收到和处理统计",
    "table4": "表四　政府信息公开行政复议、行政诉讼统计",
}

_TABLE2_COLS = 4
_TABLE3_LABEL_COLS = 3
_TABLE3_COLS = _TABLE3_LABEL_COLS + COLUMN_COUNT
_TABLE4_COLS = len(TABLE4_GROUPS) * len(TABLE4_FIELDS)


def table_grids(report: AnnualReport) -> dict[str, TableGrid]:
    """The three tables of ``report`` keyed "table2", "table3", "table4"."""
    return {
        "table2": table2_grid(report),
        "table3": table3_grid(report),
        "table4": table4_grid(report),
    }


def table2_grid(report: AnnualReport) -> TableGrid:
    """Table 二 (主动公开): one block per 第二十条 item, 4 columns (spec §3.4; 2019: §4).

    Each block is a full-width "第二十条第（x）项" row, a 信息内容 header row and its data rows.
    A block with fewer than three fields lets its last field span the remaining columns, as the
    national format does for 本年处理决定数量 and 本年收费金额.
    """
    cells: list[GridCell] = []
    groups: list[RowGroup] = []
    row = 0
    rows = table2_rows(report.format)
    blocks: list[list[int]] = []
    for index, spec in enumerate(rows):
        if index == 0 or spec.block != rows[index - 1].block or spec.fields != rows[index - 1].fields:
            blocks.append([index])
        else:
            blocks[-1].append(index)
    for block in blocks:
        start = row
        first = rows[block[0]]
        cells.append(GridCell(row, 0, first.block, CellKind.BLOCK_HEADER, colspan=_TABLE2_COLS))
        row += 1
        cells.append(GridCell(row, 0, INFO_CONTENT_LABEL, CellKind.COLUMN_HEADER))
        spans = _spans(len(first.fields), _TABLE2_COLS - 1)
        col = 1
        for f, span in zip(first.fields, spans, strict=True):
            cells.append(GridCell(row, col, f.label, CellKind.COLUMN_HEADER, colspan=span))
            col += span
        row += 1
        for index in block:
            spec = rows[index]
            cells.append(GridCell(row, 0, spec.label, CellKind.ROW_HEADER))
            col = 1
            values = report.table2.get(spec.key, {})
            for f, span in zip(spec.fields, spans, strict=True):
                value = values.get(f.key)
                cells.append(
                    GridCell(
                        row,
                        col,
                        format_value(value),
                        CellKind.VALUE,
                        colspan=span,
                        value=value,
                        value_type=f.value_type,
                        ref=CellRef("二", spec.key, f.key),
                    )
                )
                col += span
            row += 1
        groups.append(RowGroup(start, row))
    return TableGrid(
        key="table2",
        number="二",
        caption=TABLE_CAPTIONS["table2"],
        n_rows=row,
        n_cols=_TABLE2_COLS,
        cells=tuple(cells),
        widths=(28.0, 24.0, 24.0, 24.0),
        groups=tuple(groups),
    )


def _spans(n_fields: int, n_cols: int) -> list[int]:
    """Column spans of ``n_fields`` cells over ``n_cols`` columns: the last one takes the rest."""
    return [1] * (n_fields - 1) + [n_cols - n_fields + 1]


def table3_grid(report: AnnualReport) -> TableGrid:
    """Table 三 (依申请公开) with the national merged header (spec §3.5; 2019: §4).

    Three label columns (办理结果 | 结果类别 | 情形) then the seven applicant columns. Header:
    the 勾稽 note over the label columns, 申请人情况 over all seven, 自然人 / 法人或其他组织
    {商业企业 … 其他} / 总计. Rows: 一、二 across the label columns; 三、本年度办理结果 down the
    outcome rows; （三）–（六） down their numbered sub-rows; （七）总计; 四、结转下年度继续办理.
    The 2019 format prints （六）其他处理 as one row.
    """
    fmt = report.format
    cells: list[GridCell] = [
        GridCell(0, 0, TABLE3_BALANCE_NOTE, CellKind.COLUMN_HEADER, rowspan=3, colspan=_TABLE3_LABEL_COLS),
        GridCell(0, 3, APPLICANT_GROUP_LABEL, CellKind.COLUMN_HEADER, colspan=COLUMN_COUNT),
        GridCell(1, 3, APPLICANT_LABELS[APPLICANT_COLUMNS[0]], CellKind.COLUMN_HEADER, rowspan=2),
        GridCell(1, 4, ORGANISATION_GROUP_LABEL, CellKind.COLUMN_HEADER, colspan=len(APPLICANT_COLUMNS) - 1),
        GridCell(1, 3 + COLUMN_COUNT - 1, "总计", CellKind.COLUMN_HEADER, rowspan=2),
    ]
    cells.extend(
        GridCell(2, 3 + applicant.column, applicant.label, CellKind.COLUMN_HEADER)
        for applicant in APPLICANT_COLUMNS[1:]
    )
    rows = table3_rows(fmt)
    first_data = 3
    outcome_rows = [r for r in rows if r.kind in (RowKind.OUTCOME, RowKind.TOTAL)]
    row = first_data
    for spec in rows:
        if spec.kind in (RowKind.INTAKE, RowKind.CARRY):
            cells.append(GridCell(row, 0, spec.full_label, CellKind.ROW_HEADER, colspan=_TABLE3_LABEL_COLS))
        else:
            if spec is outcome_rows[0]:
                cells.append(GridCell(row, 0, OUTCOME_SECTION_LABEL, CellKind.ROW_GROUP, rowspan=len(outcome_rows)))
            group_rows = [r for r in rows if spec.group_key is not None and r.group_key == spec.group_key]
            if spec.group_key is None:
                cells.append(GridCell(row, 1, spec.full_label, CellKind.ROW_HEADER, colspan=2))
            elif len(group_rows) == 1:
                # 2019: （六）其他处理 has no sub-rows; its one row carries the group label.
                label = OTHER_SINGLE_ROW_LABEL_2019 if spec.group_key == "other" else spec.full_label
                cells.append(GridCell(row, 1, label, CellKind.ROW_HEADER, colspan=2))
            else:
                if spec is group_rows[0]:
                    group = OUTCOME_GROUP_BY_KEY[spec.group_key]
                    cells.append(GridCell(row, 1, group.full_label, CellKind.ROW_GROUP, rowspan=len(group_rows)))
                cells.append(GridCell(row, 2, spec.full_label, CellKind.ROW_HEADER))
        values = report.table3.get(spec.key) or [None] * COLUMN_COUNT
        for index, value in enumerate(values):
            column = APPLICANT_COLUMNS[index].value if index < len(APPLICANT_COLUMNS) else TOTAL_COLUMN_KEY
            cells.append(
                GridCell(
                    row,
                    _TABLE3_LABEL_COLS + index,
                    format_value(value),
                    CellKind.VALUE,
                    value=value,
                    value_type=ValueType.COUNT,
                    ref=CellRef("三", spec.key, column),
                )
            )
        row += 1
    label_widths = (6.0, 8.0, 34.0)
    number_width = (100.0 - sum(label_widths)) / COLUMN_COUNT
    return TableGrid(
        key="table3",
        number="三",
        caption=TABLE_CAPTIONS["table3"],
        n_rows=row,
        n_cols=_TABLE3_COLS,
        cells=tuple(cells),
        widths=(*label_widths, *([number_width] * COLUMN_COUNT)),
        groups=(RowGroup(0, first_data, head=True), RowGroup(first_data, row)),
    )


def table4_grid(report: AnnualReport) -> TableGrid:
    """Table 四 (行政复议、行政诉讼) with the national merged header (spec §3.6).

    行政复议 over its five columns, whose result headers reach down two rows; 行政诉讼 over ten,
    split into 未经复议直接起诉 and 复议后起诉 of five each; one row of 15 numbers.
    """
    width = len(TABLE4_FIELDS)
    labels = {**{r.value: r.label for r in ReviewResult}, TABLE4_TOTAL_KEY: TABLE4_TOTAL_LABEL}
    cells: list[GridCell] = [
        GridCell(0, 0, ReviewKind.RECONSIDERATION.label, CellKind.COLUMN_HEADER, colspan=width),
        GridCell(0, width, LITIGATION_GROUP_LABEL, CellKind.COLUMN_HEADER, colspan=2 * width),
    ]
    cells.extend(
        GridCell(1, i, labels[name], CellKind.COLUMN_HEADER, rowspan=2) for i, name in enumerate(TABLE4_FIELDS)
    )
    for g, group in enumerate(TABLE4_GROUPS[1:], start=1):
        cells.append(GridCell(1, g * width, group.label, CellKind.COLUMN_HEADER, colspan=width))
        cells.extend(
            GridCell(2, g * width + i, labels[name], CellKind.COLUMN_HEADER) for i, name in enumerate(TABLE4_FIELDS)
        )
    for g, group in enumerate(TABLE4_GROUPS):
        values = report.table4.get(group.value, {})
        for i, name in enumerate(TABLE4_FIELDS):
            value = values.get(name)
            cells.append(
                GridCell(
                    3,
                    g * width + i,
                    format_value(value),
                    CellKind.VALUE,
                    value=value,
                    value_type=ValueType.COUNT,
                    ref=CellRef("四", group.value, name),
                )
            )
    return TableGrid(
        key="table4",
        number="四",
        caption=TABLE_CAPTIONS["table4"],
        n_rows=4,
        n_cols=_TABLE4_COLS,
        cells=tuple(cells),
        widths=tuple([100.0 / _TABLE4_COLS] * _TABLE4_COLS),
        groups=(RowGroup(0, 3, head=True), RowGroup(3, 4)),
    )
