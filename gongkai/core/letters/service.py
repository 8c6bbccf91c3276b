"""送达: how a letter reached the applicant, and when it counts as received.

The 条例 says that the agency 告知/答复 the applicant (arts 30, 33, 36) and that the fee period runs
from the applicant's receipt of the 收费通知 (spec §2.4: "收到收费通知次日起20个工作日内"), but
neither the 条例 nor the legal spec (``shared/spec/legal-spec.md``) sets rules of 送达: no list of
methods, no deemed-receipt rule for 邮寄 or 公告. So nothing here presumes a date of receipt:

* 邮寄 and 直接送达: the officer enters the date the applicant signed for the letter (the EMS
  delivery record or the 送达回证), and keeps the proof.
* 电子送达: only with the applicant's consent; received when the applicant downloads the letter
  from the tracking page (the system writes that record, with time and address) or on the date
  the officer enters from another delivery record.
* 公告: the officer enters the date the notice counts as served. Courts apply the 民事诉讼法
  (art 95: 公告送达 deemed served 30 days after publication) by analogy in administrative cases;
  that is a legal-review item [U], so no date is computed.

The methods mirror those the 民事诉讼法 (arts 87–95) and 行政复议法 practice name; the choice of a
method is the agency's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gongkai.core.calendar import WorkingCalendar
from gongkai.core.letters.errors import LetterError

#: Working days after the 成文日期 after which an unserved letter is shown on the desk by default.
DEFAULT_UNSERVED_ALERT_DAYS = 3


class ServiceError(LetterError):
    """A 送达 record that cannot be kept as entered (a missing EMS number, a date out of order)."""


class ServiceMethod(StrEnum):
    """送达方式 of a letter (not ``cases.choices.DeliveryMethod``: how information is provided)."""

    ELECTRONIC = "electronic"  # 电子送达 (with the applicant's consent)
    POST = "post"  # 邮寄送达 (EMS)
    DIRECT = "direct"  # 直接送达 (signed for in person)
    PUBLIC_NOTICE = "public_notice"  # 公告送达

    @property
    def label(self) -> str:
        return SERVICE_METHOD_LABELS[self]


SERVICE_METHOD_LABELS: dict[ServiceMethod, str] = {
    ServiceMethod.ELECTRONIC: "电子送达",
    ServiceMethod.POST: "邮寄送达",
    ServiceMethod.DIRECT: "直接送达",
    ServiceMethod.PUBLIC_NOTICE: "公告送达",
}


class ServiceState(StrEnum):
    """Where a letter stands: not sent, sent but not yet received, served."""

    NOT_SENT = "not_sent"
    SENT = "sent"
    SERVED = "served"

    @property
    def label(self) -> str:
        return SERVICE_STATE_LABELS[self]


SERVICE_STATE_LABELS: dict[ServiceState, str] = {
    ServiceState.NOT_SENT: "未发出",
    ServiceState.SENT: "已发出未送达",
    ServiceState.SERVED: "已送达",
}


@dataclass(frozen=True, slots=True)
class ServiceRecord:
    """What an officer entered about one 送达 of a letter issued on ``issued_on``."""

    method: ServiceMethod
    issued_on: date
    sent_on: date
    received_on: date | None = None
    tracking_number: str = ""
    consent: bool = False


def check_service(record: ServiceRecord, *, today: date, place: str) -> None:
    """Refuse a 送达 record that cannot be true; ``place`` names the letter in the message.

    The letter cannot be sent before its 成文日期 nor received before it was sent, and neither
    date lies in the future; 邮寄 needs the EMS number (the only delivery record of a post);
    电子送达 needs the applicant's consent (no rule of the 条例 lets an agency impose it).
    """
    if record.sent_on < record.issued_on:
        raise ServiceError(
            f"{place}：发出日期 {record.sent_on.isoformat()} 早于成文日期 {record.issued_on.isoformat()}"
        )
    if record.sent_on > today:
        raise ServiceError(f"{place}：发出日期 {record.sent_on.isoformat()} 晚于今天")
    if record.received_on is not None:
        if record.received_on < record.sent_on:
            raise ServiceError(
                f"{place}：送达日期 {record.received_on.isoformat()} 早于发出日期 {record.sent_on.isoformat()}"
            )
        if record.received_on > today:
            raise ServiceError(f"{place}：送达日期 {record.received_on.isoformat()} 晚于今天")
    if record.method is ServiceMethod.POST and not record.tracking_number.strip():
        raise ServiceError(f"{place}：邮寄送达须填写邮件号码（EMS单号）")
    if record.method is ServiceMethod.ELECTRONIC and not record.consent:
        raise ServiceError(f"{place}：电子送达须经申请人同意")


def service_state(*, sent: bool, served: bool) -> ServiceState:
    """The letter's state from its records: served once any record has a date of receipt."""
    if served:
        return ServiceState.SERVED
    return ServiceState.SENT if sent else ServiceState.NOT_SENT


def unserved_alert_cutoff(today: date, days: int, calendar: WorkingCalendar) -> date:
    """The last 成文日期 of a letter that has waited more than ``days`` working days on ``today``.

    A letter issued on D has waited the working days in (D, today]; it is shown when that count
    exceeds ``days``. A working-calendar rule of this system (spec §5.2 counting), not of the 条例.
    """
    if days < 0:
        raise ServiceError(f"未送达提醒的工作日数不能为负数：{days}")
    counted = 0
    day = today
    while True:
        if calendar.is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
        if counted > days:
            return day
