"""E-mail notices to staff, and the applicant's messages (SMS/e-mail, recorded as
``ApplicantMessage``). Services schedule them with ``transaction.on_commit``.

A failed delivery is logged, never raised: the change it reports is already committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Role, User
from gongkai.cases.choices import MessageChannel, MessageStatus
from gongkai.jobs.runner import run_task
from gongkai.notifications import mail, sms

if TYPE_CHECKING:
    from gongkai.cases.models import ApplicantMessage, Case

logger = logging.getLogger(__name__)


def _addresses(users: Iterable[User]) -> list[str]:
    return sorted({u.email for u in users if u.email and u.is_active})


def send(subject: str, body: str, users: Iterable[User]) -> int:
    """Send one message to the users that have an address; the number of recipients."""
    to = _addresses(users)
    if not to:
        return 0
    try:
        send_mail(f"[政府信息公开] {subject}", body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:  # delivery problems must not undo or hide a committed change
        logger.exception("邮件发送失败：%s → %s", subject, to)
        return 0
    return len(to)


def staff_of(agency_id: int, *roles: Role) -> list[User]:
    return list(User.objects.filter(agency_id=agency_id, role__in=roles, is_active=True))


def officers_of_case(case_id: int) -> list[User]:
    """The assigned officer, or the agency's 信息公开工作人员 when nobody is assigned."""
    from gongkai.cases.models import Case

    case = Case.objects.select_related("assigned_to").get(pk=case_id)
    if case.assigned_to is not None:
        return [case.assigned_to]
    return staff_of(case.agency_id, Role.OFFICER)


def case_notice(case_id: int, subject: str, body: str, *, to: Iterable[User] | None = None) -> None:
    """A notice about one case to ``to`` (default: its officer)."""
    from gongkai.cases.models import Case

    case = Case.objects.get(pk=case_id)
    send(
        f"{case.number} {subject}",
        f"案件：{case.number}\n申请人：{case.applicant_name}\n\n{body}\n",
        to if to is not None else officers_of_case(case_id),
    )


def due_date_moved(case_id: int, old: date | None, new: date | None, reason: str) -> None:
    def show(d: date | None) -> str:
        return d.isoformat() if d else "无"

    case_notice(case_id, "答复期限已变更", f"答复期限由 {show(old)} 变更为 {show(new)}。\n原因：{reason}")


def due_dates_moved(moved: list[tuple[int, date | None, date | None]], reason: str) -> None:
    """One notice per case whose due date moved (a calendar year loaded), over one connection.

    The cases and their officers are read in bulk: a year's reload can move thousands of cases.
    """
    from gongkai.cases.models import Case

    def show(d: date | None) -> str:
        return d.isoformat() if d else "无"

    # Only the columns the notice needs, in rounds: no model instance per moved case.
    cases: dict[int, tuple[str, str, int, int | None]] = {}
    ids = [case_id for case_id, _, _ in moved]
    for first in range(0, len(ids), 2000):
        for pk, *values in Case.objects.filter(pk__in=ids[first : first + 2000]).values_list(
            "pk", "number", "applicant_name", "agency_id", "assigned_to_id"
        ):
            cases[pk] = tuple(values)  # type: ignore[assignment]
    agency_ids = {agency_id for _, _, agency_id, _ in cases.values()}
    officers: dict[int, list[User]] = {}
    for user in User.objects.filter(agency_id__in=agency_ids, is_active=True):
        officers.setdefault(user.pk, [user])
    by_agency: dict[int, list[User]] = {}
    for user in User.objects.filter(agency_id__in=agency_ids, role=Role.OFFICER, is_active=True):
        by_agency.setdefault(user.agency_id or 0, []).append(user)
    messages = []
    for case_id, old, new in moved:
        found = cases.get(case_id)
        if found is None:
            continue
        number, applicant_name, agency_id, assigned_to_id = found
        to = _addresses(officers.get(assigned_to_id or 0) or by_agency.get(agency_id, []))
        if to:
            body = f"案件：{number}\n申请人：{applicant_name}\n\n答复期限由 {show(old)} 变更为 {show(new)}。\n原因：{reason}\n"
            messages.append(
                EmailMessage(f"[政府信息公开] {number} 答复期限已变更", body, settings.DEFAULT_FROM_EMAIL, to)
            )
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    except Exception:  # delivery problems must not undo or hide a committed change
        logger.exception("邮件发送失败：%d 条答复期限变更通知", len(messages))


# ---------------------------------------------------------------------------------------------
# Messages to the applicant (SMS and e-mail to the contact they gave): one ApplicantMessage row
# per channel, created in the step's transaction, sent after commit, retried with backoff.
# ---------------------------------------------------------------------------------------------

#: Backoff after the n-th failed attempt: 5 min, 10 min, 20 min … at most 6 hours.
RETRY_BASE = dt.timedelta(minutes=5)
RETRY_CAP = dt.timedelta(hours=6)
#: A queued message older than this was lost with its process (after commit, before sending).
STALE_QUEUED = dt.timedelta(minutes=10)


def tracking_url(case: Case) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", "")
    return f"{base}{reverse('portal:track')}?code={case.tracking_code}"


def mobile_number(phone: str) -> str | None:
    """The 11-digit mainland mobile number in ``phone`` (SMS only reaches those), else None."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if len(digits) == 11 and digits.startswith("1") else None


def mask_recipient(channel: str, recipient: str) -> str:
    """``138****1234`` / ``z***@example.cn``: lists never show a full contact."""
    if channel == MessageChannel.SMS:
        return f"{recipient[:3]}****{recipient[-4:]}" if len(recipient) >= 7 else "****"
    local, _, domain = recipient.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _fmt(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "（待定）"


def _as_date(value: object) -> dt.date | None:
    """A payload's date: a ``date`` before the event is stored, its ISO text after."""
    if isinstance(value, dt.date) or value is None:
        return value
    return dt.date.fromisoformat(str(value))


def _period_moved(case: Case, payload: dict[str, Any]) -> tuple[str, str] | None:
    """The 补正期限 (条例 art 30) or 缴费期限 (国办函〔2020〕109号) now counted from the applicant's
    receipt of the notice, when that moved the date the notice printed; None when it did not."""
    for notice, field in (("补正告知书", "补正期限"), ("收费通知", "缴费期限")):
        new, old = _as_date(payload.get(field)), _as_date(payload.get(f"原{field}"))
        if new is None or new == old:
            continue
        what = "可在查询页面直接提交补正材料" if field == "补正期限" else "缴费方式见查询页面"
        return (
            f"{field}已调整",
            f"您的政府信息公开申请（{case.number}）的{notice}已于{_fmt(_as_date(payload.get('申请人收到之日')))}送达，"
            f"{field}自您收到之日起计算，调整为{_fmt(new)}前（{notice}所载暂定为{_fmt(old)}），{what}。",
        )
    return None


def applicant_text(case: Case, kind: str, payload: dict[str, Any]) -> tuple[str, str] | None:
    """(subject, text) of the message that tells the applicant about ``kind``, or None (no message)."""
    from gongkai.cases.choices import CaseNote
    from gongkai.core.case_flow import Event, Status

    agency = case.agency.name
    if kind == CaseNote.SUBMITTED_ONLINE:
        return (
            "申请已提交",
            f"您向{agency}提交的政府信息公开申请已收到，查询码：{case.tracking_code}。"
            "请妥善保存查询码，凭查询码和联系电话后四位查看办理进度。",
        )
    if kind == CaseNote.REGISTERED:
        if case.status == Status.AWAITING_CONFIRMATION:
            return (
                "申请已登记",
                f"您向{agency}提出的政府信息公开申请已登记（{case.number}），查询码：{case.tracking_code}。",
            )
        return (
            "申请已登记",
            f"您向{agency}提出的政府信息公开申请已登记（{case.number}），收到申请之日为{_fmt(case.received_on)}，"
            f"我们将在{_fmt(case.due_on)}前答复。查询码：{case.tracking_code}。",
        )
    if kind == Event.CONFIRM_RECEIPT:
        return (
            "申请已受理",
            f"您向{agency}提交的政府信息公开申请已确认收到（{case.number}），收到申请之日为{_fmt(case.received_on)}，"
            f"我们将在{_fmt(case.due_on)}前答复。",
        )
    if kind == Event.REQUEST_CORRECTION:
        return (
            "请补正申请",
            f"您的政府信息公开申请（{case.number}）需要补正，请在{_fmt(case.correction_reply_by)}前补正，"
            "可在查询页面直接提交补正材料。逾期未补正视为放弃申请。",
        )
    if kind == Event.RECEIVE_CORRECTION:
        return (
            "已收到补正",
            f"已收到您的补正材料（{case.number}），答复期限自{_fmt(case.correction_received_on)}起重新计算，"
            f"我们将在{_fmt(case.due_on)}前答复。",
        )
    if kind == CaseNote.EXTENSION_NOTIFIED:
        return (
            "答复期限延长",
            f"您的政府信息公开申请（{case.number}）需要延长答复期限{payload.get('延长工作日', '')}个工作日，"
            f"我们将在{_fmt(case.due_on)}前答复。",
        )
    if kind == Event.SEND_FEE_NOTICE:
        due = payload.get("缴费期限")
        return (
            "信息处理费缴费通知",
            f"您的政府信息公开申请（{case.number}）需缴纳信息处理费{payload.get('金额', '')}元，"
            f"请在{_fmt(dt.date.fromisoformat(str(due)) if due else None)}前缴纳，缴费方式见查询页面。逾期未缴视为放弃申请。",
        )
    if kind == CaseNote.NOTICE_SERVED:
        return _period_moved(case, payload)
    if kind == CaseNote.PROOF_REQUESTED_AGAIN:
        return (
            "请重新上传缴费凭证",
            f"您上传的缴费凭证（{case.number}）未能核对，原因：{payload.get('原因', '')}。请在查询页面重新上传。",
        )
    if kind == Event.RECEIVE_PAYMENT:
        return (
            "已确认缴费",
            f"已确认收到您缴纳的信息处理费（{case.number}），我们将继续办理，{_fmt(case.due_on)}前答复。",
        )
    if kind == CaseNote.TRANSFERRED_IN:
        return (
            "申请已转送",
            f"您向{payload.get('转自', '')}提出的政府信息公开申请（{payload.get('原案件编号', '')}）已转送{agency}办理，"
            f"登记编号{case.number}，收到申请之日为{_fmt(case.received_on)}，我们将在{_fmt(case.due_on)}前答复。"
            f"新的查询码：{case.tracking_code}。",
        )
    if kind == Event.ANSWER and payload.get("负责公开的机关"):
        return (
            "申请已办结",
            f"您的政府信息公开申请（{case.number}）所申请的信息不属于{agency}负责公开（{_fmt(case.closed_on)}），"
            f"负责公开的机关为{payload['负责公开的机关']}，联系方式：{payload.get('联系方式', '')}；{payload.get('转办', '')}。",
        )
    if kind in {Event.ANSWER, Event.ANSWER_ON_THE_SPOT, Event.CORRECTION_OVERDUE, Event.FEE_OVERDUE, Event.WITHDRAW}:
        what = {
            Event.CORRECTION_OVERDUE: "因逾期未补正，视为放弃申请，本申请已终止",
            Event.FEE_OVERDUE: "因逾期未缴纳信息处理费，视为放弃申请，本申请已终止",
            Event.WITHDRAW: "已按您的要求撤回",
        }.get(Event(kind), "已作出答复")
        return (
            "申请已办结",
            f"您的政府信息公开申请（{case.number}）{what}（{_fmt(case.closed_on)}），请在查询页面查看。",
        )
    return None


_silenced: ContextVar[bool] = ContextVar("applicants_not_told", default=False)


@contextmanager
def applicants_not_told() -> Iterator[None]:
    """Within: steps do not message the applicant (importing past cases from a ledger)."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def tell_applicant(case: Case, kind: str, payload: dict[str, Any] | None = None) -> list[int]:
    """Queue the applicant's message(s) about ``kind`` in the caller's transaction; send after commit."""
    from gongkai.cases.models import ApplicantMessage

    if _silenced.get():
        return []
    composed = applicant_text(case, str(kind), payload or {})
    if composed is None:
        return []
    subject, text = composed
    text = f"{text}\n查询：{tracking_url(case)}"
    targets = []
    if mobile := mobile_number(case.phone):
        targets.append((MessageChannel.SMS, mobile))
    if case.email:
        targets.append((MessageChannel.EMAIL, case.email))
    ids = [
        ApplicantMessage.objects.create(
            case=case, kind=str(kind), channel=channel, recipient=to, subject=subject, text=text
        ).pk
        for channel, to in targets
    ]
    if ids:
        transaction.on_commit(lambda: deliver_later(ids))
    return ids


#: The Celery task that sends applicants' messages and retries them (``gongkai.cases.tasks``).
DELIVER_TASK = "gongkai.cases.deliver_messages"


def deliver_later(ids: list[int]) -> None:
    """Send the messages ``ids`` on a Celery worker (REDIS_URL set: retried there with backoff),
    or here and now without a broker (the periodic retry then comes from ``gongkai remind``)."""
    run_task(DELIVER_TASK, [ids], here=lambda: deliver(ids))


def send_message(message: ApplicantMessage) -> str:
    """Hand ``message`` to its channel's backend; the provider's id. Raises on failure."""
    if message.channel == MessageChannel.SMS:
        return sms.backend().send(message.recipient, f"【{settings.SMS_SIGNATURE}】{message.text}")
    return mail.send_one(message.recipient, f"[政府信息公开] {message.subject}", message.text)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: doubling from RETRY_BASE, at most RETRY_CAP."""
    doubled: dt.timedelta = RETRY_BASE * (2 ** min(16, max(0, attempts - 1)))  # no overflow
    return min(RETRY_CAP, doubled)


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 5))


def deliver(ids: Iterable[int], *, now: dt.datetime | None = None, only_due: bool = False) -> int:
    """Try to send the messages ``ids`` that are not sent yet; the number sent. Never raises.

    ``only_due`` (the automatic retries): leave a failed message whose backoff has not passed
    or that used up its ``NOTIFICATION_MAX_ATTEMPTS``, so that two retry paths (the task's own
    retry and the periodic one) never send it twice in a row.
    """
    from gongkai.cases.models import ApplicantMessage

    sent = 0
    cap = max_attempts()
    for message_id in ids:
        with transaction.atomic():
            message = ApplicantMessage.objects.select_for_update().filter(pk=message_id).first()
            if message is None or message.status == MessageStatus.SENT:
                continue
            moment = now or timezone.now()
            waiting = message.attempts >= cap or (message.next_attempt_at and message.next_attempt_at > moment)
            if only_due and message.status == MessageStatus.FAILED and waiting:
                continue
            message.attempts += 1
            try:
                message.provider_id = send_message(message)[:200]
            except Exception as exc:  # a failed delivery is recorded and retried, never raised
                logger.warning("申请人通知发送失败（%s #%s）：%s", message.channel, message.pk, exc)
                message.status = MessageStatus.FAILED
                message.last_error = str(exc)[:1000] or exc.__class__.__name__
                message.next_attempt_at = moment + backoff(message.attempts)
            else:
                message.status = MessageStatus.SENT
                message.sent_at = moment
                message.next_attempt_at = None
                sent += 1
            message.save(
                update_fields=["attempts", "provider_id", "status", "last_error", "next_attempt_at", "sent_at"]
            )
    return sent


def next_retry(ids: Iterable[int], *, now: dt.datetime) -> tuple[list[int], float] | None:
    """The messages of ``ids`` that failed and may be tried again, and the seconds until the
    first of them is due; None when none is left (all sent, or out of attempts)."""
    from gongkai.cases.models import ApplicantMessage

    waiting = list(
        ApplicantMessage.objects.filter(pk__in=list(ids), status=MessageStatus.FAILED, attempts__lt=max_attempts())
        .order_by("next_attempt_at")
        .values_list("pk", "next_attempt_at")
    )
    if not waiting:
        return None
    first = waiting[0][1]
    return [pk for pk, _ in waiting], max(0.0, (first - now).total_seconds()) if first else 0.0


@dataclass(frozen=True, slots=True)
class RetryResult:
    tried: int
    sent: int
    given_up: int

    def lines(self) -> list[str]:
        return [f"申请人通知：重试 {self.tried} 条，发送成功 {self.sent} 条，已达最大尝试次数 {self.given_up} 条"]


def retry_failed_notifications(*, now: dt.datetime) -> RetryResult:
    """Send again the failed messages whose backoff has passed (and queued ones left behind), up to
    ``settings.NOTIFICATION_MAX_ATTEMPTS`` attempts each."""
    from gongkai.cases.models import ApplicantMessage

    cap = max_attempts()
    due = ApplicantMessage.objects.filter(
        Q(status=MessageStatus.FAILED, next_attempt_at__lte=now)
        | Q(status=MessageStatus.QUEUED, created_at__lte=now - STALE_QUEUED)
    )
    ids = list(due.filter(attempts__lt=cap).order_by("id").values_list("pk", flat=True))
    given_up = ApplicantMessage.objects.filter(status=MessageStatus.FAILED, attempts__gte=cap).count()
    return RetryResult(tried=len(ids), sent=deliver(ids, now=now), given_up=given_up)
