"""转办 and 告知 of an application that another agency is responsible for: 条例 art 36(5).

Art 36(5): "所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该
政府信息的行政机关的，告知申请人该行政机关的名称、联系方式". The sending agency *answers* with
that 告知: its case closes with the table 三 row （四）1 "本机关不掌握相关政府信息" (legal spec
§1.3 maps both 36(4) and 36(5) there; §6 item 5 notes the mapping is practice [D]).

Where the responsible agency works on this system the application is also forwarded (转办): it
arrives there as a new case. The 条例 has no provision that carries the sending agency's time over:
art 33 ¶2 counts the 20 working days "自收到申请之日起" for the agency that answers, and art 31
fixes that day by how *that* agency received the application. The receiving agency receives it on
the day the transfer reaches it, so its clock runs from the transfer day; the original receipt
date travels with the case (shown on the case, the timeline and the applicant's tracking page) so
that nobody loses sight of how long the applicant has waited. (Art 41 ¶1's 转送 for 更正 requests
sets no time either.) Counting from the original receipt instead would leave the receiving agency
days it never had and is not what art 33 ¶2 says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gongkai.core.errors import GongkaiError
from gongkai.core.outcomes import Outcome

#: The table 三 row of a 36(5) 告知 (legal spec §1.3: （四）1 "本机关不掌握相关政府信息").
TRANSFER_OUTCOME = Outcome.UNAVAILABLE_NOT_HELD
#: The provision the sending side's letter cites.
TRANSFER_BASIS = "条例第三十六条第（五）项"


class TransferRefused(GongkaiError):
    """A 转办/告知 that the 条例 or the system cannot carry out; the message names the field."""


@dataclass(frozen=True, slots=True)
class TransferPlan:
    """What a checked transfer does.

    ``outcome``: the sending case's table 三 row; ``receiving_received_on``: the receipt date of the
    receiving case (None when the agency is not on the system: no case is made there);
    ``original_received_on``: carried over for the record.
    """

    outcome: Outcome
    original_received_on: date
    transferred_on: date
    receiving_received_on: date | None
    agency_name: str
    agency_contact: str
    reason: str

    @property
    def creates_case(self) -> bool:
        return self.receiving_received_on is not None


def plan_transfer(
    *,
    original_received_on: date | None,
    transferred_on: date,
    reason: str,
    agency_name: str,
    agency_contact: str,
    on_system: bool,
    same_agency: bool = False,
) -> TransferPlan:
    """Check a 转办/告知 and decide its effects: 条例 arts 31, 33 ¶2, 36(5).

    Refused (:class:`TransferRefused`): an application whose receipt date is not fixed yet (art 31:
    nothing to answer yet); a transfer dated before the receipt; no reason (art 36(5) "说明理由");
    no agency name or contact (art 36(5) "名称、联系方式" — the system only transfers where the
    responsible agency is known); a transfer to the sending agency itself.
    """
    if original_received_on is None:
        raise TransferRefused("尚未确定收到申请之日（条例第三十一条），不能转办或告知")
    if transferred_on < original_received_on:
        raise TransferRefused(
            f"转办日期 {transferred_on.isoformat()} 早于收到申请之日 {original_received_on.isoformat()}"
        )
    if not reason.strip():
        raise TransferRefused("请填写“不属于本机关负责公开的理由”（条例第三十六条第（五）项：告知申请人并说明理由）")
    if not agency_name.strip():
        raise TransferRefused("请填写“负责公开的行政机关”的名称（条例第三十六条第（五）项）")
    if not agency_contact.strip():
        raise TransferRefused("请填写“负责公开的行政机关”的联系方式（条例第三十六条第（五）项）")
    if same_agency:
        raise TransferRefused("不能转办给本机关")
    return TransferPlan(
        outcome=TRANSFER_OUTCOME,
        original_received_on=original_received_on,
        transferred_on=transferred_on,
        receiving_received_on=transferred_on if on_system else None,
        agency_name=agency_name.strip(),
        agency_contact=agency_contact.strip(),
        reason=reason.strip(),
    )


def waited_note(original_received_on: date, receiving_received_on: date, from_agency: str) -> str:
    """The line the receiving case shows: when the applicant first applied, and where (条例 art 36(5))."""
    return (
        f"申请人于{_cn(original_received_on)}向{from_agency}提出申请，"
        f"{_cn(receiving_received_on)}转送本机关；答复期限自本机关收到之日起计算（条例第三十一条、第三十三条第二款）"
    )


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
