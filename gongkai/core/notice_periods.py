"""Periods the applicant must act in, counted from the day the notice reached them.

Two notices give the applicant a period, and both run from the applicant's receipt of the notice
(its 送达), not from the day the office printed or posted it:

* 补正告知 (条例 art 30): "一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限". The
  length is the agency's ("合理的补正期限", no statutory number, legal spec R4); the office enters it
  as a date computed from the notice date, and this module reads that as a number of working days
  and counts the same number again from the day of receipt.
* 收费通知 (国办函〔2020〕109号, as restated in spec §2.4): "申请人应当在收到收费通知次日起20个工作日内
  缴纳费用". 20 working days from the day after receipt.

Counting is spec §5.2 [D]: the day of receipt is not counted (民法典 art 201 ¶1 by analogy); a
period whose last day is not a working day ends on the next working day (民法典 art 203 ¶1 by
analogy), so a 补正期限 the office set on a Saturday counts through the Monday after it.

Until the 送达 is recorded the date of receipt is unknown: the period is computed from the day
the notice was sent and marked provisional (暂定). A date of receipt before the notice was sent is
refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from gongkai.core.calendar import WorkingCalendar
from gongkai.core.deadline_trace import cn_date
from gongkai.core.errors import DeadlineError

FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 (spec §2.4 [V] via Sichuan's restatement)


class NoticeKind(StrEnum):
    """A notice that gives the applicant a period to act in."""

    CORRECTION = "correction"  # 补正告知 (条例 art 30)
    FEE = "fee"  # 收费通知 (国办函〔2020〕109号)

    @property
    def label(self) -> str:
        return NOTICE_LABELS[self][0]

    @property
    def basis(self) -> str:
        return NOTICE_LABELS[self][1]


NOTICE_LABELS: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.CORRECTION: ("补正告知", "《条例》第三十条"),
    NoticeKind.FEE: ("收费通知", "国办函〔2020〕109号"),
}


@dataclass(frozen=True, slots=True)
class NoticePeriod:
    """The applicant's period under a notice sent on ``sent_on`` (received on ``received_on``)."""

    kind: NoticeKind
    sent_on: date
    received_on: date | None
    days: int  # working days, counted from the day after ``starts_from``
    due_on: date

    @property
    def provisional(self) -> bool:
        """No date of receipt yet: counted from the day of sending (暂定)."""
        return self.received_on is None

    @property
    def starts_from(self) -> date:
        return self.received_on if self.received_on is not None else self.sent_on

    def explain(self) -> str:
        """Why the period ends on ``due_on``, in the applicant's words."""
        what = "补正" if self.kind is NoticeKind.CORRECTION else "缴费"
        if self.received_on is not None:
            return (
                f"自您收到{self.kind.label}之日（{cn_date(self.received_on)}）起{self.days}个工作日内{what}，"
                f"即{cn_date(self.due_on)}前（{self.kind.basis}）。"
            )
        return (
            f"暂定：尚未登记您收到{self.kind.label}的日期，暂按发出之日（{cn_date(self.sent_on)}）起"
            f"{self.days}个工作日计算，为{cn_date(self.due_on)}；登记送达后自您收到之日起重新计算（{self.kind.basis}）。"
        )


def _check_receipt(kind: NoticeKind, sent_on: date, received_on: date | None) -> None:
    if received_on is not None and received_on < sent_on:
        raise DeadlineError(f"{kind.label}的送达日期 {received_on.isoformat()} 早于发出日期 {sent_on.isoformat()}")


def last_day(calendar: WorkingCalendar, day: date) -> date:
    """``day``, or the next working day when ``day`` is not one (民法典 art 203 ¶1 by analogy)."""
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() + 1)
    return day


def fee_payment_period(sent_on: date, received_on: date | None, *, calendar: WorkingCalendar) -> NoticePeriod:
    """缴费期限: 20 working days from the day after the applicant received the 收费通知.

    国办函〔2020〕109号 (spec §2.4): "申请人应当在收到收费通知次日起20个工作日内缴纳费用，逾期未缴纳的
    视为放弃申请". Provisional (from ``sent_on``) until the date of receipt is known.
    """
    _check_receipt(NoticeKind.FEE, sent_on, received_on)
    start = received_on if received_on is not None else sent_on
    due = calendar.nth_working_day_after(start, FEE_PAYMENT_DAYS)
    return NoticePeriod(NoticeKind.FEE, sent_on, received_on, FEE_PAYMENT_DAYS, due)


def correction_period_days(anchor: date, reply_by: date, *, calendar: WorkingCalendar) -> int:
    """The length, in working days, of a 补正期限 ``reply_by`` counted from ``anchor`` (条例 art 30).

    A ``reply_by`` that is not a working day counts through the next working day, so counting the
    result again from ``anchor`` never gives an earlier date than the office set.
    """
    if reply_by < anchor:
        raise DeadlineError(f"补正期限 {reply_by.isoformat()} 早于补正告知日 {anchor.isoformat()}")
    return calendar.working_days_between(anchor, last_day(calendar, reply_by))


def correction_period(
    sent_on: date,
    reply_by: date,
    received_on: date | None,
    *,
    calendar: WorkingCalendar,
    counted_from: date | None = None,
) -> NoticePeriod:
    """补正期限 from the applicant's receipt of the 补正告知: 条例 art 30 ("合理的补正期限").

    ``reply_by`` is the date counted from ``counted_from`` (by default ``sent_on``: the date the
    office set; after an earlier receipt was recorded, that date of receipt); its length in
    working days (:func:`correction_period_days`) runs again from ``received_on``. Provisional
    (``reply_by`` itself) until the date of receipt is known.
    """
    _check_receipt(NoticeKind.CORRECTION, sent_on, received_on)
    days = correction_period_days(counted_from or sent_on, reply_by, calendar=calendar)
    if received_on is None:
        return NoticePeriod(NoticeKind.CORRECTION, sent_on, None, days, reply_by)
    due = calendar.nth_working_day_after(received_on, days)
    return NoticePeriod(NoticeKind.CORRECTION, sent_on, received_on, days, due)
