"""Table 二 (主动公开政府信息情况) and the year's published items, from ``publications`` (spec §3.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongkai.core.report.model import Table2Value
from gongkai.publications.selectors import published_items_count, table2_figures

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency


def compute_table2(agency: Agency, year: int) -> dict[str, dict[str, Table2Value]]:
    """Table 二 of ``agency`` for ``year`` (format 2021): the 规章/规范性文件 register (one query) and
    the 第二十条 figures entered for the year (one query; blank when none were entered)."""
    return table2_figures(agency, year)


def published_items(agency: Agency, year: int) -> int | None:
    """Items published (主动公开) in ``year`` (条例 art 50: section 一's 主动公开情况)."""
    return published_items_count(agency, year)
