"""Names of the places in a report (table, row, column) for findings shown in the back office."""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.core.report.findings import Finding
from gongkai.core.report.model import AnnualReport, Table2Value
from gongkai.reports.diff import report_cells


@dataclass(frozen=True, slots=True)
class FindingRow:
    finding: Finding
    table: str
    row: str
    column: str

    @property
    def severity(self) -> str:
        return self.finding.severity.label

    @property
    def is_error(self) -> bool:
        return self.finding.is_error

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def expected(self) -> Table2Value:
        return self.finding.expected

    @property
    def actual(self) -> Table2Value:
        return self.finding.actual


def finding_rows(findings: list[Finding], report: AnnualReport) -> list[FindingRow]:
    """Each finding with the Chinese labels of its table, row and column ("—" where it names none)."""
    rows: dict[tuple[str, str], str] = {}
    columns: dict[tuple[str, str, str], str] = {}
    for where, row, column, row_label, column_label, _ in report_cells(report):
        rows.setdefault((where.value, row), row_label)
        columns[(where.value, row, column)] = column_label
        columns.setdefault((where.value, "", column), column_label)
    out: list[FindingRow] = []
    for f in findings:
        table = f.table.value if f.table is not None else ""
        row_label = rows.get((table, f.row or ""), f.row or "—")
        column_label = "—"
        if f.column is not None:
            column_label = columns.get((table, f.row or "", f.column)) or columns.get((table, "", f.column), f.column)
        out.append(FindingRow(f, f.table.label if f.table is not None else "报告", row_label, column_label))
    return out
