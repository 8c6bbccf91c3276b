"""Writes of the supervisor's console: 催报 (reminding agencies whose annual report is not out).

One service function, the actor passed in, an audit row per reminder in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db import transaction

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency
from gongkai.audit.services import record
from gongkai.dashboards.console_selectors import console_agencies
from gongkai.dashboards.models import Reminder, ReminderChannel
from gongkai.notifications import sms
from gongkai.notifications.mail import send_one

MAX_MESSAGE = 500


class ConsoleAuditAction(StrEnum):
    REMINDED = "dashboards.report_reminded"


class ReminderError(Exception):
    """The 催报 cannot be sent as asked (the message says why, in Chinese)."""


class OutOfReach(ReminderError):
    """An agency asked for is not one the actor supervises."""


def default_message(agency_name: str, year: int, due: dt.date | None = None) -> str:
    due_text = f"（发布期限{due.year}年{due.month}月{due.day}日）" if due else ""
    return (
        f"{agency_name}：贵单位{year}年度政府信息公开工作年度报告尚未发布{due_text}，"
        "请按《政府信息公开条例》第四十九条的规定尽快发布。"
    )


def _recipients(agency: Agency) -> list[User]:
    return list(User.objects.filter(agency=agency, is_active=True, role__in=[Role.OFFICER, Role.LEADER]).order_by("pk"))


def _send(agency: Agency, channels: list[str], subject: str, text: str) -> list[str]:
    """Send on each channel; one line per channel saying what happened (a failure is recorded, not raised)."""
    people = _recipients(agency)
    lines: list[str] = []
    if ReminderChannel.EMAIL in channels:
        addresses = sorted({u.email for u in people if u.email})
        sent = 0
        for address in addresses:
            try:
                send_one(address, subject, text)
                sent += 1
            except Exception as exc:
                lines.append(f"邮件发送失败（{address}）：{exc}")
        lines.append(f"邮件：已发送{sent}封" if addresses else "邮件：无可用邮箱")
    if ReminderChannel.SMS in channels:
        phones = sorted({u.phone for u in people if u.phone} or ({agency.phone} if agency.phone else set()))
        backend = sms.backend()
        sent = 0
        for phone in phones:
            try:
                backend.send(phone, text)
                sent += 1
            except sms.SmsError as exc:
                lines.append(f"短信发送失败（{phone}）：{exc}")
        lines.append(f"短信：已发送{sent}条" if phones else "短信：无可用号码")
    if ReminderChannel.NOTICE in channels:
        lines.append(f"工作台通知：{len(people)}人可见")
    return lines


def send_reminders(
    *,
    actor: Any,
    agency_ids: Iterable[int],
    year: int,
    channels: Iterable[str],
    message: str = "",
    now: dt.datetime,
) -> list[Reminder]:
    """催报: remind each agency of ``agency_ids`` (all within the actor's reach, else
    :class:`OutOfReach` and nothing is sent) that its report for ``year`` is not out, through
    ``channels``; one :class:`Reminder` and one audit row per agency, in one transaction."""
    wanted = sorted(set(agency_ids))
    picked = [c for c in ReminderChannel.values if c in set(channels)]
    if not wanted:
        raise ReminderError("请选择要催报的机构")
    if not picked:
        raise ReminderError("请选择至少一种催报方式")
    if not 2000 <= year <= now.year:
        raise ReminderError("报告年度不正确")
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise ReminderError(f"催报内容不超过{MAX_MESSAGE}字")
    agencies = list(console_agencies(actor).filter(pk__in=wanted))
    if len(agencies) != len(wanted):
        raise OutOfReach("所选机构不在您的监督范围内")
    out: list[Reminder] = []
    with transaction.atomic():
        for agency in agencies:
            text = message or default_message(agency.name, year)
            subject = f"【催报】{year}年度政府信息公开工作年度报告"
            result = _send(agency, picked, subject, text)
            reminder = Reminder.objects.create(
                agency=agency,
                year=year,
                channels=picked,
                sent_by=actor,
                sent_at=now,
                message=text,
                result="；".join(result),
            )
            record(
                actor=actor,
                action=ConsoleAuditAction.REMINDED,
                target=reminder,
                agency=agency,
                changes={"year": year, "channels": picked},
                note="；".join(result),
            )
            out.append(reminder)
    return out
