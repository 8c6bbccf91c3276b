"""The 送达 of a 补正告知 or 收费通知 moves the applicant's period: it runs from their receipt.

条例 art 30 (补正期限) and 国办函〔2020〕109号 (缴费期限, "收到收费通知次日起20个工作日内"): the
rules are ``gongkai.core.notice_periods``. The letters app calls :func:`record_notice_receipt`
when a 送达 record gives a letter its (first) date of receipt, in the same transaction as the
送达 record; until then the period shown is provisional, counted from the day of sending.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from gongkai.cases.choices import CaseNote
from gongkai.cases.models import Case, FeeNotice
from gongkai.cases.services._machinery import SYSTEM_ACTOR_NAME, apply_change, lock_case, lock_for_applicant
from gongkai.core.calendar import with_assumed_years
from gongkai.core.case_flow import Status
from gongkai.core.errors import DeadlineError
from gongkai.core.notice_periods import NoticeKind, NoticePeriod, correction_period, fee_payment_period
from gongkai.workcalendar.provider import working_calendar

if TYPE_CHECKING:
    from gongkai.accounts.models import User

APPLICANT_DOWNLOAD_NAME = "申请人（下载文书）"


def correction_period_of(case: Case) -> NoticePeriod | None:
    """The case's 补正期限 with whether it is provisional and why (条例 art 30); None without one."""
    if case.correction_requested_on is None or case.correction_reply_by is None:
        return None
    sent, reply_by, served = case.correction_requested_on, case.correction_reply_by, case.correction_served_on
    return with_assumed_years(
        working_calendar(), lambda c: correction_period(sent, reply_by, served, calendar=c, counted_from=served)
    )[0]


def fee_period_of(notice: FeeNotice) -> NoticePeriod:
    """A 收费通知's 缴费期限, from its date of receipt once known (国办函〔2020〕109号)."""
    sent, served = notice.notified_on, notice.served_on
    return with_assumed_years(working_calendar(), lambda c: fee_payment_period(sent, served, calendar=c))[0]


def _lock(actor: User | None, case: Case) -> Case:
    """The applicant's own download has no staff actor; an officer's 送达 record has one."""
    if actor is None:
        return lock_for_applicant(case)
    # A consequence of the 送达 record, not an edit of what the officer saw: no stale-version check.
    current = Case.objects.filter(pk=case.pk).values_list("version", flat=True).get()
    return lock_case(actor, case, current)


def _correction_changes(case: Case, received_on: dt.date) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if case.correction_requested_on is None:
        return None  # a 补正告知 letter without the case step: no period to move
    if case.correction_served_on is not None and case.correction_served_on <= received_on:
        return None  # the first receipt counts
    if received_on < case.correction_requested_on:
        raise DeadlineError(
            f"案件 {case.number}：补正告知的送达日期 {received_on.isoformat()} 早于补正告知日 "
            f"{case.correction_requested_on.isoformat()}"
        )
    changes: dict[str, Any] = {"correction_served_on": received_on}
    payload: dict[str, Any] = {"通知": NoticeKind.CORRECTION.label, "申请人收到之日": received_on}
    still_open = case.status == Status.AWAITING_CORRECTION and case.correction_received_on is None
    if case.correction_reply_by is not None and still_open:
        anchor = case.correction_served_on or case.correction_requested_on
        sent, reply_by = case.correction_requested_on, case.correction_reply_by
        period = with_assumed_years(
            working_calendar(),
            lambda c: correction_period(sent, reply_by, received_on, calendar=c, counted_from=anchor),
        )[0]
        changes["correction_reply_by"] = period.due_on
        payload.update({"补正期限": period.due_on, "原补正期限": reply_by, "工作日": period.days})
    return changes, payload


def _fee_payload(case: Case, received_on: dt.date) -> dict[str, Any] | None:
    notice = (
        FeeNotice.objects.select_for_update()
        .filter(case=case, notified_on__lte=received_on)
        .order_by("-notified_on", "-id")
        .first()
    )
    if notice is None:
        return None  # a 收费通知 letter without the case step (or received before it was sent)
    if notice.served_on is not None and notice.served_on <= received_on:
        return None  # the first receipt counts
    period = fee_period_of(FeeNotice(notified_on=notice.notified_on, served_on=received_on))
    payload: dict[str, Any] = {"通知": NoticeKind.FEE.label, "申请人收到之日": received_on}
    notice.served_on = received_on
    fields = ["served_on"]
    if notice.paid_on is None and notice.lapsed_on is None:
        payload.update({"缴费期限": period.due_on, "原缴费期限": notice.payment_due_on})
        notice.payment_due_on = period.due_on
        fields.append("payment_due_on")
    notice.save(update_fields=fields)
    return payload


@transaction.atomic
def record_notice_receipt(
    *, actor: User | None, case: Case, kind: NoticeKind | str, received_on: dt.date, today: dt.date
) -> Case | None:
    """The applicant received the 补正告知 / 收费通知 on ``received_on``: move the period to run
    from that day (条例 art 30; 国办函〔2020〕109号), with a timeline entry and an audit row.

    The first date of receipt counts: a later one changes nothing (None is returned). ``actor``
    is the officer who recorded the 送达, or None for the applicant's own download.
    """
    kind = NoticeKind(kind)
    locked = _lock(actor, case)
    if kind is NoticeKind.CORRECTION:
        found = _correction_changes(locked, received_on)
        if found is None:
            return None
        changes, payload = found
    else:
        fee_payload = _fee_payload(locked, received_on)
        if fee_payload is None:
            return None
        changes, payload = {}, fee_payload
    return apply_change(
        locked,
        actor=actor,
        kind=CaseNote.NOTICE_SERVED,
        on=received_on,
        today=today,
        changes=changes,
        payload=payload,
        actor_name=APPLICANT_DOWNLOAD_NAME if actor is None else SYSTEM_ACTOR_NAME,
    )
