"""Numbers recognised by OCR are kept only where the report's own arithmetic confirms them.

A misread digit ("8" read as "3") must never become a confident wrong number. Table 三's cells
are kept when their row adds up (总计 column = the six applicant columns, V3) and their column
does too (一 + 二 = （七）总计 + 四, V1; （七）总计 = the outcome rows, V2); table 四's when their group
adds up (V5). Table 二 has no sum to check: its numbers are kept only where two independent OCR
reads agreed (:mod:`.ocr`), and a note says so. Legal spec §3.7; the 勾稽关系 of the national format (国办公开办函〔2021〕30号).
"""

from __future__ import annotations

from gongkai.core.report import taxonomy as tx
from gongkai.core.report.model import AnnualReport, Cell, ReadNote
from gongkai.core.report.taxonomy import COLUMN_COUNT, ReportTable, Table3Key


def _adds_up(total: Cell, parts: list[Cell]) -> bool:
    return total is not None and all(p is not None for p in parts) and sum(p or 0 for p in parts) == total


def keep_what_adds_up(report: AnnualReport) -> None:
    """Blank, with a note, every OCR'd cell the report's arithmetic does not confirm (in place).

    First a single misread or unread cell of table 三 is recovered where its row and its column
    both determine it and agree (:func:`recover`); what still does not add up is blanked.
    """
    recover(report)
    _table3(report)
    _table4(report)
    _table2(report)


Place = tuple[str, int]
Equation = list[tuple[Place, int]]  # Σ coefficient × cell = 0


def _equations(report: AnnualReport) -> list[Equation]:
    rows = [r.key for r in tx.table3_rows(report.format)]
    applicants = len(tx.APPLICANT_COLUMNS)
    outcome = [r.key for r in tx.OUTCOME_ROWS if r.key in rows]
    equations: list[Equation] = [
        [*(((key, c), 1) for c in range(applicants)), ((key, tx.TOTAL_COLUMN), -1)] for key in rows
    ]
    for c in range(COLUMN_COUNT):
        equations.append(
            [
                ((Table3Key.NEW, c), 1),
                ((Table3Key.CARRIED_OVER, c), 1),
                ((Table3Key.TOTAL, c), -1),
                ((Table3Key.CARRIED_FORWARD, c), -1),
            ]
        )
        equations.append([*(((key, c), 1) for key in outcome), ((Table3Key.TOTAL, c), -1)])
    return equations


def recover(report: AnnualReport) -> None:
    """Correct one misread cell, or fill one unread cell, of table 三 where two of the report's sums
    (its row's and its column's) each determine it and agree, and every other sum holds.

    A misread cell shows as the one cell common to all the sums that fail (a digit read wrong
    breaks its row and its column). Each correction is noted with what OCR read.
    """
    t3 = report.table3
    equations = _equations(report)
    read_as: dict[Place, Cell] = {}
    for _ in range(40):
        failing = [eq for eq in equations if all(t3[k][c] is not None for (k, c), _ in eq) and _sum(t3, eq) != 0]
        if failing:
            common = set.intersection(*({place for place, _ in eq} for eq in failing))
            if len(common) != 1 or len(failing) < 2:
                return
            (place,) = common
            read_as.setdefault(place, t3[place[0]][place[1]])
            t3[place[0]][place[1]] = None
        changed = False
        for place in [(k, c) for k in t3 for c in range(COLUMN_COUNT) if t3[k][c] is None]:
            derived = {_solve(t3, eq, place) for eq in equations if any(p == place for p, _ in eq)}
            derived.discard(None)
            sources = sum(1 for eq in equations if any(p == place for p, _ in eq) and _solve(t3, eq, place) is not None)
            if sources >= 2 and len(derived) == 1:
                (value,) = derived
                if value is not None and value >= 0 and any(v is not None for v in t3[place[0]]):
                    t3[place[0]][place[1]] = value
                    was = read_as.pop(place, None)
                    shown = "未识别出" if was is None else f"识别为 {was}"
                    report.notes.append(
                        ReadNote(
                            f"扫描件中这一格{shown}，按本行和本列的合计关系确定为 {value}",
                            ReportTable.TABLE3,
                            place[0],
                            str(place[1]),
                        )
                    )
                    changed = True
        if not changed and not failing:
            break
    for (key, c), was in read_as.items():
        if t3[key][c] is None and was is not None:
            report.notes.append(
                ReadNote(f"扫描件中这一格识别为 {was}，与表中合计关系不符，留空", ReportTable.TABLE3, key, str(c))
            )


def _sum(t3: dict[str, list[Cell]], eq: Equation) -> int:
    return sum(coef * (t3[k][c] or 0) for (k, c), coef in eq)


def _solve(t3: dict[str, list[Cell]], eq: Equation, place: Place) -> int | None:
    """The value ``place`` must have for ``eq`` to hold, when every other cell of it is known."""
    coef = next(co for p, co in eq if p == place)
    rest = 0
    for (k, c), co in eq:
        if (k, c) == place:
            continue
        value = t3[k][c]
        if value is None:
            return None
        rest += co * value
    return -rest * coef


def _table3(report: AnnualReport) -> None:
    rows = [r.key for r in tx.table3_rows(report.format)]
    t3 = report.table3
    applicants = len(tx.APPLICANT_COLUMNS)
    row_ok = {key: _adds_up(t3[key][tx.TOTAL_COLUMN], t3[key][:applicants]) for key in rows}
    outcome = [r.key for r in tx.OUTCOME_ROWS if r.key in rows]
    balance_ok: list[bool] = []
    total_ok: list[bool] = []
    for c in range(COLUMN_COUNT):
        new, old = t3[Table3Key.NEW][c], t3[Table3Key.CARRIED_OVER][c]
        total, forward = t3[Table3Key.TOTAL][c], t3[Table3Key.CARRIED_FORWARD][c]
        balance_ok.append(
            None not in (new, old, total, forward) and (new or 0) + (old or 0) == (total or 0) + (forward or 0)
        )
        total_ok.append(_adds_up(total, [t3[key][c] for key in outcome]))
    for key in rows:
        shown = [v for v in t3[key] if v is not None]
        if not shown:
            continue
        doubtful: list[int] = []
        for c in range(COLUMN_COUNT):
            if t3[key][c] is None:
                continue
            checks = [row_ok[key]]
            if key in (Table3Key.NEW, Table3Key.CARRIED_OVER, Table3Key.CARRIED_FORWARD):
                checks.append(balance_ok[c])
            elif key == Table3Key.TOTAL:
                checks += [balance_ok[c], total_ok[c]]
            else:
                checks.append(total_ok[c])
            if not all(checks):
                doubtful.append(c)
        if doubtful:
            read = "、".join(f"{tx.COLUMN_LABELS[c]} {t3[key][c]}" for c in doubtful)
            for c in doubtful:
                t3[key][c] = None
            why = "本行各列之和与总计不符" if not row_ok[key] else "所在列的合计关系不成立"
            report.notes.append(
                ReadNote(
                    f"扫描件识别结果无法由表中合计关系确认（{why}），留空；识别为：{read}",
                    ReportTable.TABLE3,
                    key,
                )
            )


def _table4(report: AnnualReport) -> None:
    for group in tx.TABLE4_GROUPS:
        cells = report.table4[group.value]
        parts = [cells[r.value] for r in tx.ReviewResult]
        if all(v is None for v in cells.values()) or _adds_up(cells[tx.TABLE4_TOTAL_KEY], parts):
            continue
        read = "、".join("空" if v is None else str(v) for v in cells.values())
        for name in cells:
            cells[name] = None
        report.notes.append(
            ReadNote(f"扫描件识别结果不满足“总计 = 各项之和”，留空；识别为：{read}", ReportTable.TABLE4, group.value)
        )


def _table2(report: AnnualReport) -> None:
    """Table 二 has no sum to check, so a scanned table 二 number is never kept: an OCR misread
    must not become a confident wrong number (issue 15). What both OCR reads agreed on (a number
    they did not agree on never reached the interpreter, :func:`.ocr._second_reads`) is given in
    the note, for the supervisor to compare with the original; the cells stay blank."""
    read: list[str] = []
    for row in tx.table2_rows(report.format):
        for f in row.fields:
            value = report.table2[row.key][f.key]
            if value is not None:
                read.append(f"“{row.label}·{f.label}”{value}")
                report.table2[row.key][f.key] = None
    if read:
        report.notes.append(
            ReadNote(
                "表二未能读取：表二没有合计关系可以核对，扫描件中的数字不填入表格。"
                "两次独立识别（整页一次、逐格一次）一致的结果供对照原件：" + "、".join(read),
                ReportTable.TABLE2,
            )
        )
