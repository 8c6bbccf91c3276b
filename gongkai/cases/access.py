"""The tracking page's second factors besides the phone digits: a one-time code (6 digits, valid
10 minutes, stored hashed, a few attempts) sent to the phone or e-mail on record, and "忘记查询码",
which sends the tracking codes to a contact on record. Neither says whether a contact exists."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.cases import notifications
from gongkai.cases.choices import MessageChannel, MessageStatus
from gongkai.cases.models import AccessCode, ApplicantMessage, Case

logger = logging.getLogger(__name__)

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
CODES_PER_CASE = 5  # codes sent per case within …
CODES_PER_CASE_WINDOW = dt.timedelta(hours=1)
MAX_RESENT_CASES = 10
ACCESS_CODE_KIND = "access_code"
CODES_RESENT_KIND = "tracking_codes_resent"


def _hash(case_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{case_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _send_now(case: Case, kind: str, channel: str, to: str, subject: str, text: str, logged: str) -> bool:
    """Send at once (a code is useless later); the log keeps ``logged``, not the secret."""
    message = ApplicantMessage.objects.create(
        case=case, kind=kind, channel=channel, recipient=to, subject=subject, text=logged
    )
    message.text = text  # the real text, in memory only
    message.attempts = 1
    try:
        message.provider_id = notifications.send_message(message)[:200]
    except Exception as exc:  # recorded for the officer; the code is not retried (it expires)
        logger.warning("验证码发送失败（%s）：%s", channel, exc)
        ApplicantMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, attempts=1, last_error=str(exc)[:1000]
        )
        return False
    ApplicantMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, attempts=1, provider_id=message.provider_id, sent_at=timezone.now()
    )
    return True


def contacts(case: Case) -> list[tuple[str, str]]:
    """(channel, address) the case can be reached at: a mobile phone for SMS, the e-mail."""
    found = []
    if mobile := notifications.mobile_number(case.phone):
        found.append((MessageChannel.SMS.value, mobile))
    if case.email:
        found.append((MessageChannel.EMAIL.value, case.email))
    return found


@transaction.atomic
def issue_access_code(case: Case, *, now: dt.datetime) -> bool:
    """Send a new one-time code to every contact of ``case``; earlier codes stop working."""
    reachable = contacts(case)
    if not reachable:
        return False
    if AccessCode.objects.filter(case=case, created_at__gt=now - CODES_PER_CASE_WINDOW).count() >= CODES_PER_CASE:
        return False  # the applicant's phone is not to be flooded from many addresses
    AccessCode.objects.filter(case=case, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    AccessCode.objects.create(
        case=case, code_hash=_hash(case.pk, code), channel=reachable[0][0], expires_at=now + CODE_LIFETIME
    )
    text = f"您查询政府信息公开申请的验证码为 {code}，10分钟内有效。如非本人操作，请忽略。"
    sent = False
    for channel, to in reachable:
        logged = text.replace(code, "******")
        sent = _send_now(case, ACCESS_CODE_KIND, channel, to, "查询验证码", text, logged) or sent
    return sent


@transaction.atomic
def verify_access_code(case: Case, code: str, *, now: dt.datetime) -> bool:
    """Whether ``code`` is the latest unused, unexpired code of ``case``; it works once."""
    current = (
        AccessCode.objects.select_for_update()
        .filter(case=case, used_at__isnull=True, expires_at__gt=now, attempts__lt=MAX_CODE_ATTEMPTS)
        .first()
    )
    if current is None:
        return False
    current.attempts += 1
    if hmac.compare_digest(current.code_hash, _hash(case.pk, code.strip())):
        current.used_at = now
        current.save(update_fields=["attempts", "used_at"])
        return True
    current.save(update_fields=["attempts"])
    return False


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def cases_for_contact(contact: str) -> list[Case]:
    """The newest cases whose phone (same digits) or e-mail (any case) is ``contact``."""
    contact = contact.strip()
    if "@" in contact:
        qs = Case.objects.filter(email__iexact=contact)
        return list(qs.select_related("agency").order_by("-submitted_at", "-id")[:MAX_RESENT_CASES])
    digits = _digits(contact)
    if len(digits) < 7:
        return []
    qs = Case.objects.filter(phone__contains=digits[-4:]).select_related("agency").order_by("-submitted_at", "-id")
    return [c for c in qs[:500] if _digits(c.phone).endswith(digits) or digits.endswith(_digits(c.phone))][
        :MAX_RESENT_CASES
    ]


@transaction.atomic
def resend_tracking_codes(contact: str) -> int:
    """Send the tracking codes of ``contact``'s cases to ``contact`` itself (never elsewhere); how
    many cases (the caller must not show it)."""
    found = cases_for_contact(contact)
    if not found:
        return 0
    lines = [f"{c.agency.name} {c.submitted_at:%Y-%m-%d} 提交：查询码 {c.tracking_code}" for c in found]
    text = "您在政府信息公开申请系统中的申请：\n" + "\n".join(lines)
    if "@" in contact:
        channel, to = MessageChannel.EMAIL.value, found[0].email
    else:
        mobile = notifications.mobile_number(found[0].phone)
        if mobile is None:
            return 0
        channel, to = MessageChannel.SMS.value, mobile
    text = f"{text}\n查询：{notifications.tracking_url(found[0]).split('?')[0]}"
    logged = "您在政府信息公开申请系统中的申请的查询码（已发送，此处不保存）"
    _send_now(found[0], CODES_RESENT_KIND, channel, to, "您的查询码", text, logged)
    return len(found)
