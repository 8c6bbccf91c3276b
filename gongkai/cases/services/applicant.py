"""What the applicant does on the tracking page, and the officer's answers to it: 补正 online
(条例 art 30), a payment proof for the 信息处理费, a message sent again.

The portal checks the tracking code, the second factor and the files (type, size) before calling;
these functions take no staff actor (``actor`` None, audited as the applicant).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.core.files import File
from django.db import transaction

from gongkai.audit.services import record
from gongkai.cases import notifications
from gongkai.cases.choices import CaseNote, MessageStatus, ReplyKind
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import ApplicantFile, ApplicantMessage, ApplicantReply, Case
from gongkai.cases.services._machinery import (
    PORTAL_ACTOR_NAME,
    CaseAudit,
    after_commit,
    lock_case,
    lock_for_applicant,
    log_event,
    require_writer,
)
from gongkai.cases.services.steps import receive_correction
from gongkai.core.case_flow import Status

if TYPE_CHECKING:
    from gongkai.accounts.models import User

MAX_TEXT = 5000
MAX_FILES = 5


@dataclass(frozen=True, slots=True)
class Upload:
    """A file the edge has checked (type by content, size)."""

    name: str
    size: int
    content_type: str
    stream: IO[bytes]


def _store(reply: ApplicantReply, files: Sequence[Upload]) -> None:
    for upload in files:
        item = ApplicantFile(reply=reply, name=upload.name[:200], size=upload.size, content_type=upload.content_type)
        item.file.save(upload.name, File(upload.stream), save=False)
        item.save()


def _check_text(text: str, files: Sequence[Upload], what: str) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise CaseInputError(f"{what}说明过长（{len(text)}字，最多{MAX_TEXT}字）")
    if len(files) > MAX_FILES:
        raise CaseInputError(f"最多上传{MAX_FILES}个附件，实为{len(files)}个")
    return text


@transaction.atomic
def submit_correction_online(
    *, case: Case, text: str, files: Sequence[Upload], today: dt.date, client_ip: str | None = None
) -> Case:
    """The applicant's 补正 on the tracking page: its date is the receipt of the corrected
    application, from which the 20 working days run again (条例 art 30). Recorded through
    :func:`~gongkai.cases.services.steps.receive_correction`, as the office's own entry is."""
    text = _check_text(text, files, "补正")
    if not text and not files:
        raise CaseInputError("请填写补正内容或上传补正材料")
    locked = lock_for_applicant(case)
    if locked.status != Status.AWAITING_CORRECTION:
        raise CaseInputError("本申请目前不需要补正")
    reply = ApplicantReply.objects.create(case=locked, kind=ReplyKind.CORRECTION, text=text, client_ip=client_ip)
    note = f"申请人网上补正（附件{len(files)}个）" + (f"：{text[:200]}" if text else "")
    updated = receive_correction(actor=None, case=locked, today=today, note=note, by_applicant=True)
    _store(reply, files)
    case_id = locked.pk
    after_commit(lambda: notifications.case_notice(case_id, "申请人已网上补正", f"{note}\n答复期限已重新计算。"))
    return updated


@transaction.atomic
def submit_payment_proof(
    *, case: Case, text: str, files: Sequence[Upload], today: dt.date, client_ip: str | None = None
) -> ApplicantReply:
    """The applicant's proof of paying the 信息处理费: one per notice, unless the officer asked again."""
    text = _check_text(text, files, "缴费")
    if not files:
        raise CaseInputError("请上传缴费凭证（付款截图、回单或票据的照片或PDF）")
    locked = lock_for_applicant(case)
    notice = locked.fee_notices.filter(paid_on__isnull=True, lapsed_on__isnull=True).first()
    if locked.status != Status.FEE_PENDING or notice is None:
        raise CaseInputError("本申请目前没有待缴的信息处理费")
    if notice.proofs.filter(rejected_on__isnull=True).exists():
        raise CaseInputError("已上传过缴费凭证，正在等待确认，不能再次上传；如需更正请联系受理机关")
    reply = ApplicantReply.objects.create(
        case=locked, kind=ReplyKind.PAYMENT_PROOF, fee_notice=notice, text=text, client_ip=client_ip
    )
    _store(reply, files)
    log_event(
        locked, kind=CaseNote.PAYMENT_PROOF, on=today, actor=None, actor_name=PORTAL_ACTOR_NAME,
        payload={"附件": len(files), "说明": text[:200]},
    )  # fmt: skip
    record(
        actor=None,
        action=CaseAudit.PAYMENT_PROOF,
        target=locked,
        changes={"收费通知": notice.pk, "附件": [f.name for f in files]},
        note="申请人上传缴费凭证",
    )
    case_id = locked.pk
    after_commit(lambda: notifications.case_notice(case_id, "申请人已上传缴费凭证", "请核对收款后在案件页面登记缴费。"))
    return reply


@transaction.atomic
def request_new_payment_proof(*, actor: User, case: Case, reason: str, today: dt.date) -> Case:
    """The officer cannot match the proof to a payment: the applicant may upload another."""
    locked = lock_case(actor, case, None)
    if not reason.strip():
        raise CaseInputError("请写明需要重新上传缴费凭证的原因")
    proof = (
        ApplicantReply.objects.select_for_update(of=("self",))
        .filter(case=locked, kind=ReplyKind.PAYMENT_PROOF, rejected_on__isnull=True, fee_notice__paid_on__isnull=True)
        .first()
    )
    if proof is None:
        raise CaseInputError(f"案件 {locked.number} 没有待确认的缴费凭证")
    proof.rejected_on = today
    proof.rejected_note = reason.strip()[:200]
    proof.save(update_fields=["rejected_on", "rejected_note"])
    log_event(locked, kind=CaseNote.PROOF_REQUESTED_AGAIN, on=today, actor=actor, payload={"原因": reason.strip()})
    record(actor=actor, action=CaseAudit.PROOF_REQUESTED_AGAIN, target=locked, changes={"原因": reason.strip()})
    notifications.tell_applicant(locked, CaseNote.PROOF_REQUESTED_AGAIN, {"原因": reason.strip()})
    return locked


@transaction.atomic
def retry_message(*, actor: User, message: ApplicantMessage) -> ApplicantMessage:
    """The officer sends a failed (or queued) message again now."""
    require_writer(actor, message.case)
    if message.status == MessageStatus.SENT:
        raise CaseInputError("该通知已发送，无需重发")
    record(
        actor=actor,
        action=CaseAudit.MESSAGE_RETRIED,
        target=message.case,
        changes={"通知": message.pk, "方式": message.get_channel_display()},
    )
    message_id = message.pk
    after_commit(lambda: notifications.deliver([message_id]))
    return message
