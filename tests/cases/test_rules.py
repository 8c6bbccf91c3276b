"""What the services refuse, and what the database refuses: clear Chinese errors, nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.choices import CaseNote, ExtensionDecision
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Case, Extension
from gongkai.core.case_flow import Event, Status
from gongkai.core.deadlines import Channel, ConsultedParty
from gongkai.core.errors import DeadlineError, FeeError, InvalidTransition
from gongkai.core.fees import FeeMethod
from gongkai.core.outcomes import Outcome
from tests.factories import CASE_DAY, AwaitingCorrectionCase, CaseFactory, ClosedCase, ConsultingCase, InProgressCase

pytestmark = pytest.mark.django_db

D = dt.date


def test_answer_during_consultation_is_an_invalid_transition(tree) -> None:  # type: ignore[no-untyped-def]
    case = ConsultingCase(actor=tree.officer_a)
    with pytest.raises(InvalidTransition) as info:
        services.close_case(actor=tree.officer_a, case=case, outcome=Outcome.GRANTED, today=D(2026, 3, 20))
    assert str(info.value) == f"案件 {case.number}：案件处于“征求意见中”状态，不能执行“作出答复”"
    case.refresh_from_db()
    assert case.status == Status.CONSULTING and case.outcome is None
    assert not AuditEvent.objects.for_object(case).filter(action="case.answer").exists()


def test_a_closed_case_accepts_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    case = ClosedCase(actor=tree.officer_a)
    with pytest.raises(InvalidTransition, match="已办结"):
        services.request_correction(
            actor=tree.officer_a, case=case, items="x", reply_by=D(2026, 3, 20), today=D(2026, 3, 10)
        )
    with pytest.raises(CaseInputError, match="已办结"):
        services.assign(actor=tree.officer_a, case=case, department=None, officer=None, today=D(2026, 3, 10))


def test_answer_needs_one_outcome_and_not_an_event_only_row(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(InvalidTransition, match="只能通过“逾期不补正，不再处理”记录"):
        services.close_case(actor=tree.officer_a, case=case, outcome=Outcome.OTHER_NO_CORRECTION, today=D(2026, 3, 10))
    with pytest.raises(CaseInputError, match="无效的办理结果"):
        services.close_case(actor=tree.officer_a, case=case, outcome="granted_maybe", today=D(2026, 3, 10))


def test_correction_is_one_time_and_lapses_only_after_its_deadline(tree) -> None:  # type: ignore[no-untyped-def]
    case = AwaitingCorrectionCase(actor=tree.officer_a)  # reply by 2026-03-13
    with pytest.raises(CaseInputError, match="补正期限 2026-03-13 尚未届满"):
        services.lapse_correction(actor=tree.officer_a, case=case, today=D(2026, 3, 13))
    case = services.receive_correction(actor=tree.officer_a, case=case, today=D(2026, 3, 9))
    with pytest.raises(DeadlineError, match="一次性"):
        services.request_correction(
            actor=tree.officer_a, case=case, items="再补", reply_by=D(2026, 3, 30), today=D(2026, 3, 11)
        )


def test_lapsed_correction_closes_as_table3_row_6_1(tree) -> None:  # type: ignore[no-untyped-def]
    case = AwaitingCorrectionCase(actor=tree.officer_a)
    case = services.lapse_correction(actor=tree.officer_a, case=case, today=D(2026, 3, 16))
    assert (case.status, case.outcome, case.closed_on) == (Status.CLOSED, Outcome.OTHER_NO_CORRECTION, D(2026, 3, 16))


def test_extension_limits_come_from_the_core(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)  # due 2026-03-30
    with pytest.raises(DeadlineError, match="最长不得超过20个工作日"):
        services.request_extension(actor=tree.officer_a, case=case, days=21, reason="多", today=D(2026, 3, 20))
    with pytest.raises(DeadlineError, match="届满前"):
        services.request_extension(actor=tree.officer_a, case=case, days=10, reason="晚", today=D(2026, 3, 31))
    case = services.request_extension(actor=tree.officer_a, case=case, days=10, reason="复杂", today=D(2026, 3, 27))
    with pytest.raises(DeadlineError, match="延长答复期限须在原答复期限 2026-03-30 届满前决定"):
        services.approve_extension(actor=tree.leader_a, case=case, today=D(2026, 3, 31))
    assert Extension.objects.get(case=case).decision == ExtensionDecision.PENDING  # rolled back with the refusal
    case = services.approve_extension(actor=tree.leader_a, case=case, today=D(2026, 3, 30))
    assert case.due_on == D(2026, 4, 14)  # 10 working days after 03-30 (清明 04-06 off)
    with pytest.raises(CaseInputError, match="晚于原答复期限 2026-03-30"):
        services.notify_extension(actor=tree.officer_a, case=case, today=D(2026, 3, 31))


def test_refused_extension_keeps_the_due_date(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    case = services.request_extension(actor=tree.officer_a, case=case, days=5, reason="x", today=D(2026, 3, 20))
    case = services.refuse_extension(actor=tree.leader_a, case=case, note="可以按期答复", today=D(2026, 3, 23))
    assert (case.status, case.due_on) == (Status.IN_PROGRESS, D(2026, 3, 30))


def test_consultation_silence_only_after_fifteen_working_days(tree) -> None:  # type: ignore[no-untyped-def]
    case = ConsultingCase(actor=tree.officer_a)  # sent 2026-03-04, reply due 03-25
    with pytest.raises(CaseInputError, match="尚未届满"):
        services.record_consultation_reply(actor=tree.officer_a, case=case, replied=False, today=D(2026, 3, 25))
    case = services.record_consultation_reply(actor=tree.officer_a, case=case, replied=False, today=D(2026, 3, 26))
    consultation = case.consultations.get()
    assert consultation.replied_on is None and consultation.ended_on == D(2026, 3, 26)


def test_other_agency_silence_is_consent(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    case = services.start_consultation(
        actor=tree.officer_a, case=case, party=ConsultedParty.AGENCY, party_name="测试区教委", today=D(2026, 3, 3)
    )
    case = services.record_consultation_reply(actor=tree.officer_a, case=case, replied=False, today=D(2026, 3, 30))
    assert case.consultations.get().consents is True  # 条例 art 34


def test_fees_by_piece_count_the_applicants_month(tree) -> None:  # type: ignore[no-untyped-def]
    cases = [CaseFactory(actor=tree.officer_a, id_number="110228198001011234", pieces=4) for _ in range(3)]
    case = services.start_processing(actor=tree.officer_a, case=cases[2], today=CASE_DAY)
    case = services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_PIECE, today=D(2026, 3, 5))
    notice = case.fee_notices.get()
    # 8 earlier 件 this month; this application's 4 are the 9th–12th: 2 free, 2 × 100 元.
    assert (notice.earlier_pieces, notice.pieces, notice.amount) == (8, 4, 200)
    assert notice.payment_due_on == D(2026, 4, 2)  # 20 working days after the notice
    assert [line["text"] for line in notice.breakdown] == ["第9—10件 2件 免费", "第11—12件 2件 × 100元 = 200元"]
    assert case.status == Status.FEE_PENDING
    with pytest.raises(CaseInputError, match="尚未届满"):
        services.lapse_fee(actor=tree.officer_a, case=case, today=D(2026, 4, 2))
    case = services.lapse_fee(actor=tree.officer_a, case=case, today=D(2026, 4, 3))
    assert (case.outcome, case.fee_notices.get().lapsed_on) == (Outcome.OTHER_FEE_UNPAID, D(2026, 4, 3))


def test_fee_by_volume_and_payment_restart_the_clock(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)  # due 03-30
    with pytest.raises(CaseInputError, match="免费"):
        services.send_fee_notice(
            actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=30, today=D(2026, 3, 9)
        )
    case = services.send_fee_notice(
        actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=250, today=D(2026, 3, 9)
    )
    assert case.fee_notices.get().amount == 4700  # spec §2.3 example
    case = services.record_fee_payment(actor=tree.officer_a, case=case, today=D(2026, 3, 13))
    # Fee period 03-09..03-13 not counted (FeeClockRule.SUSPENDED): five working days after 03-30,
    # 清明 04-06 skipped.
    assert (case.status, case.due_on) == (Status.IN_PROGRESS, D(2026, 4, 7))
    assert case.fee_notices.get().amount_collected == 4700


def test_fee_errors_are_the_cores(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(CaseInputError, match="须填写页数"):
        services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, today=D(2026, 3, 9))
    with pytest.raises(FeeError):
        services.send_fee_notice(
            actor=tree.officer_a, case=case, method=FeeMethod.BY_PIECE, pieces=-1, today=D(2026, 3, 9)
        )


def test_delayed_answer_replaces_the_art33_date(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(DeadlineError, match="早于第三十三条规定的答复期限"):
        services.set_delayed_answer(
            actor=tree.officer_a, case=case, due_on=D(2026, 3, 20), reason="量大", today=D(2026, 3, 5)
        )
    case = services.set_delayed_answer(
        actor=tree.officer_a, case=case, due_on=D(2026, 6, 30), reason="量大", today=D(2026, 3, 5)
    )
    assert (case.status, case.due_on) == (Status.DELAYED, D(2026, 6, 30))


def test_on_the_spot_only_on_the_day_of_receipt(tree) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=tree.officer_a)
    with pytest.raises(CaseInputError, match="当场答复"):
        services.answer_on_the_spot(actor=tree.officer_a, case=case, outcome=Outcome.GRANTED, today=D(2026, 3, 3))
    case = services.answer_on_the_spot(  # 不予处理: signed off by the 负责人 (default 签批 policy)
        actor=tree.leader_a, case=case, outcome=Outcome.REJECTED_PUBLICATION, today=CASE_DAY
    )
    assert (case.closed_on, case.due_on, case.answered_on_the_spot) == (CASE_DAY, CASE_DAY, True)


def test_receipt_dates_by_channel(tree) -> None:  # type: ignore[no-untyped-def]
    officer = tree.officer_a
    signed = CaseFactory(actor=officer, channel=Channel.POST_SIGNED, signed_on=D(2026, 2, 27), today=CASE_DAY)
    assert signed.received_on == D(2026, 2, 27) and signed.status == Status.REGISTERED  # back-dated letter
    with pytest.raises(CaseInputError, match="签收日期"):
        CaseFactory(actor=officer, channel=Channel.POST_SIGNED)
    with pytest.raises(CaseInputError, match="晚于今天"):
        CaseFactory(actor=officer, channel=Channel.POST_SIGNED, signed_on=D(2026, 3, 3))
    letter = CaseFactory(actor=officer, channel=Channel.POST_UNSIGNED)
    assert letter.status == Status.AWAITING_CONFIRMATION and letter.received_on is None and letter.due_on is None
    letter = services.confirm_receipt(actor=officer, case=letter, today=D(2026, 3, 3))
    assert (letter.status, letter.received_on, letter.due_on) == (Status.REGISTERED, D(2026, 3, 3), D(2026, 3, 31))
    fax = CaseFactory(actor=officer, channel=Channel.FAX, confirmed_on=CASE_DAY)
    assert (fax.status, fax.received_on) == (Status.REGISTERED, CASE_DAY)
    assert [e.kind for e in fax.events.all()] == [CaseNote.REGISTERED, Event.CONFIRM_RECEIPT]


def test_numbers_run_per_agency_and_year(tree) -> None:  # type: ignore[no-untyped-def]
    a1 = CaseFactory(actor=tree.officer_a)
    b1 = CaseFactory(actor=tree.officer_b)
    a2 = CaseFactory(actor=tree.officer_a)
    a3 = CaseFactory(actor=tree.officer_a, today=D(2027, 1, 4), channel=Channel.POST_SIGNED, signed_on=D(2026, 12, 30))
    assert [c.sequence for c in (a1, b1, a2, a3)] == [1, 1, 2, 1]
    assert a3.number == "测试区甲街道办事处〔2027〕第0001号"
    assert a3.due_is_provisional and "2027年节假日安排尚未发布" in a3.due_note


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"status": Status.CLOSED}, "case_closed_iff_outcome"),
        ({"outcome": Outcome.GRANTED}, "case_closed_iff_outcome"),
        (
            {"status": Status.CLOSED, "outcome": Outcome.GRANTED, "closed_on": D(2026, 3, 1)},
            "case_closed_after_received",
        ),
        ({"status": "lost"}, "case_status_valid"),
        ({"received_on": None}, "case_received_when_registered"),
        ({"pieces": 0}, "case_pieces_positive"),
    ],
)
def test_database_constraints(tree, changes, constraint) -> None:  # type: ignore[no-untyped-def]
    case = CaseFactory(actor=tree.officer_a)
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**changes)
    assert constraint in str(info.value)


def test_one_open_consultation_and_one_approved_extension_per_case(tree) -> None:  # type: ignore[no-untyped-def]
    case = ConsultingCase(actor=tree.officer_a)
    open_one = case.consultations.get()
    open_one.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        open_one.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Extension.objects.create(case=case, days=21, reason="x", requested_on=CASE_DAY)
