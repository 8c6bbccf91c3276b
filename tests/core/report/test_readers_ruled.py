"""Scanned tables: cells found from the page's ruled lines, numbers kept only when two OCR reads
agree (issue 15 item 7), and OFD labels wrapped in their cell (item 8). No OCR engine needed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gongkai.core.report.readers import ocr
from gongkai.core.report.readers.ofd import ofd_document
from gongkai.core.report.readers.ruled import Box, find_tables
from gongkai.core.report.taxonomy import COLUMN_COUNT, TABLE3_KEYS, Table3Key
from tests.core.report import quirks
from tests.core.report.test_readers_quirks import CONSISTENT, score, wrong_table2

PX_PER_MM = 8.0  # about 200 dpi


def _page() -> Any:
    """A white A4-ish page with a ruled table: 3 rows × 3 columns, the first row's last two cells
    merged (no ruling between them), the first column's last two rows merged; a character's
    vertical stroke inside a cell and a long bar of text outside the table."""
    page = np.full((800, 600), 255, dtype=np.uint8)
    ys, xs = [100, 160, 220, 280], [50, 250, 400, 550]
    for y in ys:
        page[y : y + 2, 50:552] = 0
    page[220:222, 50:250] = 255  # first column, rows 2 and 3 merged
    for x in xs:
        page[100:282, x : x + 2] = 0
    page[100:160, 400:402] = 255  # first row, columns 2 and 3 merged
    page[230:270, 300:303] = 0  # a stroke of a character: meets no ruling
    page[400:404, 60:400] = 0  # a rule under a heading: no vertical ruling joins it
    return page


def test_ruled_lines_give_the_cells_and_merges() -> None:
    (table,) = find_tables(_page(), PX_PER_MM)
    assert len(table.ys) == 4 and len(table.xs) == 4
    spans = sorted((c.rows, c.cols) for c in table.cells)
    assert spans == [
        ((0, 0), (0, 0)),
        ((0, 0), (1, 2)),
        ((1, 1), (1, 1)),
        ((1, 1), (2, 2)),
        ((1, 2), (0, 0)),
        ((2, 2), (1, 1)),
        ((2, 2), (2, 2)),
    ]
    boxes = [
        Box(60, 120, 120, 140, "信息内容"),
        Box(300, 120, 360, 140, "本年处理决定数量"),
        Box(60, 180, 200, 200, "1.申请人无正当理由逾期不补"),
        Box(60, 240, 200, 260, "正、行政机关不再处理"),
        Box(310, 180, 330, 200, "12"),
        Box(460, 240, 480, 260, "0"),
    ]
    grid = table.grid(boxes)
    assert grid is not None
    assert grid.texts[0] == ("信息内容", "本年处理决定数量", "本年处理决定数量")
    assert grid.texts[1][0] == grid.texts[2][0] == "1.申请人无正当理由逾期不补正、行政机关不再处理"
    assert grid.keys[1][0] == grid.keys[2][0]
    assert (grid.texts[1][1], grid.texts[2][2]) == ("12", "0")


def test_a_blank_page_has_no_table() -> None:
    assert find_tables(np.full((300, 200), 255, dtype=np.uint8), PX_PER_MM) == []


class _Engine:
    """Stands in for RapidOCR's recogniser: answers the second reads in order."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.crops: list[Any] = []

    def text_rec(self, crops: list[Any]) -> tuple[list[tuple[str, float]], float]:
        self.crops = crops
        return [(a, 0.9) for a in self.answers], 0.0


def test_a_number_the_second_read_does_not_confirm_is_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    array = np.full((200, 300, 3), 255, dtype=np.uint8)
    boxes = [
        Box(10, 10, 40, 40, "6"),  # a printed 9 read as 6: the second read says 9
        Box(60, 10, 90, 40, "0"),  # a lone 0, read again as a round mark
        Box(110, 10, 160, 40, "2015"),
        Box(10, 60, 120, 90, "行政处罚"),  # text is not read twice
        Box(130, 60, 160, 90, "12"),
    ]
    fake = _Engine(["9", "。", "2015", "1"])
    monkeypatch.setattr(ocr, "_engine", fake)
    out = ocr._second_reads(array, boxes)
    assert [b.text for b in out] == [ocr.UNREAD, "0", "2015", "行政处罚", ocr.UNREAD]
    assert len(fake.crops) == 4
    assert all(c.shape[1] >= 3 * c.shape[0] for c in fake.crops)  # set on white, three times as wide


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("0", "0", True),
        ("0", "。", True),
        ("0", "", False),
        ("8", "。", False),
        ("12", "12 ", True),
        ("12", "1z", False),
    ],
)
def test_same_number(first: str, second: str, same: bool) -> None:
    assert ocr._same_number(first, second) is same


FULL = [
    r for r in CONSISTENT if r.name in ("r01-2021-basic", "r02-2021-miyun", "r03-2021-orgs", "r07-2021-no-narrative")
]


@pytest.mark.parametrize("entry", FULL, ids=lambda r: r.name)
def test_ofd_row_whose_label_wraps_over_lines_is_read(entry: Any) -> None:
    report = entry.report
    data = quirks.ofd(report)
    lines = ofd_document(data, "r.ofd").lines
    assert any("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t" in line for line in lines)
    from gongkai.core.report.readers import read_bytes

    got = read_bytes(data, name="r.ofd")
    assert got.table3[Table3Key.OTHER_NO_CORRECTION] == report.table3[Table3Key.OTHER_NO_CORRECTION]
    right, total, wrong = score(report, got)
    assert (right, wrong) == (total, 0)
    assert wrong_table2(report, got) == []
    assert all(got.table3[k][c] == report.table3[k][c] for k in TABLE3_KEYS for c in range(COLUMN_COUNT))
