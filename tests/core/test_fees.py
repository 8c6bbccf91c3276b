"""信息处理费: 国办函〔2020〕109号 tiers (legal spec §2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.errors import FeeError
from gongkai.core.fees import FeeLine, FeeMethod, compute_fee, fee_by_piece, fee_by_volume, piece_price


@pytest.mark.parametrize(
    ("pieces", "total"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 2000),
        (31, 2200),
        (35, 3000),  # spec §2.3 example: 20×100 + 5×200
        (40, 4000),
        (41, 4300),
        (50, 7000),
        (51, 7400),
    ],
)
def test_by_piece_boundaries(pieces: int, total: int) -> None:
    assert fee_by_piece(pieces).total == total


@pytest.mark.parametrize(
    ("k", "price"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (131, 1200)],
)
def test_price_of_the_kth_piece(k: int, price: int) -> None:
    assert piece_price(k) == price


@pytest.mark.parametrize(
    ("pages", "total"),
    [
        (1, 0),
        (30, 0),
        (31, 10),
        (100, 700),
        (101, 720),
        (200, 2700),
        (201, 2740),
        (250, 4700),  # spec §2.3 example: 70×10 + 100×20 + 50×40
    ],
)
def test_by_volume_boundaries(pages: int, total: int) -> None:
    assert fee_by_volume(pages).total == total


def test_earlier_pieces_in_the_month_count() -> None:
    b = fee_by_piece(30, earlier=5)  # this application is the month's 6th–35th 件
    assert b.lines == (
        FeeLine(6, 10, 0, "件"),
        FeeLine(11, 30, 100, "件"),
        FeeLine(31, 35, 200, "件"),
    )
    assert b.total == 3000
    assert fee_by_piece(1, earlier=10).total == 100
    assert fee_by_piece(1, earlier=9).total == 0


def test_breakdown_for_the_fee_notice() -> None:
    b = fee_by_volume(250)
    assert [(line.first, line.last, line.unit_price, line.amount) for line in b.lines] == [
        (1, 30, 0, 0),
        (31, 100, 10, 700),
        (101, 200, 20, 2000),
        (201, 250, 40, 2000),
    ]
    text = b.describe()
    assert text[0].startswith("按量计收")
    assert "第31—100页 70页 × 10元 = 700元" in text
    assert "第1—30页 30页 免费" in text
    assert text[-1] == "合计：4700元"
    assert fee_by_piece(35).describe()[-1] == "合计：3000元"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pieces": 3, "pages": 40}, "不得同时按照两种标准"),
        ({}, "件数"),
        ({"pieces": 0}, "件数"),
        ({"pieces": -1}, "件数"),
        ({"pieces": 5, "earlier": -1}, "本月此前件数"),
        ({"pages": 0}, "页数"),
        ({"pages": 40, "earlier": 3}, "只用于按件计收"),
    ],
)
def test_fee_errors(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(FeeError, match=message):
        compute_fee(**kwargs)


def test_compute_fee_picks_the_method() -> None:
    assert compute_fee(pieces=35).method is FeeMethod.BY_PIECE
    assert compute_fee(pages=250).method is FeeMethod.BY_VOLUME
    assert compute_fee(pieces=5, earlier=30).total == 1000


@given(st.integers(0, 200), st.integers(1, 100), st.integers(1, 100))
def test_splitting_a_month_into_applications_changes_nothing(earlier: int, a: int, b: int) -> None:
    # Marginal tiers over the month: two applications cost what one of the same 件 would.
    assert (
        fee_by_piece(a, earlier=earlier).total + fee_by_piece(b, earlier=earlier + a).total
        == fee_by_piece(a + b, earlier=earlier).total
    )


@given(st.integers(1, 2000))
def test_marginal_tiers_sum_per_unit(pages: int) -> None:
    # The breakdown is the sum of the per-page prices (超额累进, art 3).
    def page_price(p: int) -> int:
        return 0 if p <= 30 else 10 if p <= 100 else 20 if p <= 200 else 40

    assert fee_by_volume(pages).total == sum(page_price(p) for p in range(1, pages + 1))
    assert sum(line.quantity for line in fee_by_volume(pages).lines) == pages


@given(st.integers(1, 300))
def test_piece_fee_is_sum_of_piece_prices(n: int) -> None:
    assert fee_by_piece(n).total == sum(piece_price(k) for k in range(1, n + 1))


def test_an_absurd_piece_count_is_refused_at_once() -> None:
    from gongkai.core.errors import FeeError
    from gongkai.core.fees import MAX_MONTHLY_PIECES, fee_by_piece

    assert fee_by_piece(MAX_MONTHLY_PIECES).total > 0
    with pytest.raises(FeeError, match="超出可计算范围"):
        fee_by_piece(100_000_000_000_000)
    with pytest.raises(FeeError, match="超出可计算范围"):
        fee_by_piece(1, earlier=MAX_MONTHLY_PIECES)
