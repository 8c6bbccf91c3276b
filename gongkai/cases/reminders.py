"""Daily reminders to officers: answers due in 2 working days (T-2) and overdue answers.

Run once a day by cron (``gongkai remind``). On a day that is not a working day nothing is sent:
each working day's T-2 is a different date, so every due date is announced exactly once, and
overdue cases are repeated on each working day until answered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.accounts.models import Role, User
from gongkai.cases import notifications
from gongkai.cases.clock import nth_working_day_after
from gongkai.cases.models import Case
from gongkai.workcalendar.provider import working_calendar


@dataclass
class Digest:
    """What one officer is told."""

    user: User
    due_soon: list[Case] = field(default_factory=list)
    overdue: list[Case] = field(default_factory=list)

    def body(self, today: dt.date) -> str:
        lines = [f"{self.user.display_name}：", ""]
        if self.overdue:
            lines.append(f"已逾期（{len(self.overdue)}件）：")
            lines.extend(f"  {c.number}  答复期限 {c.due_on}  {c.applicant_name}" for c in self.overdue)
        if self.due_soon:
            lines.append(f"2个工作日后（{self.due_soon[0].due_on}）到期（{len(self.due_soon)}件）：")
            lines.extend(f"  {c.number}  {c.applicant_name}" for c in self.due_soon)
        lines += ["", f"（{today.isoformat()} 自动提醒；期限依据条例第三十三条）"]
        return "\n".join(lines)


@dataclass
class RemindResult:
    today: dt.date
    working_day: bool
    digests: list[Digest]
    sent: int = 0

    def lines(self) -> list[str]:
        if not self.working_day:
            return [f"{self.today.isoformat()} 不是工作日，不发送提醒"]
        out = [f"{self.today.isoformat()}：{len(self.digests)} 位承办人，已发送 {self.sent} 封邮件"]
        out.extend(
            f"  {d.user.username}：逾期 {len(d.overdue)} 件，2个工作日后到期 {len(d.due_soon)} 件" for d in self.digests
        )
        return out


def collect(today: dt.date) -> list[Digest]:
    """Per recipient: running cases overdue and those due exactly 2 working days after ``today``.

    The recipient is the assigned officer, or else every 信息公开工作人员 of the agency.
    """
    t2, _ = nth_working_day_after(today, 2)
    cases = (
        Case.objects.running()
        .filter(due_on__lte=t2)
        .exclude(due_on__gte=today, due_on__lt=t2)
        .select_related("assigned_to")
        .order_by("due_on", "pk")
    )
    fallback: dict[int, list[User]] = {}
    digests: dict[int, Digest] = {}
    for case in cases:
        assert case.due_on is not None
        if case.assigned_to is not None and case.assigned_to.is_active:
            recipients = [case.assigned_to]
        else:
            if case.agency_id not in fallback:
                fallback[case.agency_id] = list(
                    User.objects.filter(agency_id=case.agency_id, role=Role.OFFICER, is_active=True)
                )
            recipients = fallback[case.agency_id]
        for user in recipients:
            digest = digests.setdefault(user.pk, Digest(user))
            (digest.overdue if case.due_on < today else digest.due_soon).append(case)
    return sorted(digests.values(), key=lambda d: d.user.username)


def send_reminders(*, today: dt.date, dry_run: bool = False) -> RemindResult:
    """Collect and (unless ``dry_run``) e-mail the digests of ``today``."""
    calendar = working_calendar()
    working = today.year not in calendar.known_years or calendar.is_working_day(today)
    if not working:
        return RemindResult(today, False, [])
    digests = collect(today)
    result = RemindResult(today, True, digests)
    if not dry_run:
        for digest in digests:
            subject = f"答复期限提醒：逾期{len(digest.overdue)}件，即将到期{len(digest.due_soon)}件"
            result.sent += notifications.send(subject, digest.body(today), [digest.user])
    return result
