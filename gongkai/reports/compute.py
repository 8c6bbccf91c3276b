"""The tables of an agency's annual report, computed from its records.

Table 二 (spec §3.4) comes from the 规章/规范性文件 register and the 第二十条 figures of
``publications``; tables 三 and 四 from the one aggregate definition in ``gongkai.cases.figures``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongkai.cases.figures import (
    Table3,
    Table4,
    compute_table3,
    compute_table4,
    table3_by_agency,
    table3_from_rows,
    table3_rows,
    table4_by_agency,
    table4_from_rows,
    table4_rows,
)
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import ReportFormat
from gongkai.reports.table2 import compute_table2

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency

__all__ = [
    "Table3",
    "Table4",
    "compute_report",
    "compute_table3",
    "compute_table4",
    "table3_by_agency",
    "table3_from_rows",
    "table3_rows",
    "table4_by_agency",
    "table4_from_rows",
    "table4_rows",
]


def compute_report(agency: Agency, year: int) -> AnnualReport:
    """The tables of ``agency``'s report for ``year`` (format 2021), computed from its records."""
    report = AnnualReport.empty(ReportFormat.F2021, agency=agency.name, year=year)
    report.table2 = compute_table2(agency, year)
    report.table3 = compute_table3(agency, year)
    report.table4 = compute_table4(agency, year)
    return report
