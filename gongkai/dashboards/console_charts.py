"""The console's charts (gongkai.web.charts), built from the selectors' results."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from gongkai.core.report.taxonomy import (
    COLUMN_LABELS,
    OUTCOME_GROUPS,
    TABLE3_KEYS,
    TABLE3_ROWS,
    TABLE4_FIELDS,
    TABLE4_TOTAL_KEY,
    TABLE4_TOTAL_LABEL,
    TOTAL_COLUMN,
    ReportFormat,
    ReviewKind,
    ReviewResult,
    table2_rows,
    table3_row_label,
    table4_group_label,
)
from gongkai.core.stats_console import BOARD_STATES, Number
from gongkai.dashboards.console_selectors import Board, BoardRow, Rollup, RollupRow
from gongkai.dashboards.console_sums import KEY_FIGURE_LABELS
from gongkai.web.charts import Chart, ChartKind, Series

#: Table 三 rows of each outcome group （一）…（六）: the row itself or its numbered sub-rows.
_GROUP_ROWS: dict[str, tuple[str, ...]] = {
    g.key: tuple(r.key for r in TABLE3_ROWS if r.key == g.key or r.group_key == g.key) for g in OUTCOME_GROUPS
}


def board_chart(board: Board) -> Chart:
    """How many agencies are in each state (the same figures as the counts on top)."""
    return Chart(
        key="console-states",
        title=f"{board.year}年度报告发布情况",
        kind=ChartKind.BAR,
        categories=[s.label for s in BOARD_STATES],
        series=[Series("机构数", [board.counts.get(s, 0) for s in BOARD_STATES])],
        unit="个",
        category_label="状态",
        caption="按《政府信息公开条例》第四十九条及各机构设置的发布期限判断；上传核对为上级上传并核对的报告。",
    )


def rollup_chart(rollup: Rollup) -> Chart:
    """Table 三's outcome groups （一）…（六） summed over the chosen agencies (总计 column)."""
    values: list[int | float | None] = []
    labels: list[str] = []
    for group in OUTCOME_GROUPS:
        if group.key == "total":
            continue
        total = 0
        for key in _GROUP_ROWS[group.key]:
            total += int(rollup.table3[key][TOTAL_COLUMN] or 0)
        labels.append(group.label.split("（")[0])
        values.append(total)
    return Chart(
        key="console-rollup-outcomes",
        title=f"{rollup.year}年度办理结果（合计）",
        kind=ChartKind.BAR,
        categories=labels,
        series=[Series("件数", values)],
        unit="件",
        category_label="办理结果",
        caption="表三各办理结果的总计列，按所选机构相加。",
    )


@dataclass(frozen=True, slots=True)
class Table:
    """One summed table of the roll-up for the page: its heading, column labels and rows."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, list[Number]]]


def rollup_tables(rollup: Rollup) -> list[Table]:
    """Tables 二/三/四 of the roll-up as label + figures rows, in the national format's order."""
    t2 = [
        (f"{row.label}·{f.label}", [rollup.table2[row.key][f.key]])
        for row in table2_rows(ReportFormat.F2021)
        for f in row.fields
    ]
    t3 = [(table3_row_label(key), list(rollup.table3[key])) for key in TABLE3_KEYS]
    fields = {**{r.value: r.label for r in ReviewResult}, TABLE4_TOTAL_KEY: TABLE4_TOTAL_LABEL}
    t4 = [(table4_group_label(kind), list(rollup.table4[kind.value].values())) for kind in ReviewKind]
    return [
        Table("表二 主动公开政府信息情况（合计）", ("合计",), t2),
        Table("表三 收到和处理政府信息公开申请情况（合计）", COLUMN_LABELS, t3),
        Table("表四 行政复议、行政诉讼情况（合计）", tuple(fields[f] for f in TABLE4_FIELDS), t4),
    ]


AGENCY_COLUMNS: tuple[str, ...] = KEY_FIGURE_LABELS


def agency_rows(rows: Sequence[RollupRow]) -> list[tuple[str, str, list[Number]]]:
    """Per agency: its name, source and key figures (blank when it has no figures)."""
    blank: list[Number] = [None] * len(AGENCY_COLUMNS)
    return [(r.name, r.source_label, r.figures if r.figures is not None else blank) for r in rows]


def tiles_html(rows: list[BoardRow]) -> SafeString:
    """The board's tiles (one per agency: colour class and the state in words), built in Python
    with the standard library's escape (the same five characters as Django's): for thousands of
    agencies the template engine's and ``format_html``'s per-value cost dominates the page."""
    parts: list[str] = []
    for r in rows:
        due = r.lateness.due
        late = f" {r.days_late}天" if r.days_late else ""
        reminded = (
            f'<span class="tile-reminded">已催报 {r.reminder.sent_at.month}月{r.reminder.sent_at.day}日</span>'
            if r.reminder
            else ""
        )
        title = _esc(f"{r.name}：{r.state.label}，期限{due.year}年{due.month}月{due.day}日")
        state = _esc(r.state.value)
        parts.append(
            f'<li class="tile st-{state}" data-agency="{r.agency_id}" data-state="{state}" title="{title}">'
            f'<span class="tile-name">{_esc(r.display_name)}</span>'
            f'<span class="tile-state">{_esc(r.state.label)}{late}</span>{reminded}</li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: Number) -> str:
    return "" if value is None else _esc(value)


def agency_rows_html(rows: list[tuple[str, str, list[Number]]]) -> SafeString:
    """The roll-up's per-agency rows (name, source, figures), built in Python (escaped)."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><th scope="row">{_esc(name)}</th><td>{_esc(source)}</td>'
            + "".join(f'<td class="num">{_num(v)}</td>' for v in values)
            + "</tr>"
            for name, source, values in rows
        )
    )


def agency_options_html(agencies: list[tuple[int, str]], chosen: set[int]) -> SafeString:
    """The roll-up's agency <option>s, the chosen ones selected (escaped)."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<option value="{int(pk)}"{" selected" if pk in chosen else ""}>{_esc(name)}</option>'
            for pk, name in agencies
        )
    )
