"""归档 of a year's 依申请公开 case files: when a year may be locked, what a lock refuses.

条例 art 45 asks every agency to keep a working system for 登记、审核、办理、答复、归档 of
applications. gongkai's part of 归档: the case files of a year are exported (案卷, with a manifest
of SHA-256 sums), and the year is then locked so that the records no longer drift away from the
archived copy. A change after that goes through a recorded path: the 负责人 unlocks the year
with a reason, the correction is made (audited as usual), and the year is locked again.

The rules here are the system's working rules for that 归档 system, not a statute's wording:
a year can be locked once it has ended and none of its cases is still open; a lock refuses every
change to a case, letter, 送达 or fee of that year; unlocking needs a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from gongkai.core.errors import GongkaiError

#: How many open case numbers a refusal names before "等 N 件".
NAMED_CASES = 10
#: Shortest reason accepted for unlocking a year (a few words, not a single character).
MIN_REASON_CHARS = 4


class LockAction(StrEnum):
    """What a year-lock record does."""

    LOCKED = "locked"
    UNLOCKED = "unlocked"

    @property
    def label(self) -> str:
        return "锁定" if self is LockAction.LOCKED else "解除锁定"


class YearLockError(GongkaiError):
    """A year that cannot be locked or unlocked as asked."""


class YearLocked(GongkaiError):
    """A change to a record of a locked (archived) year."""


def check_lockable(*, year: int, today_year: int, open_cases: Sequence[str], already_locked: bool) -> None:
    """Refuse to lock ``year`` unless it has ended and no case of it is open (条例 art 45 归档).

    ``open_cases`` are the numbers of the year's cases still open; the message names them.
    """
    if already_locked:
        raise YearLockError(f"{year}年度已锁定")
    if year >= today_year:
        raise YearLockError(f"{year}年度尚未结束，不能锁定（只能锁定已结束的年度）")
    if open_cases:
        named = "、".join(open_cases[:NAMED_CASES])
        more = f"等 {len(open_cases)} 件" if len(open_cases) > NAMED_CASES else f"共 {len(open_cases)} 件"
        raise YearLockError(f"{year}年度仍有未办结的案件，办结后才能锁定：{named}（{more}）")


def check_unlock(*, year: int, locked: bool, reason: str) -> str:
    """The reason for unlocking ``year`` (stripped); refuses an unlocked year or a short reason."""
    if not locked:
        raise YearLockError(f"{year}年度未锁定")
    text = reason.strip()
    if len(text) < MIN_REASON_CHARS:
        raise YearLockError(f"解除锁定须在“理由”中写明要更正什么、为什么（至少{MIN_REASON_CHARS}个字）")
    return text


def locked_message(*, year: int, case_number: str, what: str) -> str:
    """The refusal of a change to a record of a locked year, naming the case and the way out."""
    return (
        f"案件 {case_number} 属于已归档锁定的{year}年度，不能{what}；"
        f"如需更正，请由负责人在“案卷归档”页面写明理由解除锁定，更正后重新锁定"
    )
