"""E-mail notices to staff. Services schedule them with ``transaction.on_commit``.

A failed delivery is logged, never raised: the change it reports is already committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection, send_mail

from gongkai.accounts.models import Role, User

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

    cases = Case.objects.in_bulk([case_id for case_id, _, _ in moved])
    officers: dict[int, list[User]] = {}
    for user in User.objects.filter(agency_id__in={c.agency_id for c in cases.values()}, is_active=True):
        officers.setdefault(user.pk, [user])
    by_agency: dict[int, list[User]] = {}
    for user in User.objects.filter(
        agency_id__in={c.agency_id for c in cases.values()}, role=Role.OFFICER, is_active=True
    ):
        by_agency.setdefault(user.agency_id or 0, []).append(user)
    messages = []
    for case_id, old, new in moved:
        case = cases.get(case_id)
        if case is None:
            continue
        to = _addresses(officers.get(case.assigned_to_id or 0) or by_agency.get(case.agency_id, []))
        if to:
            body = f"案件：{case.number}\n申请人：{case.applicant_name}\n\n答复期限由 {show(old)} 变更为 {show(new)}。\n原因：{reason}\n"
            messages.append(
                EmailMessage(f"[政府信息公开] {case.number} 答复期限已变更", body, settings.DEFAULT_FROM_EMAIL, to)
            )
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    except Exception:  # delivery problems must not undo or hide a committed change
        logger.exception("邮件发送失败：%d 条答复期限变更通知", len(messages))
