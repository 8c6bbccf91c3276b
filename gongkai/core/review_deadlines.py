"""The agency's own deadlines in a 行政复议 or 行政诉讼 about its 政府信息公开 work.

Which 行政复议法 applies is decided by the date the 复议 application was made: before
2024-01-01 the 2017 text (2017-09-01 revision), from that day the 2023 revision (in force
2024-01-01; legal spec S16). The two differ in how the 10-day reply period is counted:

* 2017 law art 23 ¶1: the 被申请人 replies in writing, with the evidence, within 十日 of receiving
  the application copy; art 40 makes only the 五日 and 七日 periods working days, so 十日 are
  calendar days under 民事诉讼法's rules on periods.
* 2023 law art 48: the same duty within 十日; art 88 ¶2 makes 三日、五日、七日、十日 working days
  (legal spec §5.1: "三日、五日、七日、十日的规定是指工作日，不含法定休假日"). In the 简易程序,
  which 政府信息公开 cases may use (art 53 ¶1(4)), the reply is due within 五日 (art 54).

The 复议机关's decision period (for the agency's follow-up): 六十日 from acceptance, extendable
once by at most 三十日 (2017 art 31 ¶1; 2023 art 62 ¶1); 三十日 in the 简易程序 (2023 art 62 ¶2).

In a lawsuit the defendant files its defence and evidence within 十五日 of receiving the copy of
the complaint (行政诉讼法 art 67 ¶1).

Calendar-day periods follow 民事诉讼法 on periods (行政诉讼法 art 101; 行政复议法 2017 art 40,
2023 art 88 ¶1): the start day is not counted, and a period whose last day is a 法定休假日 ends on
the first working day after it (民事诉讼法 2021 art 85 ¶2, ¶3 [D: weekends count as 休假日, as
courts apply it]).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gongkai.core.calendar import WorkingCalendar, with_assumed_years
from gongkai.core.outcomes import REVIEW_FIRST_FROM, Outcome, requires_review_first_notice
from gongkai.core.report.taxonomy import ReviewKind

#: The 2023 行政复议法 is in force from this day (legal spec S16, R16).
REVIEW_LAW_2023_FROM = date(2024, 1, 1)


class ReviewLaw(StrEnum):
    """The text of the 行政复议法 that governs a 复议."""

    L2017 = "2017"
    L2023 = "2023"

    @property
    def label(self) -> str:
        return "《行政复议法》（2017年修正）" if self is ReviewLaw.L2017 else "《行政复议法》（2023年修订）"


def review_law(filed_on: date) -> ReviewLaw:
    """The 行政复议法 governing an application made on ``filed_on`` (2023 revision from 2024-01-01)."""
    return ReviewLaw.L2023 if filed_on >= REVIEW_LAW_2023_FROM else ReviewLaw.L2017


class ReviewDeadlineKind(StrEnum):
    """Which duty a deadline is about."""

    REPLY = "reply"  # 书面答复 and evidence to the 复议机关
    DECISION = "decision"  # the 复议机关's own decision (follow-up only)
    DEFENCE = "defence"  # 答辩状 and evidence to the court

    @property
    def label(self) -> str:
        return REVIEW_DEADLINE_LABELS[self]


REVIEW_DEADLINE_LABELS: dict[ReviewDeadlineKind, str] = {
    ReviewDeadlineKind.REPLY: "提出书面答复并提交证据、依据",
    ReviewDeadlineKind.DECISION: "复议机关作出复议决定（跟进）",
    ReviewDeadlineKind.DEFENCE: "提交答辩状及证据、规范性文件",
}


@dataclass(frozen=True, slots=True)
class ReviewDeadline:
    """One due date, with the provision and how it was counted."""

    kind: ReviewDeadlineKind
    start: date
    due_on: date
    basis: str
    counting: str
    provisional: bool = False  # counted over a year whose holiday notice is not loaded

    @property
    def is_own_duty(self) -> bool:
        """The agency's own duty (reply, defence), not the body's decision it follows up."""
        return self.kind is not ReviewDeadlineKind.DECISION


def calendar_period_end(start: date, days: int, calendar: WorkingCalendar) -> date:
    """The end of a period of ``days`` calendar days from ``start``: 民事诉讼法 (2021) art 85 ¶2, ¶3.

    The start day is not counted; a last day that is not a working day moves to the first working
    day after it (行政诉讼法 art 101; 行政复议法 2017 art 40, 2023 art 88 ¶1).
    """
    end = start + timedelta(days=days)
    while not calendar.is_working_day(end):
        end += timedelta(days=1)
    return end


def _counted(compute: Callable[[WorkingCalendar], date], calendar: WorkingCalendar) -> tuple[date, bool]:
    day, assumed = with_assumed_years(calendar, compute)
    return day, bool(assumed)


def reply_deadline(
    received_copy_on: date, *, law: ReviewLaw, calendar: WorkingCalendar, simplified: bool = False
) -> ReviewDeadline:
    """The written reply and evidence: 行政复议法 2017 art 23 ¶1 (十日, calendar days, art 40);
    2023 art 48 (十日) or art 54 (简易程序 五日), working days (art 88 ¶2)."""
    if law is ReviewLaw.L2017:
        due, provisional = _counted(lambda c: calendar_period_end(received_copy_on, 10, c), calendar)
        return ReviewDeadline(
            ReviewDeadlineKind.REPLY,
            received_copy_on,
            due,
            "《行政复议法》（2017年修正）第二十三条第一款",
            "收到申请书副本之日起十日（自然日，第四十条；末日为休假日的顺延）",
            provisional,
        )
    days, article = (5, "第五十四条") if simplified else (10, "第四十八条")
    due, provisional = _counted(lambda c: c.nth_working_day_after(received_copy_on, days), calendar)
    return ReviewDeadline(
        ReviewDeadlineKind.REPLY,
        received_copy_on,
        due,
        f"《行政复议法》（2023年修订）{article}",
        f"收到申请书副本之日起{'五' if simplified else '十'}个工作日（第八十八条第二款）",
        provisional,
    )


def decision_deadline(
    accepted_on: date, *, law: ReviewLaw, calendar: WorkingCalendar, extended: bool = False, simplified: bool = False
) -> ReviewDeadline:
    """The 复议机关's decision period: 2017 art 31 ¶1 (六十日, extension ≤ 三十日); 2023 art 62 ¶1
    (六十日, extension ≤ 三十日) or ¶2 (简易程序 三十日, no extension). Calendar days."""
    if law is ReviewLaw.L2023 and simplified:
        days, basis, counting = 30, "《行政复议法》（2023年修订）第六十二条第二款", "受理之日起三十日（简易程序）"
    else:
        article = "第三十一条第一款" if law is ReviewLaw.L2017 else "第六十二条第一款"
        days = 90 if extended else 60
        basis = f"{law.label}{article}"
        counting = "受理之日起六十日，经批准延长三十日" if extended else "受理之日起六十日"
    due, provisional = _counted(lambda c: calendar_period_end(accepted_on, days, c), calendar)
    return ReviewDeadline(ReviewDeadlineKind.DECISION, accepted_on, due, basis, counting, provisional)


def defence_deadline(received_complaint_on: date, *, calendar: WorkingCalendar) -> ReviewDeadline:
    """The defence and evidence: 十五日 from receiving the complaint copy (行政诉讼法 art 67 ¶1), calendar days."""
    due, provisional = _counted(lambda c: calendar_period_end(received_complaint_on, 15, c), calendar)
    return ReviewDeadline(
        ReviewDeadlineKind.DEFENCE,
        received_complaint_on,
        due,
        "《行政诉讼法》第六十七条第一款",
        "收到起诉状副本之日起十五日（自然日，第一百零一条；末日为休假日的顺延）",
        provisional,
    )


def review_deadlines(
    *,
    kind: ReviewKind,
    filed_on: date,
    calendar: WorkingCalendar,
    copy_received_on: date | None = None,
    accepted_on: date | None = None,
    extended: bool = False,
    simplified: bool = False,
) -> tuple[ReviewDeadline, ...]:
    """The deadlines that the recorded dates start, in date order.

    A 复议: the reply (from ``copy_received_on``) and the decision (from ``accepted_on``), under
    the law of ``filed_on`` (:func:`review_law`). A lawsuit, direct or after 复议: the defence
    (from ``copy_received_on``, the complaint copy). A date not yet recorded starts nothing.
    """
    found: list[ReviewDeadline] = []
    if kind is ReviewKind.RECONSIDERATION:
        law = review_law(filed_on)
        if copy_received_on is not None:
            found.append(reply_deadline(copy_received_on, law=law, calendar=calendar, simplified=simplified))
        if accepted_on is not None:
            found.append(
                decision_deadline(accepted_on, law=law, calendar=calendar, extended=extended, simplified=simplified)
            )
    elif copy_received_on is not None:
        found.append(defence_deadline(copy_received_on, calendar=calendar))
    return tuple(sorted(found, key=lambda d: d.due_on))


def review_first_warning(kind: ReviewKind, outcome: Outcome | None, decided_on: date | None) -> str:
    """The warning for a direct lawsuit against a 不予公开 decided from 2024-01-01, else "".

    行政复议法 (2023) art 23 ¶1(4): where an agency refused disclosure, the applicant must first
    apply for 行政复议 and may sue only after the 复议 decision (legal spec R16).
    """
    if kind is not ReviewKind.LITIGATION_DIRECT or outcome is None or decided_on is None:
        return ""
    if not requires_review_first_notice(outcome, decided_on):
        return ""
    return (
        f"该案于{decided_on.year}年{decided_on.month}月{decided_on.day}日作出“{outcome.full_label}”的答复，"
        f"属于{REVIEW_FIRST_FROM.year}年1月1日起"
        "“申请政府信息公开，行政机关不予公开”的情形：依《中华人民共和国行政复议法》（2023年修订）"
        "第二十三条第一款第（四）项，应当先申请行政复议，对复议决定不服的再提起诉讼（复议前置）。"
        "请核实原告是否已经复议，必要时在答辩中提出。"
    )
