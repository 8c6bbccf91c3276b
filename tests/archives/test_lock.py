"""The year lock: who may lock, when (year ended, no open case — named), what it refuses (every
case, letter, 送达 and fee write of that year), and the audited way to correct (unlock with a reason)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.archives.locks import is_locked
from gongkai.archives.models import YearLockChange
from gongkai.archives.services import ArchiveAudit, lock_year, unlock_year
from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.core.archive import YearLocked, YearLockError
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceMethod
from gongkai.core.outcomes import Outcome
from gongkai.letters.deliveries import confirm_receipt, record_delivery
from gongkai.letters.models import Delivery, LetterSettings
from gongkai.letters.services import generate_letter, reprint_letter
from tests.archives.conftest import TODAY, Story, closed_case
from tests.conftest import Tree
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(tree: Tree, letter_settings: LetterSettings) -> Story:
    return closed_case(tree)


def test_only_an_ended_year_without_open_cases_can_be_locked(tree: Tree, story: Story) -> None:
    open_case = CaseFactory(actor=tree.officer_a, today=dt.date(2025, 6, 2))
    with pytest.raises(YearLockError) as refused:
        lock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, today=TODAY)
    assert open_case.number in str(refused.value) and "未办结" in str(refused.value)
    assert story.case.number not in str(refused.value)
    with pytest.raises(YearLockError, match="尚未结束"):
        lock_year(actor=tree.leader_a, agency=tree.street_a, year=2026, today=TODAY)
    services.withdraw_application(actor=tree.officer_a, case=open_case, today=TODAY)
    change = lock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, today=TODAY)
    assert change.case_count == 2 and is_locked(tree.street_a.pk, 2025)
    with pytest.raises(YearLockError, match="已锁定"):
        lock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, today=TODAY)


@pytest.mark.parametrize("who", ["officer_a", "clerk_a", "supervisor", "admin"])
def test_only_the_agencys_leader_locks(tree: Tree, story: Story, who: str) -> None:
    with pytest.raises(PermissionDenied):
        lock_year(actor=getattr(tree, who), agency=tree.street_a, year=2025, today=TODAY)
    assert not YearLockChange.objects.exists()


def test_a_leader_of_another_agency_cannot_lock(tree: Tree, story: Story) -> None:
    from gongkai.accounts.models import Role
    from tests.factories import UserFactory

    other_leader = UserFactory(username="leader_b", agency=tree.street_b, role=Role.LEADER)
    with pytest.raises(PermissionDenied):
        lock_year(actor=other_leader, agency=tree.street_a, year=2025, today=TODAY)


def test_a_locked_year_refuses_every_write(tree: Tree, story: Story) -> None:
    officer, case = tree.officer_a, story.case
    answer = story.letters[-1]
    pending = Delivery.objects.create(
        letter=answer, method=ServiceMethod.DIRECT.value, sent_on=dt.date(2025, 3, 21), recorded_by=officer
    )
    lock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, today=TODAY)
    attempts = {
        "出具文书": lambda: generate_letter(actor=officer, case=case, kind=LetterType.RECEIPT, today=TODAY),
        "登记送达": lambda: record_delivery(
            actor=officer, letter=answer, method=ServiceMethod.DIRECT, sent_on=TODAY, received_on=TODAY, today=TODAY
        ),
        "送达日期": lambda: confirm_receipt(actor=officer, delivery=pending, received_on=TODAY, today=TODAY),
        "分办": lambda: services.assign(actor=officer, case=case, department=None, officer=officer, today=TODAY),
        "重新缴费凭证": lambda: services.request_new_payment_proof(
            actor=officer, case=case, reason="看不清", today=TODAY
        ),
        "收费": lambda: services.record_fee_payment(actor=officer, case=case, today=TODAY),
        "撤回": lambda: services.withdraw_application(actor=officer, case=case, today=TODAY),
    }
    for what, attempt in attempts.items():
        with pytest.raises(YearLocked) as refused:
            attempt()
        message = str(refused.value)
        assert case.number in message and "锁定" in message and "负责人" in message, what
    assert case.letters.count() == 4
    pending.refresh_from_db()
    assert pending.received_on is None


def test_a_locked_year_leaves_other_years_and_reading_alone(tree: Tree, story: Story) -> None:
    lock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, today=TODAY)
    this_year = CaseFactory(actor=tree.officer_a, today=dt.date(2026, 3, 2))
    services.close_case(actor=tree.officer_a, case=this_year, outcome=Outcome.GRANTED, today=TODAY)
    assert reprint_letter(actor=tree.officer_a, letter=story.letters[0])  # printing again changes nothing
    # A 复议 filed later is the agency's record of that later year (table 四 counts it by filing date).
    review = services.record_review(
        actor=tree.officer_a,
        case=story.case,
        kind="reconsideration",
        filed_on=TODAY,
        body="测试区人民政府",
        today=TODAY,
    )
    assert review.pk


def test_unlock_needs_a_reason_and_the_whole_correction_is_recorded(tree: Tree, story: Story) -> None:
    lock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, today=TODAY)
    with pytest.raises(YearLockError, match="理由"):
        unlock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, reason="  ", today=TODAY)
    with pytest.raises(PermissionDenied):
        unlock_year(actor=tree.officer_a, agency=tree.street_a, year=2025, reason="更正送达日期", today=TODAY)
    assert is_locked(tree.street_a.pk, 2025)

    unlock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, reason="答复书送达凭证漏传，补登", today=TODAY)
    assert not is_locked(tree.street_a.pk, 2025)
    delivery = record_delivery(
        actor=tree.officer_a,
        letter=story.letters[-1],
        method=ServiceMethod.DIRECT,
        sent_on=dt.date(2025, 3, 21),
        received_on=dt.date(2025, 3, 21),
        proof=SimpleUploadedFile("签收单.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf"),
        today=TODAY,
    )
    lock_year(actor=tree.leader_a, agency=tree.street_a, year=2025, today=TODAY)
    assert is_locked(tree.street_a.pk, 2025)

    history = list(YearLockChange.objects.filter(agency=tree.street_a, year=2025).order_by("id"))
    assert [(c.action, c.reason) for c in history] == [
        ("locked", ""),
        ("unlocked", "答复书送达凭证漏传，补登"),
        ("locked", ""),
    ]
    actions = list(
        AuditEvent.objects.filter(agency=tree.street_a, action__startswith="archive.")
        .order_by("id")
        .values_list("action", "actor__username", "note")
    )
    assert actions == [
        (ArchiveAudit.LOCKED, "leader_a", ""),
        (ArchiveAudit.UNLOCKED, "leader_a", "答复书送达凭证漏传，补登"),
        (ArchiveAudit.LOCKED, "leader_a", ""),
    ]
    # The correction itself is in the audit trail between the unlock and the new lock.
    correction = AuditEvent.objects.get(
        action="letter.delivery_recorded", object_id=str(story.letters[-1].pk), changes__proof="签收单.pdf"
    )
    unlocked = AuditEvent.objects.get(action=ArchiveAudit.UNLOCKED)
    assert correction.pk > unlocked.pk and delivery.pk
