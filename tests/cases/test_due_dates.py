"""The bulk recompute of every open case's due date gives what the per-case clock gives."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.audit.models import AuditEvent
from gongkai.cases import due_dates
from gongkai.cases.choices import CaseNote
from gongkai.cases.clock import compute_case_clock
from gongkai.cases.models import Case
from tests.conftest import Tree
from tests.factories import AwaitingCorrectionCase, ConsultingCase, InProgressCase

TODAY = dt.date(2026, 4, 20)


def test_rounds_of_the_bulk_recompute_agree_with_the_per_case_clock(
    tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [
        InProgressCase(actor=tree.officer_a, today=dt.date(2026, 3, 2)),
        AwaitingCorrectionCase(actor=tree.officer_a, today=dt.date(2026, 3, 3)),
        ConsultingCase(actor=tree.officer_a, today=dt.date(2026, 3, 4)),
        InProgressCase(actor=tree.officer_b, today=dt.date(2026, 3, 5)),
        ConsultingCase(actor=tree.officer_b, today=dt.date(2026, 3, 6)),
    ]
    expected = {c.pk: compute_case_clock(Case.objects.get(pk=c.pk), today=TODAY) for c in cases}
    versions = dict(Case.objects.values_list("pk", "version"))
    Case.objects.update(due_on=None, due_note="")  # as if every stored date were stale
    stale = {pk: (None, provisional, "") for pk, provisional in Case.objects.values_list("pk", "due_is_provisional")}
    moving = {pk for pk, c in expected.items() if (c.due_on, c.provisional, c.note) != stale[pk]}
    assert len(moving) >= 4  # every case but the one waiting for its 补正 has a due date
    monkeypatch.setattr(due_dates, "BATCH_SIZE", 2)  # three rounds for five cases

    changes = due_dates.recompute_due_dates(actor=None, today=TODAY, reason="测试")

    assert sorted(c.case_id for c in changes) == sorted(moving)
    for case in Case.objects.all():
        clock = expected[case.pk]
        assert (case.due_on, case.due_is_provisional, case.due_note) == (clock.due_on, clock.provisional, clock.note)
        moved = case.pk in moving
        assert case.version == versions[case.pk] + moved
        assert case.events.filter(kind=CaseNote.DUE_DATE_CHANGED).count() == moved
        audit = AuditEvent.objects.for_object(case).filter(action="case.due_date_changed")
        assert audit.count() == moved
        if moved:
            assert audit.get().agency_id == case.agency_id
            assert audit.get().changes["due_on"] == [None, case.due_on.isoformat()]

    assert due_dates.recompute_due_dates(actor=None, today=TODAY, reason="再算一次") == []  # nothing moves twice
