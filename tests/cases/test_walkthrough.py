"""One application from registration to 复议: timeline, due dates and audit trail complete.

Dates (2026 calendar, legal spec §5.3): received Mon 03-02 → due 03-30; 补正 received 03-10 →
due 04-08 (art 30, a fresh 20 days); third party consulted 03-12..03-19 → six working days not
counted → 04-16 (art 33 ¶3; 清明 04-06 is a holiday); extension of 20 working days approved
04-02 → 05-18 (劳动节 05-01..05 off, Saturday 05-09 is a working day).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.choices import CaseNote, ExtensionDecision
from gongkai.cases.models import Case, Review
from gongkai.cases.selectors import year_figures
from gongkai.core.case_flow import Event, Status
from gongkai.core.deadlines import Channel, ConsultedParty
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType, ReviewKind, ReviewResult

pytestmark = pytest.mark.django_db

D = dt.date


def test_register_to_reconsideration(tree, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    officer, leader = tree.officer_a, tree.leader_a
    officer.email, leader.email = "officer@example.cn", "leader@example.cn"
    officer.save()
    leader.save()

    case = services.register_application(
        actor=officer,
        today=D(2026, 3, 2),
        channel=Channel.IN_PERSON,
        applicant=Applicant(
            ApplicantType.NATURAL_PERSON, "刘志强", id_number="110228198001011234", phone="13900000001"
        ),
        request_description="某小区加装电梯的审批文件",
        assigned_to=officer,
    )
    assert case.number == "测试区甲街道办事处〔2026〕第0001号"
    assert (case.status, case.received_on, case.due_on) == (Status.REGISTERED, D(2026, 3, 2), D(2026, 3, 30))

    case = services.request_correction(
        actor=officer, case=case, items="请写明楼号", reply_by=D(2026, 3, 16), today=D(2026, 3, 4)
    )
    assert case.status == Status.AWAITING_CORRECTION and case.due_on is None  # art 30: not started

    case = services.receive_correction(actor=officer, case=case, today=D(2026, 3, 10))
    assert case.status == Status.IN_PROGRESS and case.due_on == D(2026, 4, 8)

    case = services.start_consultation(
        actor=officer, case=case, party=ConsultedParty.THIRD_PARTY, party_name="某物业公司", today=D(2026, 3, 12)
    )
    assert case.status == Status.CONSULTING and case.due_is_provisional
    assert case.consultations.get().reply_due_on == D(2026, 4, 2)  # 15 working days (art 32)

    case = services.record_consultation_reply(
        actor=officer, case=case, consents=False, opinion="涉及商业秘密", today=D(2026, 3, 19)
    )
    assert (case.status, case.due_on, case.due_is_provisional) == (Status.IN_PROGRESS, D(2026, 4, 16), False)

    with django_capture_on_commit_callbacks(execute=True):
        case = services.request_extension(actor=officer, case=case, days=20, reason="需要区分处理", today=D(2026, 4, 1))
    assert case.status == Status.EXTENSION_REQUESTED and case.due_on == D(2026, 4, 16)
    assert [m.to for m in mail.outbox] == [["leader@example.cn"]]

    with django_capture_on_commit_callbacks(execute=True):
        case = services.approve_extension(actor=leader, case=case, today=D(2026, 4, 2))
    assert (case.status, case.due_on) == (Status.EXTENDED, D(2026, 5, 18))
    assert mail.outbox[-1].to == ["officer@example.cn"]
    extension = case.extensions.get()
    assert (extension.decision, extension.decided_by, extension.decided_on) == (
        ExtensionDecision.APPROVED,
        leader,
        D(2026, 4, 2),
    )

    case = services.notify_extension(actor=officer, case=case, today=D(2026, 4, 3))
    # 部分公开 is signed off by the 负责人 (the default 签批 policy, gongkai.core.approval.DEFAULT_POLICY)
    case = services.close_case(actor=leader, case=case, outcome=Outcome.PARTIAL, note="区分处理", today=D(2026, 5, 6))
    assert (case.status, case.outcome, case.closed_on) == (Status.CLOSED, Outcome.PARTIAL, D(2026, 5, 6))
    assert case.due_on == D(2026, 5, 18)  # kept: answered 8 working days early

    review = services.record_review(
        actor=officer,
        case=case,
        kind=ReviewKind.RECONSIDERATION,
        filed_on=D(2026, 5, 20),
        body="测试区人民政府",
        case_number="测复〔2026〕12号",
        today=D(2026, 5, 21),
    )
    review = services.conclude_review(
        actor=officer, review=review, result=ReviewResult.CORRECTED, concluded_on=D(2026, 7, 1), today=D(2026, 7, 2)
    )
    assert (review.result, review.concluded_on, review.applicant_name) == (
        ReviewResult.CORRECTED,
        D(2026, 7, 1),
        "刘志强",
    )

    timeline = list(Case.objects.get(pk=case.pk).events.values_list("on", "kind", "status_after"))
    assert timeline == [
        (D(2026, 3, 2), CaseNote.REGISTERED, ""),
        (D(2026, 3, 4), Event.REQUEST_CORRECTION, Status.AWAITING_CORRECTION),
        (D(2026, 3, 10), Event.RECEIVE_CORRECTION, Status.IN_PROGRESS),
        (D(2026, 3, 12), Event.START_CONSULTATION, Status.CONSULTING),
        (D(2026, 3, 19), Event.END_CONSULTATION, Status.IN_PROGRESS),
        (D(2026, 4, 1), Event.REQUEST_EXTENSION, Status.EXTENSION_REQUESTED),
        (D(2026, 4, 2), Event.APPROVE_EXTENSION, Status.EXTENDED),
        (D(2026, 4, 3), CaseNote.EXTENSION_NOTIFIED, ""),
        (D(2026, 5, 6), Event.ANSWER, Status.CLOSED),
        (D(2026, 5, 20), CaseNote.REVIEW_RECORDED, ""),
        (D(2026, 7, 1), CaseNote.REVIEW_CONCLUDED, ""),
    ]
    leader_events = case.events.filter(actor=leader).values_list("kind", flat=True)
    assert list(leader_events) == [Event.APPROVE_EXTENSION, Event.ANSWER]  # the 负责人 approved and signed the answer

    trail = list(AuditEvent.objects.for_object(case).order_by("at", "id").values_list("action", flat=True))
    assert trail == [
        "case.registered",
        "case.request_correction",
        "case.receive_correction",
        "case.start_consultation",
        "case.end_consultation",
        "case.request_extension",
        "case.approve_extension",
        "case.extension_notified",
        "case.answer",
    ]
    assert list(AuditEvent.objects.for_object(review).order_by("at", "id").values_list("action", flat=True)) == [
        "review.recorded",
        "review.concluded",
    ]
    answer = AuditEvent.objects.for_object(case).get(action="case.answer")
    assert answer.changes["status"] == [Status.EXTENDED, Status.CLOSED]
    assert answer.changes["outcome"] == [None, Outcome.PARTIAL]
    assert answer.actor == leader and answer.agency == tree.street_a
    corrected = AuditEvent.objects.for_object(case).get(action="case.receive_correction")
    assert corrected.changes["due_on"] == [None, "2026-04-08"]

    figures = year_figures(tree.street_a, 2026)
    assert figures.table3["new"][0] == 1 and figures.table3["partial"][0] == 1
    assert figures.table4[ReviewKind.RECONSIDERATION]["corrected"] == 1
    assert Review.objects.count() == 1
