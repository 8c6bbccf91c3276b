"""Round trip: the documents stored at sign-off, read back by the core readers, give the same numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gongkai.core.report.readers import read_bytes
from gongkai.publications import services as publications
from gongkai.publications.models import RegisterKind
from gongkai.reports import services
from tests.reports.conftest import start
from tests.reports.history import add_cases, add_reviews, random_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_busy(tree: Any) -> Any:
    """A year with every kind of number: random cases and reviews, table 二 entered."""
    cases, reviews = random_history(11, cases=250, first_year=2022, last_year=2023)
    add_cases(tree.street_a, cases)
    add_reviews(tree.street_a, reviews)
    publications.set_article20_figures(
        actor=None,
        agency=tree.street_a,
        values=publications.Article20Input(
            2023, licensing=12, punishment=345, coercion=6, fees_10k_yuan=Decimal("1.25")
        ),
    )
    publications.register_document(
        actor=None,
        agency=tree.street_a,
        kind=RegisterKind.NORMATIVE_DOCUMENT,
        title="规范性文件",
        issued_on=dt.date(2023, 5, 1),
    )
    return services.sign_off(actor=tree.leader_a, record=start(tree))


def test_stored_documents_read_back_to_the_same_numbers(signed_busy: Any) -> None:
    snapshot = signed_busy.snapshot_report()
    assert snapshot.table3["new"][6] > 50 and snapshot.table2["fees"]["amount_10k_yuan"] == Decimal("1.25")
    for fmt in ("docx", "pdf", "html"):
        read = read_bytes(signed_busy.document_field(fmt).read(), f"report.{fmt}")
        assert read.same_numbers(snapshot), (fmt, [n.message for n in read.notes])


def test_json_round_trip(signed_busy: Any) -> None:
    from gongkai.core.report.model import AnnualReport

    snapshot = signed_busy.snapshot_report()
    again = AnnualReport.from_json(snapshot.to_json())
    assert again.same_numbers(snapshot) and again.sections == snapshot.sections
