"""Which 条例 sets an application's answer period: the 2019 text from 2019-05-15, the 2008 text before.

The 2019 revision (国务院令第711号, in force 2019-05-15; legal spec S1) art 33 ¶2: 20 working days,
extendable by at most 20. The 2008 text (国务院令第492号, in force 2008-05-01) art 24 ¶2: 15 working
days, extendable by at most 15, with the 负责人's consent and notice to the applicant; its art 24 ¶3
already left the time of consulting a third party out of the count. It has no 7-working-day 补正
notice period (the 2019 art 30): art 21(4) only says an unclear application is returned for
更改、补充. An application is governed by the text in force on the day it was received.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: The 2019 条例 is in force from this day.
REGULATION_2019_FROM = date(2019, 5, 15)


@dataclass(frozen=True, slots=True)
class AnswerPeriods:
    """The answer period and the longest extension, in working days, and their provisions."""

    base_days: int
    max_extension_days: int
    basis: str  # "条例第三十三条第二款"
    has_correction_notice_period: bool  # the 7-working-day 补正 notice (2019 art 30)

    @property
    def short(self) -> str:
        """How the explanation names the text: "条例" or "2008年条例"."""
        return "2008年条例" if self is PERIODS_2008 else "条例"


PERIODS_2019 = AnswerPeriods(20, 20, "条例第三十三条第二款", True)
PERIODS_2008 = AnswerPeriods(15, 15, "2008年条例第二十四条第二款", False)


def answer_periods(received_on: date) -> AnswerPeriods:
    """The periods for an application received on ``received_on``: 条例 (2019) art 33 ¶2, or
    (2008) art 24 ¶2 before 2019-05-15."""
    return PERIODS_2019 if received_on >= REGULATION_2019_FROM else PERIODS_2008
