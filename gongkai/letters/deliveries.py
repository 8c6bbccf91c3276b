"""送达 of letters: the officer's records (邮寄, 直接送达, 电子送达, 公告) and the applicant's downloads.

Rules (what must be entered, which dates may follow which) are ``gongkai.core.letters.service``;
each use case here checks them, stores the record and its proof, and writes an audit row in the
same transaction.

The dates of delivery drive the applicant's periods: when a record gives a 补正告知 or a
收费通知 its first date of receipt, :func:`_move_period` hands it to
``gongkai.cases.services.record_notice_receipt`` in the same transaction, which counts the 补正期限
(条例 art 30) or the 缴费期限 (国办函〔2020〕109号) again from that day and audits it. Other letters'
送达 dates do not move the answer clock (条例 art 33 counts from the receipt of the application).
"""

from __future__ import annotations

import datetime as dt
import logging
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from gongkai.accounts.scoping import can_write
from gongkai.audit.services import record
from gongkai.cases.guards import check_writable
from gongkai.cases.models import user_may_read_case
from gongkai.core.errors import GongkaiError
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import (
    ServiceError,
    ServiceMethod,
    ServiceRecord,
    ServiceState,
    check_service,
    service_state,
)
from gongkai.core.notice_periods import NoticeKind
from gongkai.letters.models import Delivery, Letter
from gongkai.letters.uploads import PROOF_KINDS, check_upload, proof_max_bytes

if TYPE_CHECKING:
    from gongkai.accounts.models import User


logger = logging.getLogger(__name__)


class DeliveryAudit(StrEnum):
    RECORDED = "letter.delivery_recorded"
    RECEIVED = "letter.delivery_received"
    DOWNLOADED = "letter.downloaded_by_applicant"


def _require_writer(actor: User, letter: Letter) -> None:
    if actor is None or not can_write(actor, letter.agency) or not user_may_read_case(actor, letter.case):
        raise PermissionDenied(f"无权登记文书 {letter.number} 的送达")
    check_writable(letter.case, "登记送达")  # e.g. the archive's year lock


def _attach_proof(delivery: Delivery, proof: UploadedFile | None) -> None:
    if proof is None:
        return
    check_upload(proof.name or "", proof.size or 0, proof, kinds=PROOF_KINDS, limit=proof_max_bytes(), what="送达凭证")
    delivery.proof_name = (proof.name or "")[-200:]
    delivery.proof.save(proof.name or "proof", proof, save=False)


def _place(letter: Letter) -> str:
    return f"文书 {letter.number}"


#: The letters whose receipt starts a period of the applicant's (the values are the same words).
NOTICE_LETTERS: dict[str, NoticeKind] = {
    LetterType.CORRECTION.value: NoticeKind.CORRECTION,
    LetterType.FEE.value: NoticeKind.FEE,
}


def _move_period(actor: User | None, letter: Letter, today: dt.date) -> None:
    """A 补正告知 or 收费通知 now has a (first) date of receipt: the applicant's period runs from it."""
    from gongkai.cases.services import record_notice_receipt

    kind = NOTICE_LETTERS.get(letter.kind)
    if kind is None:
        return
    first = Delivery.objects.filter(letter=letter, received_on__isnull=False).aggregate(day=Min("received_on"))["day"]
    if first is not None:
        record_notice_receipt(actor=actor, case=letter.case, kind=kind, received_on=first, today=today)


@transaction.atomic
def record_delivery(
    *,
    actor: User,
    letter: Letter,
    method: ServiceMethod | str,
    sent_on: dt.date,
    today: dt.date,
    received_on: dt.date | None = None,
    tracking_number: str = "",
    consent: bool = False,
    proof: UploadedFile | None = None,
    note: str = "",
) -> Delivery:
    """Record that ``letter`` was sent by ``method`` on ``sent_on`` (and received on ``received_on``).

    Checks: ``core.letters.service.check_service``; the proof must be a PDF, JPG or PNG within
    the size limit. Raises ServiceError/UploadRejected with the reason, PermissionDenied.
    """
    method = ServiceMethod(method)
    letter = Letter.objects.select_related("agency", "case", "case__agency").get(pk=letter.pk)
    _require_writer(actor, letter)
    entered = ServiceRecord(
        method=method,
        issued_on=letter.issued_on,
        sent_on=sent_on,
        received_on=received_on,
        tracking_number=tracking_number.strip(),
        consent=consent,
    )
    check_service(entered, today=today, place=_place(letter))
    delivery = Delivery(
        letter=letter,
        method=method.value,
        sent_on=sent_on,
        received_on=received_on,
        tracking_number=entered.tracking_number,
        consent=consent,
        note=note.strip()[:200],
        recorded_by=actor,
    )
    _attach_proof(delivery, proof)
    try:
        delivery.save(force_insert=True)
        record(
            actor=actor,
            action=DeliveryAudit.RECORDED,
            target=letter,
            changes={
                "case": letter.case.number,
                "method": method.label,
                "sent_on": sent_on,
                "received_on": received_on,
                "tracking_number": entered.tracking_number,
                "proof": delivery.proof_name,
            },
        )
        _move_period(actor, letter, today)
    except BaseException:
        if delivery.proof:
            delivery.proof.delete(save=False)
        raise
    return delivery


@transaction.atomic
def confirm_receipt(
    *, actor: User, delivery: Delivery, received_on: dt.date, today: dt.date, proof: UploadedFile | None = None
) -> Delivery:
    """Enter the date the applicant received a letter already sent (签收 date, 公告 date, …)."""
    delivery = Delivery.objects.select_for_update().select_related("letter__agency", "letter__case").get(pk=delivery.pk)
    letter = delivery.letter
    _require_writer(actor, letter)
    if delivery.received_on is not None:
        raise ServiceError(f"{_place(letter)}：该次送达已登记送达日期 {delivery.received_on.isoformat()}")
    check_service(
        ServiceRecord(
            method=delivery.method_enum,
            issued_on=letter.issued_on,
            sent_on=delivery.sent_on,
            received_on=received_on,
            tracking_number=delivery.tracking_number,
            consent=delivery.consent,
        ),
        today=today,
        place=_place(letter),
    )
    delivery.received_on = received_on
    had_proof = bool(delivery.proof)
    if proof is not None and had_proof:
        raise ServiceError(f"{_place(letter)}：该次送达已有凭证“{delivery.proof_name}”")
    _attach_proof(delivery, proof)
    try:
        delivery.save(update_fields=["received_on", "proof", "proof_name"])
        record(
            actor=actor,
            action=DeliveryAudit.RECEIVED,
            target=letter,
            changes={"case": letter.case.number, "method": delivery.method_enum.label, "received_on": received_on},
        )
        _move_period(actor, letter, today)
    except BaseException:
        if delivery.proof and not had_proof:
            delivery.proof.delete(save=False)
        raise
    return delivery


@transaction.atomic
def record_download(*, letter: Letter, at: dt.datetime, address: str | None) -> Delivery:
    """The applicant downloaded ``letter`` from the tracking page: that is its electronic 送达.

    The first download fixes the date of receipt (the day the letter reached the applicant's
    own system); later downloads update the time, address and count of the same record.
    """
    letter = Letter.objects.select_related("agency", "case").get(pk=letter.pk)
    day = timezone.localtime(at).date()  # the applicant's day (TIME_ZONE), not UTC's
    found = (
        Delivery.objects.select_for_update()
        .filter(letter=letter, method=ServiceMethod.ELECTRONIC.value)
        .order_by("pk")
        .first()
    )
    if found is None:
        found = Delivery(letter=letter, method=ServiceMethod.ELECTRONIC.value, sent_on=day, consent=True)
    first = found.downloaded_at is None
    if found.received_on is None:
        found.received_on = max(day, found.sent_on)
    found.downloaded_at = at
    found.client_address = address or None
    found.download_count += 1
    found.save()
    if first:
        record(
            actor=None,
            action=DeliveryAudit.DOWNLOADED,
            target=letter,
            changes={"case": letter.case.number, "received_on": found.received_on, "address": address or ""},
            at=at,
        )
        try:
            with transaction.atomic():  # the download stays recorded even if the period cannot move
                _move_period(None, letter, day)
        except GongkaiError:
            logger.exception("文书 %s 下载后未能重新计算期限", letter.number)
    return found


def letters_with_service(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    """``letters`` annotated with ``sent_count`` and ``served_on`` (the first date of receipt)."""
    return letters.annotate(
        sent_count=Count("deliveries"),
        served_on=Min("deliveries__received_on"),
    )


def state_of(letter: Letter) -> ServiceState:
    """The 送达 state of a letter annotated by :func:`letters_with_service`."""
    return service_state(
        sent=bool(getattr(letter, "sent_count", 0)), served=getattr(letter, "served_on", None) is not None
    )


def unserved(letters: QuerySet[Letter], *, issued_on_or_before: dt.date) -> QuerySet[Letter]:
    """Letters issued on or before the date that no 送达 record marks as received."""
    served = Q(deliveries__received_on__isnull=False)
    return letters.filter(issued_on__lte=issued_on_or_before).exclude(served)


def applicant_downloads(case_id: int) -> list[Letter]:
    """The letters the applicant of a case may download from the tracking page.

    A letter sent by 电子送达 (a record with the applicant's consent), and the 登记回执 always;
    never the 第三方意见征询函 (addressed to someone else).
    """
    electronic = Q(deliveries__method=ServiceMethod.ELECTRONIC.value)
    receipt = Q(kind=LetterType.RECEIPT.value)
    matching = Letter.objects.filter(case_id=case_id).filter(electronic | receipt)
    offered = matching.exclude(kind=LetterType.THIRD_PARTY.value).values("pk")
    # Annotate afresh: after a filter across deliveries the counts would see only the matched rows.
    return list(letters_with_service(Letter.objects.filter(pk__in=offered)).order_by("issued_on", "pk"))
