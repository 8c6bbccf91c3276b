"""The summary rows of tables 三/四 (``gongkai.cases.models.tally``) stay equal to the records.

Random histories driven through the case services (registration, confirmation, answers on the
spot, corrections, consultations, extensions, fees, withdrawals, closings, 转办 to another
agency, reviews recorded, concluded and re-dated) in two agencies over several years, then
raw writes that bypass the services (``QuerySet.update``, deletes, bulk inserts): after each,
the stored counts equal the live aggregate key by key, the roll-up read from them equals the
roll-up counted from the records for every year, and a rebuild from the records gives the same
rows as the ones the triggers kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from gongkai.accounts.models import Role
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.errors import CaseInputError
from gongkai.cases.figures import table3_by_agency, table3_by_agency_live, table4_by_agency, table4_by_agency_live
from gongkai.cases.models import Case, CaseTally, Review, ReviewTally
from gongkai.cases.tally import differences, rebuild
from gongkai.core.deadlines import Channel
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType, ReviewKind, ReviewResult
from tests.cases.test_year_figures import _history, _reviews
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = dt.date
YEARS = range(2024, 2028)


def _stored() -> tuple[dict[tuple[Any, ...], int], dict[tuple[Any, ...], int]]:
    cases = {
        (t.agency_id, t.applicant_type, t.outcome, t.received_year, t.closed_year): t.cases
        for t in CaseTally.objects.exclude(cases=0)
    }
    reviews = {
        (t.agency_id, t.kind, t.result, t.filed_year, t.concluded_year): t.reviews
        for t in ReviewTally.objects.exclude(reviews=0)
    }
    return cases, reviews


def _assert_exact(tree: Any) -> None:
    assert differences() == {"cases_casetally": {}, "cases_reviewtally": {}}
    ids = [tree.street_a.pk, tree.street_b.pk, tree.district.pk, tree.other_district.pk]
    for year in YEARS:
        assert table3_by_agency(ids, year) == table3_by_agency_live(ids, year), year
        assert table4_by_agency(ids, year) == table4_by_agency_live(ids, year), year


def _transfers(rng: random.Random, tree: Any, count: int) -> int:
    """Applications registered at street A and sent on to street B (条例 art 36(5)); street B closes some."""
    leader_b = UserFactory(username="leader_b_transfers", agency=tree.street_b, role=Role.LEADER)
    moved = 0
    for n in range(count):
        day = D(2025, 12, 1) + dt.timedelta(days=rng.randrange(60))
        case = services.register_application(
            actor=tree.officer_a,
            today=day,
            channel=Channel.IN_PERSON,
            applicant=Applicant(rng.choice(list(ApplicantType)), f"转办{n}"),
            request_description=f"转办申请{n}",
        )
        case = services.start_processing(actor=tree.officer_a, case=case, today=day)
        transfer = services.transfer_application(
            actor=tree.leader_a,
            case=case,
            today=day,
            reason="非本机关职责",
            to_agency=tree.street_b,
            agency_contact_text="电话 0000-1234567",
        )
        moved += 1
        received = transfer.to_case
        assert received is not None and received.agency_id == tree.street_b.pk
        if rng.random() < 0.5:
            later = day + dt.timedelta(days=rng.randrange(1, 40))
            services.close_case(actor=leader_b, case=received, outcome=Outcome.GRANTED, today=later)
    return moved


@pytest.mark.parametrize("seed", [7, 2026])
def test_service_histories_keep_the_tally_equal_to_the_records(tree: Any, seed: int) -> None:
    rng = random.Random(seed)
    for n in range(90):
        _history(rng, tree.officer_a, tree.leader_a, tree.street_a, n)
    leader_b = UserFactory(username=f"leader_b{seed}", agency=tree.street_b, role=Role.LEADER)
    for n in range(40):
        # a random step the services refuse (e.g. a fee lapsed before its due day) writes nothing
        with contextlib.suppress(CaseInputError):
            _history(rng, tree.officer_b, leader_b, tree.street_b, 1000 + n)
    _reviews(rng, tree.officer_a, 10)
    _reviews(rng, tree.officer_b, 6)
    assert _transfers(rng, tree, 4) == 4
    for review in Review.objects.order_by("pk")[:5]:
        services.record_review_dates(
            actor=tree.officer_a if review.agency_id == tree.street_a.pk else tree.officer_b,
            review=review,
            today=review.filed_on + dt.timedelta(days=5),
            copy_received_on=review.filed_on + dt.timedelta(days=3),
        )
    assert Case.objects.filter(agency=tree.street_b).exists()
    assert CaseTally.objects.filter(agency=tree.street_a, closed_year__gt=0).exists()
    assert ReviewTally.objects.filter(concluded_year__gt=0).exists()
    _assert_exact(tree)

    kept = _stored()
    rebuild()
    assert _stored() == kept  # the bulk rebuild gives exactly what the triggers kept


def test_writes_that_bypass_the_services_move_the_tally_too(tree: Any) -> None:
    rng = random.Random(11)
    for n in range(40):
        _history(rng, tree.officer_a, tree.leader_a, tree.street_a, n)
    _reviews(rng, tree.officer_a, 8)
    _assert_exact(tree)

    closed = Case.objects.filter(closed_on__isnull=False).order_by("pk")
    first = closed.first()
    assert first is not None and first.closed_on is not None
    # A closing moved into the next year, an outcome corrected, a case moved to another agency.
    Case.objects.filter(pk=first.pk).update(closed_on=D(first.closed_on.year + 1, 1, 5))
    Case.objects.filter(pk__in=closed.values("pk")[1:4]).update(outcome=Outcome.PARTIAL)
    Case.objects.filter(pk__in=closed.values("pk")[4:6]).update(agency=tree.street_b)
    Case.objects.filter(pk__in=closed.values("pk")[6:8]).update(applicant_type=ApplicantType.OTHER_ORG)
    _assert_exact(tree)

    # Reviews: concluded by a raw update, one deleted, a batch inserted at once.
    pending = Review.objects.filter(result=ReviewResult.PENDING).order_by("pk")
    Review.objects.filter(pk__in=pending.values("pk")[:2]).update(
        result=ReviewResult.CORRECTED, concluded_on=D(2026, 12, 30)
    )
    Review.objects.order_by("pk").last().delete()  # type: ignore[union-attr]
    Review.objects.bulk_create(
        Review(agency=tree.street_b, kind=ReviewKind.LITIGATION_DIRECT, filed_on=D(2024 + i % 3, 6, 1), body="法院")
        for i in range(7)
    )
    _assert_exact(tree)
    assert table4_by_agency([tree.street_b.pk], 2026)[tree.street_b.pk]["litigation_direct"]["pending"] >= 2


def test_check_command_finds_a_wrong_row_and_rebuild_repairs_it(tree: Any) -> None:
    rng = random.Random(5)
    for n in range(15):
        _history(rng, tree.officer_a, tree.leader_a, tree.street_a, n)
    call_command("case_tally", "--check")
    row = CaseTally.objects.exclude(cases=0).first()
    assert row is not None
    CaseTally.objects.filter(pk=row.pk).update(cases=row.cases + 3)
    with pytest.raises(CommandError, match="不一致：1 处"):
        call_command("case_tally", "--check")
    call_command("case_tally", "--rebuild")
    call_command("case_tally", "--check")
    assert differences() == {"cases_casetally": {}, "cases_reviewtally": {}}
