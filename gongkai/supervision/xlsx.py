"""Findings of an audit of many reports as an Excel workbook (openpyxl); no Django here.

Shared by ``gongkai audit-dir --xlsx`` and the 年报监督 export. Sheet 汇总 has one row per file
(agency, year, status, counts); sheet 问题 one row per finding, with the place named in Chinese
(表 / 行 / 列) and both numbers, so a supervisor can filter and sort.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gongkai.core.report.checks import describe_place
from gongkai.core.report.findings import SEVERITY_LABELS, Severity, Verdict
from gongkai.core.report.taxonomy import ReportFormat, ReportTable
from gongkai.core.spreadsheet import safe_row

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题"
SUMMARY_COLUMNS: tuple[str, ...] = (
    "文件",
    "机关",
    "年度",
    "格式",
    "状态",
    "错误",
    "警告",
    "对照上年报告",
    "无法读取的原因",
)
FINDING_COLUMNS: tuple[str, ...] = (
    "文件",
    "机关",
    "年度",
    "级别",
    "规则",
    "位置",
    "表",
    "行键",
    "列键",
    "应为",
    "填报",
    "说明",
)
_WIDTHS = {"文件": 36, "机关": 30, "说明": 90, "位置": 40, "无法读取的原因": 60, "对照上年报告": 30}


@dataclass(frozen=True, slots=True)
class FileRow:
    """One audited file and its findings in their JSON form (``Finding.to_dict()``)."""

    file: str
    agency: str | None
    year: int | None
    format: str | None
    verdict: Verdict
    errors: int = 0
    warnings: int = 0
    previous: str | None = None
    read_error: str = ""
    findings: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def findings_workbook(rows: Iterable[FileRow]) -> bytes:
    """The workbook as .xlsx bytes: 汇总 (one row per file) and 问题 (one row per finding)."""
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new Workbook always has one sheet
    summary.title = SUMMARY_SHEET
    problems = book.create_sheet(FINDINGS_SHEET)
    _header(summary, SUMMARY_COLUMNS)
    _header(problems, FINDING_COLUMNS)
    for row in rows:
        summary.append(
            safe_row(
                row.file,
                row.agency or "",
                row.year,
                row.format or "",
                row.verdict.label,
                row.errors,
                row.warnings,
                row.previous or "",
                row.read_error,
            )
        )
        fmt = _format(row.format)
        for finding in row.findings:
            problems.append(
                safe_row(
                    row.file,
                    row.agency or "",
                    row.year,
                    _severity(finding.get("severity")),
                    finding.get("rule", ""),
                    _place(finding, fmt),
                    finding.get("table") or "",
                    finding.get("row") or "",
                    finding.get("column") or "",
                    finding.get("expected"),
                    finding.get("actual"),
                    finding.get("message", ""),
                )
            )
    for sheet in (summary, problems):
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet: Any, columns: Sequence[str]) -> None:
    sheet.append(list(columns))
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 12)


def _format(value: str | None) -> ReportFormat:
    try:
        return ReportFormat(value) if value else ReportFormat.F2021
    except ValueError:
        return ReportFormat.F2021


def _severity(value: Any) -> str:
    try:
        return SEVERITY_LABELS[Severity(value)]
    except ValueError:
        return str(value or "")


def _place(finding: Mapping[str, Any], fmt: ReportFormat) -> str:
    try:
        table = ReportTable(finding["table"]) if finding.get("table") else None
    except ValueError:
        table = None
    row, column = finding.get("row"), finding.get("column")
    return describe_place(table, None if row is None else str(row), None if column is None else str(column), fmt)
