"""The day the agency received an application: 条例 art 31 (spec R2, R3).

Re-exported by :mod:`gongkai.core.deadlines`, where the answer period it starts is counted.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from gongkai.core.errors import DeadlineError


class Channel(StrEnum):
    """How an application reached the agency: 条例 arts 29, 31 (spec R2, R3)."""

    IN_PERSON = "in_person"  # 当面提交
    ORAL = "oral"  # 口头提出，由工作机构代为填写 (art 29 ¶1); received when filled in [D]
    POST_SIGNED = "post_signed"  # 邮寄，需签收
    POST_UNSIGNED = "post_unsigned"  # 平常信函等无需签收的邮寄
    INTERNET = "internet"  # 互联网渠道
    FAX = "fax"  # 传真

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]

    @property
    def needs_confirmation(self) -> bool:
        """Whether the receipt date is a confirmation with the applicant: 条例 art 31(2)(3)."""
        return self in (Channel.POST_UNSIGNED, Channel.INTERNET, Channel.FAX)


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.IN_PERSON: "当面提交",
    Channel.ORAL: "口头提出（代为填写）",
    Channel.POST_SIGNED: "邮寄（签收）",
    Channel.POST_UNSIGNED: "平常信函",
    Channel.INTERNET: "互联网",
    Channel.FAX: "传真",
}


def receipt_date(
    channel: Channel,
    *,
    submitted_on: date | None = None,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """The date the agency received the application: 条例 art 31.

    当面 (and 口头) → the day submitted (31(1)); 邮寄签收 → the day signed for (31(2));
    平常信函 → the day of confirmation with the applicant, to be attempted on the day the letter
    arrives (31(2)); 互联网/传真 → the day both sides confirmed (31(3)).
    """
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        what, value = "提交日期", submitted_on
    elif channel is Channel.POST_SIGNED:
        what, value = "签收日期", signed_on
    else:
        what, value = "确认日期", confirmed_on
    if value is None:
        raise DeadlineError(f"{channel.label}的申请需要{what}才能确定收到申请之日（条例第三十一条）")
    if submitted_on is not None and value < submitted_on:
        raise DeadlineError(f"{what} {value.isoformat()} 早于提交日期 {submitted_on.isoformat()}")
    return value
