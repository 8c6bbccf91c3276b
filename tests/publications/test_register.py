"""The 规章 / 行政规范性文件 register and table 二 第二十条第（一）项 counts (spec §3.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.publications import services
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import RegisterKind
from gongkai.publications.selectors import RegisterCounts, register_counts

pytestmark = pytest.mark.django_db
N = RegisterKind.NORMATIVE_DOCUMENT
R = RegisterKind.REGULATION


def add(tree, issued, abolished=None, kind=N, number=""):  # type: ignore[no-untyped-def]
    return services.register_document(
        actor=tree.officer_a,
        agency=tree.street_a,
        kind=kind,
        title=f"文件 {issued} {abolished}",
        issued_on=issued,
        abolished_on=abolished,
        document_number=number,
    )


def test_boundary_dates(tree) -> None:  # type: ignore[no-untyped-def]
    add(tree, dt.date(2022, 12, 31))  # before: in force
    add(tree, dt.date(2023, 1, 1))  # issued on 1 Jan
    add(tree, dt.date(2023, 12, 31))  # issued on 31 Dec: counts, in force
    add(tree, dt.date(2024, 1, 1))  # after: nothing
    add(tree, dt.date(2020, 6, 1), dt.date(2023, 1, 1))  # abolished 1 Jan: abolished, not in force
    add(tree, dt.date(2020, 6, 1), dt.date(2023, 12, 31))  # abolished 31 Dec: abolished, not in force
    add(tree, dt.date(2020, 6, 1), dt.date(2024, 1, 1))  # abolished next year: in force
    add(tree, dt.date(2020, 6, 1), dt.date(2022, 12, 31))  # abolished the year before: nothing
    add(tree, dt.date(2023, 3, 1), dt.date(2023, 9, 1))  # issued and abolished in the year
    counts = register_counts(tree.street_a, 2023)
    assert counts[N] == RegisterCounts(issued=3, abolished=3, in_force=4)
    assert counts[R] == (0, 0, 0)
    assert register_counts(tree.street_a, 2022)[N] == RegisterCounts(issued=1, abolished=1, in_force=4)


def test_one_query_and_other_agencies_do_not_count(tree) -> None:  # type: ignore[no-untyped-def]
    add(tree, dt.date(2023, 5, 1), kind=R)
    services.register_document(
        actor=tree.officer_b, agency=tree.street_b, kind=N, title="乙街道文件", issued_on=dt.date(2023, 5, 1)
    )
    with CaptureQueriesContext(connection) as ctx:
        counts = register_counts(tree.street_a, 2023)
    assert len(ctx.captured_queries) == 1
    assert counts == {R: (1, 0, 1), N: (0, 0, 0)}


def test_abolish(tree) -> None:  # type: ignore[no-untyped-def]
    doc = add(tree, dt.date(2021, 4, 1), number="果政规〔2021〕1号")
    with pytest.raises(PublicationError, match="早于"):
        services.abolish_document(actor=tree.officer_a, document=doc, abolished_on=dt.date(2021, 3, 1))
    with pytest.raises(PermissionDenied):
        services.abolish_document(actor=tree.clerk_a, document=doc, abolished_on=dt.date(2023, 3, 1))
    services.abolish_document(actor=tree.officer_a, document=doc, abolished_on=dt.date(2023, 3, 1), note="已被替代")
    assert register_counts(tree.street_a, 2023)[N] == (0, 1, 0)
    with pytest.raises(PublicationError, match="已于"):
        services.abolish_document(actor=tree.officer_a, document=doc, abolished_on=dt.date(2023, 4, 1))
    with pytest.raises(PublicationError, match="已登记"):
        add(tree, dt.date(2022, 1, 1), number="果政规〔2021〕1号")
