"""Online submission and confirmation (条例 art 31(3)), tracking codes, flags, demo data, reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.agencies.models import Agency
from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.masking import identity_for, mask_identity
from gongkai.cases.models import Case, normalise_tracking_code
from gongkai.cases.reminders import send_reminders
from gongkai.cases.selectors import applicant_month_count, case_flags, repeat_candidates, text_similarity
from gongkai.cli import main
from gongkai.core.case_flow import Status
from gongkai.core.report.taxonomy import ApplicantType
from tests.factories import CaseFactory, InProgressCase, UserFactory

pytestmark = pytest.mark.django_db

D = dt.date


def _submit(agency: Agency, **extra: object) -> Case:
    data: dict[str, object] = {
        "agency": agency,
        "applicant": Applicant(
            ApplicantType.LEGAL_SERVICE_ORG,
            "某律师事务所",
            org_credit_code="31110000MD0000000X",
            legal_representative="王律师",
            email="law@example.cn",
        ),
        "request_description": "2025年度行政处罚决定书",
        "client_ip": "203.0.113.9",
        "submitted_at": timezone.make_aware(dt.datetime(2026, 3, 6, 22, 15)),
    }
    data.update(extra)
    return services.submit_online_application(**data)  # type: ignore[arg-type]


def test_online_application_waits_for_confirmation(tree, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    tree.officer_a.email = "officer@example.cn"
    tree.officer_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = _submit(tree.street_a)
    assert (case.status, case.received_on, case.due_on, case.registered_by) == (
        Status.AWAITING_CONFIRMATION,
        None,
        None,
        None,
    )
    assert case.client_ip == "203.0.113.9" and case.applicant_key == "org:31110000MD0000000X"
    officer_mail = next(m for m in mail.outbox if m.to == ["officer@example.cn"])  # the applicant's is there too
    assert "待确认" in officer_mail.subject
    submitted = AuditEvent.objects.for_object(case).get()
    assert (submitted.action, submitted.actor, submitted.actor_name) == ("case.submitted_online", None, "系统")
    assert case.events.get().actor_name == "申请人（网上提交）"

    found = Case.objects.by_tracking_code(case.tracking_code.lower().replace("-", " "))
    assert found == case
    assert Case.objects.by_tracking_code("0000-0000-0000") is None  # 0 is not in the alphabet
    assert Case.objects.by_tracking_code("") is None

    case = services.confirm_online_application(actor=tree.officer_a, case=case, today=D(2026, 3, 9))
    assert (case.status, case.received_on, case.due_on) == (Status.REGISTERED, D(2026, 3, 9), D(2026, 4, 7))


def test_online_confirmation_cannot_precede_submission(tree) -> None:  # type: ignore[no-untyped-def]
    from gongkai.core.errors import DeadlineError

    case = _submit(tree.street_a)
    with pytest.raises(DeadlineError, match="早于提交日期"):
        services.confirm_receipt(actor=tree.officer_a, case=case, today=D(2026, 3, 9), on=D(2026, 3, 5))


def test_tracking_codes_are_unique_and_normalised(tree) -> None:  # type: ignore[no-untyped-def]
    codes = {_submit(tree.street_a).tracking_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert normalise_tracking_code(code) == code and len(code) == 14


def test_masking_helper() -> None:
    assert mask_identity("110228198001011234") == "110***********1234"
    assert mask_identity("G1234567") == "****4567"
    assert mask_identity("123") == "***"
    assert mask_identity("") == ""


def test_identity_for_roles(tree) -> None:  # type: ignore[no-untyped-def]
    number = "110228198001011234"
    assert identity_for(tree.officer_a, number) == number
    assert identity_for(tree.leader_a, number) == number
    assert identity_for(tree.officer_a, number, listing=True) != number
    for user in (tree.clerk_a, tree.supervisor, tree.admin, None):
        assert identity_for(user, number) == "110***********1234"


def test_text_similarity() -> None:
    a = "请公开果园街道2025年老旧小区改造项目的实施方案"
    assert text_similarity(a, a) == 1.0
    assert text_similarity(a, "请公开果园街道2025年老旧小区改造项目的实施方案。") == 1.0  # punctuation ignored
    assert text_similarity(a, "申请公开果园街道2025年度老旧小区改造项目实施方案") > 0.6
    assert text_similarity(a, "部门预算") < 0.2
    assert text_similarity("", a) == 0.0


def test_repeat_and_monthly_flags(tree) -> None:  # type: ignore[no-untyped-def]
    who = {"id_number": "110228198001011234", "actor": tree.officer_a}
    old = CaseFactory(today=D(2025, 3, 10), request_description="果园街道老旧小区改造项目的实施方案", **who)
    CaseFactory(today=D(2024, 4, 1), request_description="果园街道老旧小区改造项目的实施方案", **who)  # > 12 months
    CaseFactory(today=D(2026, 3, 3), request_description="部门预算", **who)
    CaseFactory(
        today=D(2026, 3, 2),
        request_description="果园街道老旧小区改造项目的实施方案",
        id_number="999",
        actor=tree.officer_a,
    )  # another person
    case = CaseFactory(today=D(2026, 3, 20), request_description="请公开果园街道老旧小区改造项目实施方案", **who)
    assert [r.case for r in repeat_candidates(case)] == []  # 2025-03-10 is more than 12 months before
    case2 = CaseFactory(today=D(2026, 3, 25), request_description="请公开果园街道老旧小区改造项目实施方案", **who)
    assert [r.case for r in repeat_candidates(case2)] == [case]
    flags = case_flags(case2)
    assert flags.month_count == 3 and not flags.excessive
    assert applicant_month_count(old) == 1
    for _ in range(9):
        CaseFactory(today=D(2026, 3, 26), **who)
    assert case_flags(case2).excessive


def test_demo_data_is_idempotent_and_alive(db) -> None:  # type: ignore[no-untyped-def]
    from gongkai.backoffice.demo import load_foundation
    from gongkai.cases import demo

    load_foundation()
    today = D(2026, 11, 27)
    demo.load(today=today, log=lambda _: None)
    demo.load(today=today, log=lambda _: None)
    cases = Case.objects.filter(agency__code=demo.AGENCY_CODE)
    assert cases.count() == 7 + 2 * (today.month - 1)  # the desk's seven; two a month of history
    assert cases.overdue(on=today).count() == 1
    assert cases.running().filter(due_on=D(2026, 12, 1)).count() == 1  # 2 working days after Fri 11-27
    assert set(cases.values_list("status", flat=True)) == {
        Status.IN_PROGRESS,
        Status.AWAITING_CORRECTION,
        Status.CONSULTING,
        Status.AWAITING_CONFIRMATION,
        Status.FEE_PENDING,
        Status.CLOSED,
    }


def test_reminders_t2_and_overdue(tree, capsys) -> None:  # type: ignore[no-untyped-def]
    officer = tree.officer_a
    officer.email = "officer@example.cn"
    officer.save()
    other = UserFactory(username="officer_a2", agency=tree.street_a, role=Role.OFFICER, email="second@example.cn")
    overdue = InProgressCase(actor=officer, assigned_to=officer, today=D(2026, 3, 2))  # due 03-30
    t2 = InProgressCase(actor=officer, assigned_to=officer, today=D(2026, 3, 5))  # due 04-02
    unassigned = InProgressCase(actor=officer, today=D(2026, 3, 5))  # due 04-02: every officer of the agency
    InProgressCase(actor=officer, assigned_to=officer, today=D(2026, 3, 4))  # due 04-01: tomorrow, told yesterday

    result = send_reminders(today=D(2026, 3, 31))
    by_user = {d.user.username: d for d in result.digests}
    assert [c.number for c in by_user["officer_a"].overdue] == [overdue.number]
    assert [c.number for c in by_user["officer_a"].due_soon] == [t2.number, unassigned.number]
    assert [c.number for c in by_user[other.username].due_soon] == [unassigned.number]
    assert result.sent == 2 and len(mail.outbox) == 2
    to_officer = next(m for m in mail.outbox if m.to == ["officer@example.cn"])
    assert overdue.number in to_officer.body and t2.number in to_officer.body
    assert "逾期1件，即将到期2件" in to_officer.subject

    assert not send_reminders(today=D(2026, 4, 4)).working_day  # 清明: nothing sent
    mail.outbox.clear()
    assert main(["remind", "--today", "2026-03-31", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "officer_a：逾期 1 件，2个工作日后到期 2 件" in out and mail.outbox == []
