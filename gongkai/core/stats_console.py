"""The supervisor's console: where each subordinate's annual report stands, and table sums.

A report is due by 31 January (县级以上人民政府部门) or 31 March (县级以上地方人民政府) of the next
year (《政府信息公开条例》第四十九条); 乡镇/街道 by the date their government set (``core.report.due_dates``).
The board puts every agency-year in exactly one :class:`BoardState`; 催报 (a reminder) makes sense
only where the report is still not out after its deadline (:func:`needs_reminder`).

The roll-up adds tables 二/三/四 of many agencies (条例 art 50: the report's tables): a blank cell
stays blank only when it is blank in every report; otherwise blanks count as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum

from gongkai.core.report.due_dates import ReportTimeliness

Number = int | Decimal | None


class BoardState(StrEnum):
    """One agency-year on the publication board (条例 art 49)."""

    PUBLISHED_ON_TIME = "published_on_time"  # published on the system by its deadline
    PUBLISHED_LATE = "published_late"  # published on the system after its deadline
    SIGNED = "signed"  # signed on the system (签发), not yet published
    UPLOADED = "uploaded"  # not on the system: a supervisor uploaded and checked its report
    MISSING = "missing"  # nothing published, nothing uploaded, deadline passed
    NOT_DUE = "not_due"  # nothing yet, deadline not passed

    @property
    def label(self) -> str:
        return BOARD_STATE_LABELS[self]


BOARD_STATE_LABELS: dict[BoardState, str] = {
    BoardState.PUBLISHED_ON_TIME: "按时发布",
    BoardState.PUBLISHED_LATE: "逾期发布",
    BoardState.SIGNED: "已签发未发布",
    BoardState.UPLOADED: "上传核对",
    BoardState.MISSING: "逾期未发布",
    BoardState.NOT_DUE: "未到期限",
}

#: Display order of the counts and the legend.
BOARD_STATES: tuple[BoardState, ...] = tuple(BoardState)


def board_state(*, published: bool, signed: bool, uploaded: bool, timeliness: ReportTimeliness) -> BoardState:
    """Where an agency-year stands: a report published on the system wins (on time or late by
    its art 49 deadline), then one signed on the system, then one a supervisor uploaded and
    checked, else missing once the deadline has passed (not due before)."""
    if published:
        return BoardState.PUBLISHED_LATE if timeliness is ReportTimeliness.LATE else BoardState.PUBLISHED_ON_TIME
    if signed:
        return BoardState.SIGNED
    if uploaded:
        return BoardState.UPLOADED
    return BoardState.MISSING if timeliness is ReportTimeliness.OVERDUE else BoardState.NOT_DUE


def needs_reminder(state: BoardState, timeliness: ReportTimeliness) -> bool:
    """催报 is for a report still not published after its art 49 deadline: missing, or signed and
    left unpublished past the date. A report published (even late) or uploaded needs none."""
    return timeliness is ReportTimeliness.OVERDUE and state in (BoardState.MISSING, BoardState.SIGNED)


def add(a: Number, b: Number) -> Number:
    """Sum of two cells; blank + blank stays blank, blank + n is n."""
    if a is None:
        return b
    if b is None:
        return a
    return a + b


def sum_table3(
    tables: Iterable[Mapping[str, Sequence[Number]]], keys: Sequence[str], width: int
) -> dict[str, list[Number]]:
    """Table 三 of many agencies added cell by cell (rows ``keys``, ``width`` columns)."""
    out: dict[str, list[Number]] = {key: [None] * width for key in keys}
    for table in tables:
        for key in keys:
            row = table.get(key) or ()
            target = out[key]
            for i, value in enumerate(row[:width]):
                target[i] = add(target[i], value)
    return out


def sum_nested(
    tables: Iterable[Mapping[str, Mapping[str, Number]]], layout: Sequence[tuple[str, Sequence[str]]]
) -> dict[str, dict[str, Number]]:
    """Tables 二 and 四 (``{row: {field: value}}``) of many agencies added cell by cell;
    ``layout`` names the rows and their fields."""
    out: dict[str, dict[str, Number]] = {row: dict.fromkeys(fields) for row, fields in layout}
    for table in tables:
        for row, fields in layout:
            values = table.get(row) or {}
            target = out[row]
            for name in fields:
                target[name] = add(target[name], values.get(name))
    return out
