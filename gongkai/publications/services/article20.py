"""An agency's article 20 figures per year (table 二 第二十条第（五）（六）（八）项)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from gongkai.audit.services import diff, record
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Article20Figures, FigureSource
from gongkai.publications.services.common import MANAGER_ROLES, PublicationAction, require_role, resolve_now

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


@dataclass(frozen=True, slots=True)
class Article20Input:
    """One year's figures as entered or imported (table 二 第二十条第（五）（六）（八）项)."""

    year: int
    licensing: int
    punishment: int
    coercion: int
    fees_10k_yuan: Decimal


def _check_figures(values: Article20Input) -> None:
    if not 1990 <= values.year <= 2200:
        raise PublicationError(f"年度 {values.year} 无效")
    for label, number in (
        ("行政许可", values.licensing),
        ("行政处罚", values.punishment),
        ("行政强制", values.coercion),
    ):
        if number < 0:
            raise PublicationError(f"{values.year}年{label}处理决定数量不能为负数")
    if values.fees_10k_yuan < 0:
        raise PublicationError(f"{values.year}年行政事业性收费金额不能为负数")
    if values.fees_10k_yuan != values.fees_10k_yuan.quantize(Decimal("0.0001")):
        raise PublicationError(f"{values.year}年行政事业性收费金额最多保留四位小数（万元）")


@transaction.atomic
def set_article20_figures(
    *,
    actor: User | None,
    agency: Agency,
    values: Article20Input,
    source: FigureSource | str = FigureSource.FORM,
    source_note: str = "",
    now: dt.datetime | None = None,
) -> Article20Figures:
    """Enter (or correct) ``agency``'s article 20 figures for one year, noting where they came from."""
    if actor is not None:
        require_role(actor, agency, MANAGER_ROLES, "填报第二十条数据")
    _check_figures(values)
    row = Article20Figures.objects.select_for_update().filter(agency=agency, year=values.year).first()
    fields = ("licensing", "punishment", "coercion", "fees_10k_yuan", "source", "source_note")
    before = {f: getattr(row, f) for f in fields} if row else {}
    if row is None:
        row = Article20Figures(agency=agency, year=values.year)
    row.licensing, row.punishment, row.coercion = values.licensing, values.punishment, values.coercion
    row.fees_10k_yuan = values.fees_10k_yuan
    row.source, row.source_note = FigureSource(source), source_note.strip()[:200]
    row.updated_by = actor
    row.updated_at = resolve_now(now)
    row.save()
    record(
        actor=actor,
        action=PublicationAction.ARTICLE20_SET,
        target=row,
        agency=agency,
        changes=diff(before, {f: getattr(row, f) for f in fields}),
        note=f"{values.year}年",
    )
    return row
