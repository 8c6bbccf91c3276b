"""What a new version changes against the one it supersedes: cells, then narrative paragraphs.

Tables are compared cell by cell (table, row, column: old → new); the narrative section by
section, paragraph by paragraph (difflib), with the changed characters of an edited paragraph.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.report.model import AnnualReport, Table2Value
from gongkai.core.report.taxonomy import (
    COLUMN_LABELS,
    REVIEW_RESULT_LABELS,
    TABLE3_KEYS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    TABLE4_TOTAL_KEY,
    TABLE4_TOTAL_LABEL,
    ReportTable,
    ReviewResult,
    table2_rows,
    table3_row_label,
    table4_group_label,
)
from gongkai.core.report.writers.layout import format_value
from gongkai.reports.narrative import NARRATIVE_SECTIONS, SECTION_LABELS


@dataclass(frozen=True, slots=True)
class CellChange:
    table: ReportTable
    row: str  # JSON key
    column: str  # JSON key (table 三: column index)
    row_label: str
    column_label: str
    old: Table2Value
    new: Table2Value

    @property
    def old_text(self) -> str:
        return format_value(self.old) or "空白"

    @property
    def new_text(self) -> str:
        return format_value(self.new) or "空白"


def report_cells(report: AnnualReport) -> Iterator[tuple[ReportTable, str, str, str, str, Table2Value]]:
    """Every cell of tables 二, 三, 四 in print order: (table, row key, column key, labels, value)."""
    for row in table2_rows(report.format):
        values = report.table2.get(row.key, {})
        for f in row.fields:
            yield ReportTable.TABLE2, row.key, f.key, row.label, f.label, values.get(f.key)
    for key in TABLE3_KEYS:
        cells = report.table3.get(key) or []
        for i, label in enumerate(COLUMN_LABELS):
            yield (
                ReportTable.TABLE3,
                key,
                str(i),
                table3_row_label(key, report.format),
                label,
                cells[i] if i < len(cells) else None,
            )
    for group in TABLE4_GROUPS:
        values4 = report.table4.get(group.value, {})
        for name in TABLE4_FIELDS:
            label = TABLE4_TOTAL_LABEL if name == TABLE4_TOTAL_KEY else REVIEW_RESULT_LABELS[ReviewResult(name)]
            yield ReportTable.TABLE4, group.value, name, table4_group_label(group), label, values4.get(name)


def table_changes(old: AnnualReport, new: AnnualReport) -> list[CellChange]:
    """Every cell whose value differs, in print order (table 二, 三, 四)."""
    before = {(t, r, c): v for t, r, c, _, _, v in report_cells(old)}
    changes: list[CellChange] = []
    for table, row, column, row_label, column_label, value in report_cells(new):
        previous = before.get((table, row, column))
        if previous != value:
            changes.append(CellChange(table, row, column, row_label, column_label, previous, value))
    return changes


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"

    @property
    def label(self) -> str:
        return {"added": "新增", "removed": "删除", "changed": "修改"}[self.value]


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of an edited paragraph: ``op`` is "equal", "delete" or "insert"."""

    op: str
    text: str

    @property
    def is_delete(self) -> bool:
        return self.op == "delete"

    @property
    def is_insert(self) -> bool:
        return self.op == "insert"


@dataclass(frozen=True, slots=True)
class ParagraphChange:
    section: str
    kind: ChangeKind
    old: str
    new: str

    @property
    def is_changed(self) -> bool:
        return self.kind is ChangeKind.CHANGED

    @property
    def is_removed(self) -> bool:
        return self.kind is ChangeKind.REMOVED

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def fragments(self) -> list[Fragment]:
        """The edited paragraph as equal / deleted / inserted runs of characters."""
        matcher = difflib.SequenceMatcher(a=self.old, b=self.new, autojunk=False)
        out: list[Fragment] = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                out.append(Fragment("equal", self.old[i1:i2]))
                continue
            if i2 > i1:
                out.append(Fragment("delete", self.old[i1:i2]))
            if j2 > j1:
                out.append(Fragment("insert", self.new[j1:j2]))
        return out


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def narrative_changes(old: dict[str, str], new: dict[str, str]) -> list[ParagraphChange]:
    """Paragraphs added, removed or edited, section by section (difflib on paragraphs)."""
    changes: list[ParagraphChange] = []
    keys = [*NARRATIVE_SECTIONS, *sorted((set(old) | set(new)) - set(NARRATIVE_SECTIONS))]
    for key in keys:
        a, b = _paragraphs(old.get(key, "")), _paragraphs(new.get(key, ""))
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            olds, news = a[i1:i2], b[j1:j2]
            paired = min(len(olds), len(news)) if op == "replace" else 0
            changes += [ParagraphChange(key, ChangeKind.CHANGED, o, n) for o, n in zip(olds, news, strict=False)][
                :paired
            ]
            changes += [ParagraphChange(key, ChangeKind.REMOVED, o, "") for o in olds[paired:]]
            changes += [ParagraphChange(key, ChangeKind.ADDED, "", n) for n in news[paired:]]
    return changes


@dataclass(frozen=True, slots=True)
class ReportDiff:
    cells: list[CellChange]
    paragraphs: list[ParagraphChange]

    @property
    def is_empty(self) -> bool:
        return not self.cells and not self.paragraphs


def report_diff(old: AnnualReport, new: AnnualReport) -> ReportDiff:
    return ReportDiff(table_changes(old, new), narrative_changes(old.sections, new.sections))
