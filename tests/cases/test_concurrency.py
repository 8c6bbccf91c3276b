"""Two people acting on one case never lose an update (optimistic lock on ``Case.version``).

The sequential test runs on every database. The threaded tests need real concurrent
transactions and row locks, so they exist only when the suite runs on PostgreSQL (they are not
collected on SQLite, rather than collected and skipped).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import transaction

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.errors import StaleCaseError
from gongkai.cases.models import Case
from gongkai.core.case_flow import Status
from gongkai.core.deadlines import Channel, ConsultedParty
from gongkai.core.report.taxonomy import ApplicantType
from tests.concurrency import run_together
from tests.factories import InProgressCase

D = dt.date
STALE = "该案件已被他人修改，请刷新后重试"
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_writes_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)  # two open pages, version 2
    services.start_consultation(
        actor=tree.officer_a, case=mine, party=ConsultedParty.THIRD_PARTY, party_name="甲公司", today=D(2026, 3, 4)
    )
    before = (AuditEvent.objects.count(), theirs.events.count())
    with pytest.raises(StaleCaseError) as info:
        services.request_extension(actor=tree.officer_a, case=theirs, days=5, reason="x", today=D(2026, 3, 5))
    assert str(info.value) == f"{STALE}（{case.number}）"
    with pytest.raises(StaleCaseError):  # the form's version, when given, is what counts
        services.assign(
            actor=tree.officer_a,
            case=Case.objects.get(pk=case.pk),
            department=None,
            officer=tree.officer_a,
            today=D(2026, 3, 5),
            version=2,
        )
    assert (AuditEvent.objects.count(), theirs.events.count()) == before
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version, fresh.extensions.count()) == (Status.CONSULTING, 3, 0)


if ON_POSTGRESQL:

    @pytest.mark.postgres_only
    @pytest.mark.django_db(transaction=True)
    def test_two_officers_at_once_one_wins_the_other_is_told(tree) -> None:  # type: ignore[no-untyped-def]
        case = InProgressCase(actor=tree.officer_a)
        page = Case.objects.get(pk=case.pk)  # both loaded version 2
        results = run_together(
            lambda: services.start_consultation(
                actor=tree.officer_a,
                case=page,
                party=ConsultedParty.THIRD_PARTY,
                party_name="甲公司",
                today=D(2026, 3, 4),
            ),
            lambda: services.request_extension(
                actor=tree.officer_a, case=page, days=5, reason="x", today=D(2026, 3, 4)
            ),
        )
        winners = [r for r in results if isinstance(r, Case)]
        losers = [r for r in results if isinstance(r, StaleCaseError)]
        assert (len(winners), len(losers)) == (1, 1), results
        assert STALE in str(losers[0])
        fresh = Case.objects.get(pk=case.pk)
        assert fresh.version == 3 and fresh.status == winners[0].status
        assert fresh.events.count() == 3  # registered, accept, and the winner's only

    @pytest.mark.postgres_only
    @pytest.mark.django_db(transaction=True)
    def test_the_second_writer_waits_for_the_row_lock_then_fails_cleanly(tree) -> None:  # type: ignore[no-untyped-def]
        case = InProgressCase(actor=tree.officer_a)
        page = Case.objects.get(pk=case.pk)
        first_holds_lock = threading.Event()

        def first() -> Case:
            with transaction.atomic():
                updated = services.assign(
                    actor=tree.officer_a, case=page, department=None, officer=tree.officer_a, today=D(2026, 3, 3)
                )
                first_holds_lock.set()
                time.sleep(0.5)  # still uncommitted: the row stays locked
            return updated

        def second() -> float:
            first_holds_lock.wait(10)
            started = time.monotonic()
            try:
                services.assign(
                    actor=tree.officer_a, case=page, department=None, officer=tree.leader_a, today=D(2026, 3, 3)
                )
            except StaleCaseError:
                return time.monotonic() - started
            raise AssertionError("the second writer was not refused")

        results = run_together(first, second)
        assert isinstance(results[0], Case), results
        assert isinstance(results[1], float), results
        assert results[1] >= 0.3  # it waited for the first transaction's lock (SELECT … FOR UPDATE)
        assert Case.objects.get(pk=case.pk).assigned_to == tree.officer_a

    @pytest.mark.postgres_only
    @pytest.mark.django_db(transaction=True)
    def test_case_numbers_are_unique_under_concurrent_registration(tree) -> None:  # type: ignore[no-untyped-def]
        def register(n: int) -> Callable[[], Case]:
            return lambda: services.register_application(
                actor=tree.officer_a,
                today=D(2026, 3, 2),
                channel=Channel.IN_PERSON,
                applicant=Applicant(ApplicantType.NATURAL_PERSON, f"申请人{n}"),
                request_description="x",
            )

        results = run_together(*(register(n) for n in range(8)))
        assert all(isinstance(r, Case) for r in results), results
        assert sorted(r.sequence for r in results) == list(range(1, 9))
        assert len({r.number for r in results}) == 8
