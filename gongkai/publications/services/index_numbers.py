"""索引号: the number every 主动公开 item carries, one counter per agency and year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gongkai.agencies.models import SequenceKind
from gongkai.agencies.sequences import allocate

if TYPE_CHECKING:
    from gongkai.agencies.models import Agency


def next_index_number(agency: Agency, year: int) -> str:
    """The next 索引号 of ``agency`` for ``year``: "<机构代码>/<year>-<5 digits>".

    Call inside the write's transaction (``agencies.sequences.allocate``).
    """
    last = allocate(agency, SequenceKind.INDEX, year)
    return f"{agency.code}/{year}-{last:05d}"
