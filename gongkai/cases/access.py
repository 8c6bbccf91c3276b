"""The tracking page's second factors besides the phone digits: a one-time code (6 digits, valid
10 minutes, stored hashed, a few attempts) sent to the phone or e-mail on record, and "忘记查询码",
which sends the tracking codes to a contact on record. Neither says whether a contact exists."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone

from gongkai.cases import notifications
from gongkai.cases.choices import MessageChannel, MessageStatus
from gongkai.cases.models import AccessCode, ApplicantMessage, Case, ContactCode

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


def phone_key(text: str) -> str:
    """The digits that identify a phone number: formatting (spaces, dashes, brackets) and the
    country code of a mainland mobile (+86 / 0086 / 86) do not count. Empty when too short to be one."""
    digits = _digits(text)
    for prefix in ("0086", "86"):
        rest = digits[len(prefix) :]
        if digits.startswith(prefix) and len(rest) == 11 and rest.startswith("1"):
            digits = rest
            break
    return digits if len(digits) >= 7 else ""


def email_key(text: str) -> str:
    """An e-mail address as compared: trimmed, lower case; empty unless it looks like one."""
    value = text.strip().lower()
    local, at, domain = value.partition("@")
    return value if at and local and "." in domain and " " not in value else ""


def contact_key(contact: str) -> tuple[str, str] | None:
    """(channel, key) of a phone number or e-mail typed by a person; None if it is neither."""
    if "@" in contact:
        key = email_key(contact)
        return (MessageChannel.EMAIL.value, key) if key else None
    key = phone_key(contact)
    return (MessageChannel.SMS.value, key) if key else None


_SEPARATORS = (" ", "-", "+", "(", ")", "（", "）", ".", "\u3000")


def cases_for_contact(contact: str, *, limit: int | None = MAX_RESENT_CASES) -> list[Case]:
    """The newest cases whose phone or e-mail IS ``contact`` (after normalising both sides: same
    phone digits, the e-mail in any case), never a case whose contact merely contains it."""
    found = contact_key(contact)
    if found is None:
        return []
    channel, key = found
    base = Case.objects.select_related("agency").order_by("-submitted_at", "-id")
    if channel == MessageChannel.EMAIL:
        rows = [c for c in base.filter(email__iexact=key) if email_key(c.email) == key]
        return rows[:limit] if limit is not None else rows
    stripped: Any = F("phone")
    for sep in _SEPARATORS:
        stripped = Replace(stripped, Value(sep), Value(""))
    candidates = base.annotate(phone_digits=stripped).filter(phone_digits__endswith=key[-7:])
    rows = [c for c in candidates if phone_key(c.phone) == key]
    return rows[:limit] if limit is not None else rows


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


# ---------------------------------------------------------------------------------------------
# The optional applicant account: sign in with a phone or e-mail on record and a one-time code
# ---------------------------------------------------------------------------------------------

SIGN_IN_KIND = "account_sign_in_code"
CONTACT_CODES_PER_HOUR = 5  # codes sent to one contact per hour, whichever the address asking
MAX_ACCOUNT_CASES = 200


def _contact_hash(channel: str, key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"contact:{channel}:{key}".encode(), hashlib.sha256).hexdigest()


def _code_hash(contact_hash: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{contact_hash}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def issue_sign_in_code(contact: str, *, now: dt.datetime) -> bool:
    """Send a sign-in code to ``contact`` if some application gave it (a mobile for SMS, or the
    e-mail); earlier codes of the contact stop working. False when nothing was sent (unknown
    contact, too many codes this hour, a landline): the caller answers the same either way."""
    found = contact_key(contact)
    if found is None:
        return False
    channel, key = found
    if channel == MessageChannel.SMS and notifications.mobile_number(key) is None:
        return False  # an SMS reaches a mobile only
    cases = cases_for_contact(contact, limit=1)
    if not cases:
        return False
    digest = _contact_hash(channel, key)
    recent = ContactCode.objects.select_for_update().filter(
        contact_hash=digest, created_at__gt=now - dt.timedelta(hours=1)
    )
    if recent.count() >= CONTACT_CODES_PER_HOUR:
        return False
    ContactCode.objects.filter(contact_hash=digest, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    ContactCode.objects.create(
        contact_hash=digest, code_hash=_code_hash(digest, code), channel=channel, expires_at=now + CODE_LIFETIME
    )
    text = f"您登录政府信息公开申请查询的验证码为 {code}，10分钟内有效。如非本人操作，请忽略。"
    return _send_now(cases[0], SIGN_IN_KIND, channel, key, "登录验证码", text, text.replace(code, "******"))


@transaction.atomic
def verify_sign_in_code(contact: str, code: str, *, now: dt.datetime) -> str | None:
    """The normalised contact when ``code`` is its latest unused, unexpired code (it works once,
    and after ``MAX_CODE_ATTEMPTS`` wrong tries not at all); None otherwise."""
    found = contact_key(contact)
    if found is None:
        return None
    digest = _contact_hash(*found)
    current = (
        ContactCode.objects.select_for_update()
        .filter(contact_hash=digest, used_at__isnull=True, expires_at__gt=now, attempts__lt=MAX_CODE_ATTEMPTS)
        .first()
    )
    if current is None:
        return None
    current.attempts += 1
    if hmac.compare_digest(current.code_hash, _code_hash(digest, code.strip())):
        current.used_at = now
        current.save(update_fields=["attempts", "used_at"])
        return found[1]
    current.save(update_fields=["attempts"])
    return None


def account_cases(contact: str) -> list[Case]:
    """Every application on this system whose phone or e-mail is the signed-in ``contact``."""
    return cases_for_contact(contact, limit=MAX_ACCOUNT_CASES)


def mask_contact(key: str) -> str:
    """``138****8000`` / ``z***@example.cn``: what the account page and the audit trail show."""
    channel = MessageChannel.EMAIL if "@" in key else MessageChannel.SMS
    return notifications.mask_recipient(channel.value, key)
