"""信息处理费: 国办函〔2020〕109号《政府信息公开信息处理费管理办法》 arts 3–5 (legal spec §2).

Two methods, both 超额累进 (marginal, like income-tax brackets); an application is charged by
one of them, never both (art 3). Amounts are whole yuan (``int``): every tier price is a whole
number of yuan, so no rounding ever happens.

- 按件 (art 4): per applicant, per natural month, per agency [D, spec §2.3 (a)]; the month's
  cumulative count decides each 件's price: 1–10 free, 11–30 100元, then +100元 per 10-件 tier
  (31–40 200元, 41–50 300元 …). The count is after "一事一申请" splitting, done by the caller.
- 按量 (art 5, tiers from the official fee catalogues): pages of one application: 1–30 free,
  31–100 10元, 101–200 20元, 201+ 40元.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gongkai.core.errors import FeeError

FREE_PIECES = 10
FIRST_PAID_PIECES_UP_TO = 30
PIECE_TIER_SIZE = 10
PIECE_PRICE_STEP = 100

#: (first page, last page or None for open-ended, price per page in yuan) — spec §2.2.
PAGE_TIERS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)


class FeeMethod(StrEnum):
    """按件 or 按量: 国办函〔2020〕109号 art 3."""

    BY_PIECE = "by_piece"
    BY_VOLUME = "by_volume"

    @property
    def label(self) -> str:
        return "按件计收" if self is FeeMethod.BY_PIECE else "按量计收"

    @property
    def unit(self) -> str:
        return "件" if self is FeeMethod.BY_PIECE else "页"


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One tier of the breakdown: units ``first``..``last`` (counted in the month or the
    application) at ``unit_price`` yuan each."""

    first: int
    last: int
    unit_price: int
    unit: str

    @property
    def quantity(self) -> int:
        return self.last - self.first + 1

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    def describe(self) -> str:
        """One line for the fee notice: "第11—30件 20件 × 100元 = 2000元"."""
        span = f"第{self.first}{self.unit}" if self.first == self.last else f"第{self.first}—{self.last}{self.unit}"
        if self.unit_price == 0:
            return f"{span} {self.quantity}{self.unit} 免费"
        return f"{span} {self.quantity}{self.unit} × {self.unit_price}元 = {self.amount}元"


@dataclass(frozen=True, slots=True)
class FeeBreakdown:
    """The fee of one application, tier by tier, for the 收费通知 (spec §2.4)."""

    method: FeeMethod
    quantity: int  # 件 in this application, or pages
    earlier: int  # 件 already counted this month (按件 only)
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> int:
        """Total in yuan."""
        return sum(line.amount for line in self.lines)

    def describe(self) -> list[str]:
        head = f"{self.method.label}：本次 {self.quantity}{self.method.unit}"
        if self.method is FeeMethod.BY_PIECE:
            head += f"（本月此前已计 {self.earlier} 件，本次为第{self.earlier + 1}—{self.earlier + self.quantity}件）"
        return [head, *(line.describe() for line in self.lines), f"合计：{self.total}元"]


#: Sanity bound on one applicant's 件 in a month at one agency (not a statutory number): above it
#: the count is a typing error, and the tier-by-tier notice would run to thousands of lines.
MAX_MONTHLY_PIECES = 100_000


def piece_price(k: int) -> int:
    """Price in yuan of the ``k``-th 件 of the month: 国办函〔2020〕109号 art 4 (spec §2.3 [D])."""
    if k < 1:
        raise FeeError(f"件的序号应从1开始，实为 {k}")
    if k <= FREE_PIECES:
        return 0
    if k <= FIRST_PAID_PIECES_UP_TO:
        return PIECE_PRICE_STEP
    return PIECE_PRICE_STEP * (2 + (k - FIRST_PAID_PIECES_UP_TO - 1) // PIECE_TIER_SIZE)


def _piece_tier(k: int) -> tuple[int, int]:
    """The first and last month position of the tier that holds the ``k``-th 件."""
    if k <= FREE_PIECES:
        return 1, FREE_PIECES
    if k <= FIRST_PAID_PIECES_UP_TO:
        return FREE_PIECES + 1, FIRST_PAID_PIECES_UP_TO
    lo = FIRST_PAID_PIECES_UP_TO + 1 + (k - FIRST_PAID_PIECES_UP_TO - 1) // PIECE_TIER_SIZE * PIECE_TIER_SIZE
    return lo, lo + PIECE_TIER_SIZE - 1


def fee_by_piece(pieces: int, *, earlier: int = 0) -> FeeBreakdown:
    """按件计收: 国办函〔2020〕109号 art 4, 超额累进 (art 3).

    ``pieces`` is this application's 件 after "一事一申请" splitting (art 4 ¶1); ``earlier`` is
    the 件 the same applicant already had counted at this agency in the same natural month.
    """
    _check_count(pieces, "件数", minimum=1)
    _check_count(earlier, "本月此前件数", minimum=0)
    if earlier + pieces > MAX_MONTHLY_PIECES:
        # The notice lists one line per 10-件 tier; an absurd count is a typing error, not a fee.
        raise FeeError(f"本月累计件数 {earlier + pieces} 超出可计算范围（{MAX_MONTHLY_PIECES} 件），请核对件数")
    lines: list[FeeLine] = []
    k, last = earlier + 1, earlier + pieces
    while k <= last:
        _, tier_end = _piece_tier(k)
        end = min(tier_end, last)
        lines.append(FeeLine(k, end, piece_price(k), FeeMethod.BY_PIECE.unit))
        k = end + 1
    return FeeBreakdown(FeeMethod.BY_PIECE, pieces, earlier, tuple(lines))


def fee_by_volume(pages: int) -> FeeBreakdown:
    """按量计收: 国办函〔2020〕109号 art 5 with the catalogue tiers (spec §2.2), 超额累进 (art 3)."""
    _check_count(pages, "页数", minimum=1)
    lines = []
    for first, last, price in PAGE_TIERS:
        if pages < first:
            break
        end = pages if last is None else min(last, pages)
        lines.append(FeeLine(first, end, price, FeeMethod.BY_VOLUME.unit))
    return FeeBreakdown(FeeMethod.BY_VOLUME, pages, 0, tuple(lines))


def compute_fee(*, pieces: int | None = None, earlier: int = 0, pages: int | None = None) -> FeeBreakdown:
    """The fee of one application by exactly one method: 国办函〔2020〕109号 art 3."""
    if pieces is not None and pages is not None:
        raise FeeError(
            "每件申请只能选择按件或按量其中一种标准计收，不得同时按照两种标准重复计算（国办函〔2020〕109号第三条）"
        )
    if pieces is not None:
        return fee_by_piece(pieces, earlier=earlier)
    if pages is not None:
        if earlier:
            raise FeeError("本月此前件数只用于按件计收")
        return fee_by_volume(pages)
    raise FeeError("请给出件数（按件计收）或页数（按量计收）")


def _check_count(value: int, what: str, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FeeError(f"{what}应为不小于{minimum}的整数，实为 {value!r}")
