"""条例 art 36(5) 转办/告知: the outcome row, the receiving clock, the refusals (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.outcomes import LetterKind, Outcome
from gongkai.core.report.taxonomy import TABLE3_ROW_BY_KEY
from gongkai.core.transfer import TRANSFER_OUTCOME, TransferRefused, plan_transfer, waited_note

RECEIVED = date(2026, 3, 2)
OK = {
    "original_received_on": RECEIVED,
    "transferred_on": date(2026, 3, 9),
    "reason": "该事项由区教委负责。",
    "agency_name": "北京市密云区教育委员会",
    "agency_contact": "010-69000000",
}


def test_outcome_is_table_three_row_four_one() -> None:
    """Legal spec §1.3: （四）1 本机关不掌握相关政府信息 ← art 36(4) and 36(5); letter kind 告知."""
    assert TRANSFER_OUTCOME is Outcome.UNAVAILABLE_NOT_HELD
    assert TABLE3_ROW_BY_KEY[TRANSFER_OUTCOME.value].label == "本机关不掌握相关政府信息"
    assert TRANSFER_OUTCOME.letter is LetterKind.INFORM
    assert "第（五）项" in TRANSFER_OUTCOME.basis
    assert not TRANSFER_OUTCOME.is_withholding


@pytest.mark.parametrize(
    ("on_system", "receiving_received_on", "creates_case"),
    [
        (True, date(2026, 3, 9), True),  # art 31/33 ¶2: the receiving agency's receipt is the transfer day
        (False, None, False),  # not on the system: only the 告知
    ],
)
def test_plan(on_system: bool, receiving_received_on: date | None, creates_case: bool) -> None:
    plan = plan_transfer(**OK, on_system=on_system)
    assert plan.outcome is Outcome.UNAVAILABLE_NOT_HELD
    assert plan.original_received_on == RECEIVED
    assert plan.receiving_received_on == receiving_received_on
    assert plan.creates_case is creates_case


def test_same_day_transfer_is_allowed() -> None:
    plan = plan_transfer(**{**OK, "transferred_on": RECEIVED}, on_system=True)
    assert plan.receiving_received_on == RECEIVED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"original_received_on": None}, "收到申请之日"),
        ({"transferred_on": date(2026, 3, 1)}, "早于收到申请之日"),
        ({"reason": "  "}, "理由"),
        ({"agency_name": ""}, "名称"),
        ({"agency_contact": ""}, "联系方式"),
    ],
)
def test_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(TransferRefused, match=message):
        plan_transfer(**{**OK, **change}, on_system=False)  # type: ignore[arg-type]


def test_refused_to_itself() -> None:
    with pytest.raises(TransferRefused, match="本机关"):
        plan_transfer(**OK, on_system=True, same_agency=True)


def test_waited_note_names_both_dates() -> None:
    note = waited_note(RECEIVED, date(2026, 3, 9), "果园街道")
    assert "2026年3月2日向果园街道" in note and "2026年3月9日转送本机关" in note and "第三十三条第二款" in note
