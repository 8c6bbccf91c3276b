"""One agency's rows of a query compiled once (gongkai.agencies.compiled): the same rows as the
ORM's own query, for every agency, with the ORM's conversions; table 二 of one agency equal to
the roll-up's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.agencies.compiled import agency_rows
from gongkai.publications import services
from gongkai.publications.models import Article20Figures, RegisterKind
from gongkai.publications.selectors import table2_figures, table2_figures_by_agency

pytestmark = pytest.mark.django_db


def _figures(agency_id: int):  # type: ignore[no-untyped-def]
    return Article20Figures.objects.filter(agency_id=agency_id).values_list("year", "fees_10k_yuan").order_by("year")


def test_each_agency_gets_its_own_rows_converted_as_the_orm_converts_them(tree) -> None:  # type: ignore[no-untyped-def]
    for officer, agency, fees in ((tree.officer_a, tree.street_a, "12.5"), (tree.officer_b, tree.street_b, "0.35")):
        services.set_article20_figures(
            actor=officer, agency=agency, values=services.Article20Input(2023, 1, 2, 3, Decimal(fees))
        )
    for agency in (tree.street_a, tree.street_b, tree.district):
        rows = agency_rows("test-figures", _figures, agency.pk)
        assert rows == [tuple(row) for row in _figures(agency.pk)]
    ((year, fees),) = agency_rows("test-figures", _figures, tree.street_b.pk)
    assert (year, type(fees), str(fees)) == (2023, Decimal, str(_figures(tree.street_b.pk)[0][1]))


def test_a_query_without_the_agency_id_is_refused(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="agency id once"):
        agency_rows("test-no-id", lambda pk: Article20Figures.objects.values_list("year"), tree.street_a.pk)


def test_table2_of_one_agency_is_the_roll_ups_in_two_queries(tree) -> None:  # type: ignore[no-untyped-def]
    services.register_document(
        actor=tree.officer_a,
        agency=tree.street_a,
        kind=RegisterKind.REGULATION,
        title="规章",
        issued_on=dt.date(2023, 5, 1),
    )
    services.register_document(
        actor=tree.officer_a,
        agency=tree.street_a,
        kind=RegisterKind.NORMATIVE_DOCUMENT,
        title="文件",
        issued_on=dt.date(2020, 5, 1),
        abolished_on=dt.date(2023, 6, 1),
    )
    services.set_article20_figures(
        actor=tree.officer_a, agency=tree.street_a, values=services.Article20Input(2023, 3, 2015, 1, Decimal("12.5"))
    )
    for agency in (tree.street_a, tree.street_b):
        for year in (2022, 2023):
            with CaptureQueriesContext(connection) as ctx:
                one = table2_figures(agency, year)
            assert len(ctx.captured_queries) == 2
            assert one == table2_figures_by_agency([agency.pk], year)[agency.pk]
    one = table2_figures(tree.street_a, 2023)
    assert one[RegisterKind.REGULATION.value] == {"issued": 1, "abolished": 0, "in_force": 1}
    assert one[RegisterKind.NORMATIVE_DOCUMENT.value] == {"issued": 0, "abolished": 1, "in_force": 0}
    assert type(one["fees"]["amount_10k_yuan"]) is Decimal
