"""The dates of delivery drive the applicant's periods: recording the 送达 of a 补正告知 or a
收费通知 counts the 补正期限 (条例 art 30) or the 缴费期限 (国办函〔2020〕109号) again from the
day the applicant received it, audited, in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.choices import CaseNote
from gongkai.cases.models import Case
from gongkai.core.fees import FeeMethod
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceError, ServiceMethod
from gongkai.letters.deliveries import confirm_receipt, record_delivery, record_download
from gongkai.letters.models import Delivery, Letter, LetterSettings
from gongkai.letters.services import generate_letter
from tests.conftest import Tree
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

D = dt.date
RECEIVED = D(2026, 3, 2)  # Monday


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: D(2026, 3, 20))


def _correction_letter(tree: Tree) -> tuple[Case, Letter]:
    case = CaseFactory(actor=tree.officer_a, today=RECEIVED)
    case = services.start_processing(actor=tree.officer_a, case=case, today=RECEIVED)
    case = services.request_correction(
        actor=tree.officer_a,
        case=case,
        items="请写明所需信息的文号或时间范围",
        reply_by=D(2026, 3, 17),  # 10 working days after 3-3
        today=D(2026, 3, 3),
    )
    letter = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.CORRECTION, today=D(2026, 3, 3))
    return case, letter


@pytest.fixture
def sign_for_by_post(tree: Tree) -> Callable[[Letter], Delivery]:
    """Records a letter posted on 3-3 and signed for on Friday 3-6 (three working days in the post)."""

    def record(letter: Letter) -> Delivery:
        return record_delivery(
            actor=tree.officer_a,
            letter=letter,
            method=ServiceMethod.POST,
            sent_on=D(2026, 3, 3),
            received_on=D(2026, 3, 6),
            tracking_number="EA123456789CN",
            today=D(2026, 3, 9),
        )

    return record


def _fee_letter(tree: Tree) -> tuple[Case, Letter]:
    case = CaseFactory(actor=tree.officer_a, today=RECEIVED, pieces=15)
    case = services.start_processing(actor=tree.officer_a, case=case, today=RECEIVED)
    case = services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_PIECE, today=D(2026, 3, 5))
    letter = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.FEE, today=D(2026, 3, 5))
    return case, letter


def test_correction_period_runs_from_the_day_the_notice_was_signed_for(
    tree: Tree, letter_settings: LetterSettings, sign_for_by_post: Callable[[Letter], Delivery]
) -> None:
    case, letter = _correction_letter(tree)
    assert services.correction_period_of(case).provisional  # type: ignore[union-attr]
    sign_for_by_post(letter)
    case.refresh_from_db()
    assert case.correction_served_on == D(2026, 3, 6)
    assert case.correction_reply_by == D(2026, 3, 20)  # still 10 working days, from 3-6
    period = services.correction_period_of(case)
    assert period is not None and not period.provisional
    assert "自您收到补正告知之日（2026年3月6日）起10个工作日内补正" in period.explain()
    event = case.events.get(kind=CaseNote.NOTICE_SERVED)
    assert event.payload["补正期限"] == "2026-03-20" and event.payload["原补正期限"] == "2026-03-17"
    audit = AuditEvent.objects.get(action="case.notice_served")
    assert audit.object_id == str(case.pk)


def test_a_later_record_does_not_move_it_again_an_earlier_one_does(tree: Tree, letter_settings: LetterSettings) -> None:
    case, letter = _correction_letter(tree)
    delivery = record_delivery(
        actor=tree.officer_a, letter=letter, method=ServiceMethod.DIRECT, sent_on=D(2026, 3, 4), today=D(2026, 3, 9)
    )
    case.refresh_from_db()
    assert case.correction_served_on is None and case.correction_reply_by == D(2026, 3, 17)  # sent, not received
    confirm_receipt(actor=tree.officer_a, delivery=delivery, received_on=D(2026, 3, 5), today=D(2026, 3, 9))
    case.refresh_from_db()
    assert (case.correction_served_on, case.correction_reply_by) == (D(2026, 3, 5), D(2026, 3, 19))
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.POST,
        sent_on=D(2026, 3, 4),
        received_on=D(2026, 3, 9),
        tracking_number="EA1",
        today=D(2026, 3, 9),
    )
    case.refresh_from_db()
    assert case.correction_reply_by == D(2026, 3, 19)  # the first receipt counts
    assert case.events.filter(kind=CaseNote.NOTICE_SERVED).count() == 1


def test_fee_payment_period_runs_from_receipt_and_the_answer_clock_follows(
    tree: Tree, letter_settings: LetterSettings
) -> None:
    case, letter = _fee_letter(tree)
    notice = case.fee_notices.get()
    assert notice.payment_due_on == D(2026, 4, 2)  # provisional: 20 working days after sending
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.POST,
        sent_on=D(2026, 3, 5),
        received_on=D(2026, 3, 9),
        tracking_number="EA123456789CN",
        today=D(2026, 3, 10),
    )
    notice.refresh_from_db()
    assert (notice.served_on, notice.payment_due_on) == (D(2026, 3, 9), D(2026, 4, 7))  # 4-4..4-6 清明
    period = services.fee_period_of(notice)
    assert not period.provisional and period.due_on == notice.payment_due_on
    assert "自您收到收费通知之日（2026年3月9日）起20个工作日内缴费" in period.explain()
    assert AuditEvent.objects.filter(action="case.notice_served", object_id=str(case.pk)).exists()


def test_the_applicants_download_is_the_receipt(tree: Tree, letter_settings: LetterSettings) -> None:
    case, letter = _fee_letter(tree)
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.ELECTRONIC,
        consent=True,
        sent_on=D(2026, 3, 5),
        today=D(2026, 3, 5),
    )
    from django.utils import timezone

    at = timezone.make_aware(dt.datetime(2026, 3, 6, 20, 15))
    record_download(letter=letter, at=at, address="203.0.113.9")
    notice = case.fee_notices.get()
    assert (notice.served_on, notice.payment_due_on) == (D(2026, 3, 6), D(2026, 4, 3))
    event = case.events.get(kind=CaseNote.NOTICE_SERVED)
    assert event.actor_name == "申请人（下载文书）"


def test_a_receipt_before_the_notice_is_refused_and_nothing_is_kept(
    tree: Tree, letter_settings: LetterSettings
) -> None:
    case, letter = _correction_letter(tree)
    with pytest.raises(ServiceError):
        record_delivery(
            actor=tree.officer_a,
            letter=letter,
            method=ServiceMethod.DIRECT,
            sent_on=D(2026, 3, 2),  # before the letter's 成文日期
            received_on=D(2026, 3, 2),
            today=D(2026, 3, 9),
        )
    case.refresh_from_db()
    assert case.correction_served_on is None and not letter.deliveries.exists()


def test_case_page_and_tracking_page_show_the_due_date_and_why(tree: Tree, letter_settings: LetterSettings) -> None:
    case, letter = _fee_letter(tree)
    officer = Client()
    officer.force_login(tree.officer_a)
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "暂定：尚未登记您收到收费通知的日期" not in page  # the officer's words, not the applicant's
    assert "暂定" in page and "2026-04-02" in page
    applicant = Client()
    session = applicant.session
    session["portal_tracked_case"] = case.pk
    session.save()
    text = applicant.get(reverse("portal:track_case")).content.decode()
    assert "暂定：尚未登记您收到收费通知的日期，暂按发出之日（2026年3月5日）起20个工作日计算" in text
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.DIRECT,
        sent_on=D(2026, 3, 5),
        received_on=D(2026, 3, 9),
        today=D(2026, 3, 10),
    )
    text = applicant.get(reverse("portal:track_case")).content.decode()
    assert "自您收到收费通知之日（2026年3月9日）起20个工作日内缴费，即2026年4月7日前" in text
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "2026-04-07" in page and "申请人 2026-03-09 收到" in page


def test_a_lapse_records_whether_the_notice_was_served(tree: Tree, letter_settings: LetterSettings) -> None:
    """逾期不补正 is decided on the 补正期限 from receipt; the record says when that receipt was."""
    case, letter = _correction_letter(tree)
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.DIRECT,
        sent_on=D(2026, 3, 4),
        received_on=D(2026, 3, 4),
        today=D(2026, 3, 4),
    )
    case.refresh_from_db()
    assert case.correction_reply_by == D(2026, 3, 18)
    from gongkai.cases.errors import CaseInputError

    with pytest.raises(CaseInputError, match="尚未届满"):
        services.lapse_correction(actor=tree.officer_a, case=case, today=D(2026, 3, 18))  # the provisional 3-17 is past
    case = services.lapse_correction(actor=tree.officer_a, case=case, today=D(2026, 3, 19))
    assert case.events.get(kind="correction_overdue").payload["申请人收到补正告知之日"] == "2026-03-04"
    fee_case, _ = _fee_letter(tree)
    fee_case = services.lapse_fee(actor=tree.officer_a, case=fee_case, today=D(2026, 4, 3))
    payload = fee_case.events.get(kind="fee_overdue").payload
    assert payload["申请人收到收费通知之日"] == "未登记送达（期限按发出之日暂计）"


def test_a_recorded_receipt_is_one_letter_delivered_event(
    tree: Tree, letter_settings: LetterSettings, sign_for_by_post: Callable[[Letter], Delivery], settings
) -> None:  # type: ignore[no-untyped-def]
    """API clients hear of a 送达 once, with the letter, its case and the day of receipt."""
    from gongkai.apiclients.models import WebhookDelivery
    from gongkai.apiclients.services import set_webhook
    from tests.api.helpers import token_for

    settings.WEBHOOK_ALLOW_PRIVATE, settings.WEBHOOK_BACKGROUND = True, False
    api_client, _ = token_for(tree.street_a, "cases:read")
    set_webhook(actor=None, client=api_client, url="http://127.0.0.1:9/hook")
    case, letter = _correction_letter(tree)
    sign_for_by_post(letter)
    sent = WebhookDelivery.objects.filter(event="letter.delivered")
    assert sent.count() == 1
    data = sent.get().payload["data"]
    assert (data["letter_number"], data["case_number"], data["received_on"]) == (
        letter.number,
        case.number,
        "2026-03-06",
    )
    assert data["method"] == ServiceMethod.POST.value


def test_the_applicant_is_told_when_the_receipt_moves_the_period(
    tree: Tree, letter_settings: LetterSettings, sign_for_by_post: Callable[[Letter], Delivery]
) -> None:
    """The notice printed a provisional date: the applicant hears of the one counted from receipt."""
    from gongkai.cases.models import ApplicantMessage

    case, letter = _correction_letter(tree)
    sign_for_by_post(letter)
    told = ApplicantMessage.objects.filter(case=case, kind=CaseNote.NOTICE_SERVED)
    assert {m.channel for m in told} == {"sms", "email"}
    assert told.first().subject == "补正期限已调整"  # type: ignore[union-attr]
    assert (
        "补正告知书已于2026年3月6日送达，补正期限自您收到之日起计算，调整为2026年3月20日前"
        "（补正告知书所载暂定为2026年3月17日）" in told.first().text  # type: ignore[union-attr]
    )
    record_delivery(  # a later receipt moves nothing: nothing more is sent
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.DIRECT,
        sent_on=D(2026, 3, 4),
        received_on=D(2026, 3, 9),
        today=D(2026, 3, 9),
    )
    assert told.count() == 2

    fee_case, fee_letter = _fee_letter(tree)
    record_delivery(
        actor=tree.officer_a,
        letter=fee_letter,
        method=ServiceMethod.DIRECT,
        sent_on=D(2026, 3, 5),
        received_on=D(2026, 3, 9),
        today=D(2026, 3, 10),
    )
    fee_told = ApplicantMessage.objects.get(case=fee_case, kind=CaseNote.NOTICE_SERVED, channel="email")
    assert "缴费期限自您收到之日起计算，调整为2026年4月7日前（收费通知所载暂定为2026年4月2日）" in fee_told.text


def test_a_receipt_on_the_day_of_sending_moves_nothing_and_sends_nothing(
    tree: Tree, letter_settings: LetterSettings
) -> None:
    case, letter = _correction_letter(tree)
    record_delivery(
        actor=tree.officer_a,
        letter=letter,
        method=ServiceMethod.DIRECT,
        sent_on=D(2026, 3, 3),
        received_on=D(2026, 3, 3),
        today=D(2026, 3, 3),
    )
    case.refresh_from_db()
    assert (case.correction_served_on, case.correction_reply_by) == (D(2026, 3, 3), D(2026, 3, 17))
    assert not case.messages.filter(kind=CaseNote.NOTICE_SERVED).exists()
