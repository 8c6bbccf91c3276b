"""行政复议 and 行政诉讼 about the agency's 政府信息公开 work (条例 art 51; table 四)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.accounts.scoping import can_write
from gongkai.audit.services import record
from gongkai.cases.choices import CaseNote
from gongkai.cases.errors import CaseInputError
from gongkai.cases.models import Case, Review
from gongkai.cases.services._machinery import CaseAudit, checked_day, log_event, require_writer
from gongkai.core.report.taxonomy import ReviewKind, ReviewResult
from gongkai.core.review_deadlines import ReviewLaw, review_law

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


@transaction.atomic
def record_review(
    *,
    actor: User,
    kind: ReviewKind | str,
    filed_on: dt.date,
    body: str,
    today: dt.date,
    case: Case | None = None,
    agency: Agency | None = None,
    case_number: str = "",
    applicant_name: str = "",
    subject: str = "",
    copy_received_on: dt.date | None = None,
    accepted_on: dt.date | None = None,
    simplified: bool = False,
) -> Review:
    """Record a 行政复议 or 行政诉讼 about the agency's 政府信息公开 work (条例 art 51; table 四).

    ``copy_received_on`` (the 复议 application copy or the complaint copy) and ``accepted_on``
    start the agency's deadlines (:mod:`gongkai.core.review_deadlines`); they may also be
    recorded later with :func:`record_review_dates`.
    """
    if case is not None:
        require_writer(actor, case)
        agency = case.agency
    agency = agency or (actor.agency if actor is not None else None)
    if agency is None or not can_write(actor, agency):
        raise PermissionDenied("只有本机关工作人员可以登记行政复议、行政诉讼")
    filed = checked_day(filed_on, today, "申请／起诉日期")
    if not body.strip():
        raise CaseInputError("请写明复议机关或法院")
    kind = ReviewKind(kind)
    dates = _checked_dates(
        kind=kind, filed=filed, today=today, copy_received_on=copy_received_on, accepted_on=accepted_on
    )
    if simplified and review_law(filed) is not ReviewLaw.L2023:
        raise CaseInputError("简易程序：2024年1月1日前申请的行政复议适用2017年《行政复议法》，没有简易程序")
    review = Review.objects.create(
        agency=agency,
        case=case,
        kind=kind.value,
        filed_on=filed,
        body=body.strip(),
        case_number=case_number.strip(),
        applicant_name=applicant_name.strip() or (case.applicant_name if case else ""),
        subject=subject,
        recorded_by=actor,
        simplified=simplified and kind is ReviewKind.RECONSIDERATION,
        **dates,
    )
    record(
        actor=actor,
        action=CaseAudit.REVIEW_RECORDED,
        target=review,
        agency=agency,
        changes={"kind": kind.value, "filed_on": filed, "body": review.body, "case": case, **dates},
    )
    if case is not None:
        log_event(
            case,
            kind=CaseNote.REVIEW_RECORDED,
            on=filed,
            actor=actor,
            payload={"类别": kind.label, "机关": review.body, "案号": review.case_number},
        )
    return review


@transaction.atomic
def conclude_review(
    *, actor: User, review: Review, result: ReviewResult | str, concluded_on: dt.date, today: dt.date, note: str = ""
) -> Review:
    """The review or lawsuit ended: 维持 / 纠正 / 其他 (table 四)."""
    if not can_write(actor, review.agency) or not Review.objects.visible_to(actor).filter(pk=review.pk).exists():
        raise PermissionDenied("只有本机关工作人员可以登记复议、诉讼结果")
    locked = Review.objects.select_for_update().get(pk=review.pk)
    result = ReviewResult(result)
    if result is ReviewResult.PENDING:
        raise CaseInputError("请选择审结结果（维持、纠正或其他）")
    if locked.result != ReviewResult.PENDING:
        raise CaseInputError(f"该{locked.get_kind_display()}已于 {locked.concluded_on} 审结")
    day = checked_day(concluded_on, today, "审结日期")
    if day < locked.filed_on:
        raise CaseInputError(f"审结日期 {day.isoformat()} 早于申请／起诉日期 {locked.filed_on.isoformat()}")
    locked.result, locked.concluded_on, locked.result_note = result.value, day, note
    locked.save(update_fields=["result", "concluded_on", "result_note"])
    record(
        actor=actor,
        action=CaseAudit.REVIEW_CONCLUDED,
        target=locked,
        agency=locked.agency,
        changes={"result": result.value, "concluded_on": day},
        note=note,
    )
    if locked.case is not None:
        log_event(
            locked.case,
            kind=CaseNote.REVIEW_CONCLUDED,
            on=day,
            actor=actor,
            payload={"类别": ReviewKind(locked.kind).label, "结果": result.label},
            note=note,
        )
    return locked


def _checked_dates(
    *,
    kind: ReviewKind,
    filed: dt.date,
    today: dt.date,
    copy_received_on: dt.date | None,
    accepted_on: dt.date | None,
) -> dict[str, dt.date | None]:
    """The deadline-starting dates, each on or after the filing day and not after today."""
    out: dict[str, dt.date | None] = {"copy_received_on": None, "accepted_on": None}
    if copy_received_on is not None:
        what = "收到申请书副本日期" if kind is ReviewKind.RECONSIDERATION else "收到起诉状副本日期"
        day = checked_day(copy_received_on, today, what)
        if day < filed:
            raise CaseInputError(f"{what} {day.isoformat()} 早于申请／起诉日期 {filed.isoformat()}")
        out["copy_received_on"] = day
    if accepted_on is not None:
        if kind is not ReviewKind.RECONSIDERATION:
            raise CaseInputError("复议受理日期只适用于行政复议")
        day = checked_day(accepted_on, today, "复议受理日期")
        if day < filed:
            raise CaseInputError(f"复议受理日期 {day.isoformat()} 早于申请日期 {filed.isoformat()}")
        out["accepted_on"] = day
    return out


@transaction.atomic
def record_review_dates(
    *,
    actor: User,
    review: Review,
    today: dt.date,
    copy_received_on: dt.date | None = None,
    accepted_on: dt.date | None = None,
    decision_extended: bool = False,
    simplified: bool = False,
    answered_on: dt.date | None = None,
) -> Review:
    """Record the dates that start and end the agency's deadlines in a 复议 or lawsuit.

    行政复议法 (2017) arts 23, 31; (2023) arts 48, 54, 62; 行政诉讼法 art 67 (computed by
    :mod:`gongkai.core.review_deadlines`). ``answered_on`` is the day the written reply or the
    defence was submitted: the agency's own deadline is then met and leaves the desk.
    """
    if not can_write(actor, review.agency) or not Review.objects.visible_to(actor).filter(pk=review.pk).exists():
        raise PermissionDenied("只有本机关工作人员可以登记复议、诉讼的期限日期")
    locked = Review.objects.select_for_update().get(pk=review.pk)
    kind = ReviewKind(locked.kind)
    dates = _checked_dates(
        kind=kind, filed=locked.filed_on, today=today, copy_received_on=copy_received_on, accepted_on=accepted_on
    )
    if simplified and (kind is not ReviewKind.RECONSIDERATION or review_law(locked.filed_on) is not ReviewLaw.L2023):
        raise CaseInputError("简易程序只适用于2024年1月1日以后申请的行政复议（《行政复议法》（2023年修订）第五十三条）")
    if decision_extended and kind is not ReviewKind.RECONSIDERATION:
        raise CaseInputError("延长审理期限只适用于行政复议")
    answered = None
    if answered_on is not None:
        answered = checked_day(answered_on, today, "提交书面答复／答辩状日期")
        start = dates["copy_received_on"]
        if start is None:
            raise CaseInputError("请先填写收到申请书／起诉状副本的日期，再登记提交答复／答辩的日期")
        if answered < start:
            raise CaseInputError(f"提交答复／答辩日期 {answered.isoformat()} 早于收到副本日期 {start.isoformat()}")
    before = {
        "copy_received_on": locked.copy_received_on,
        "accepted_on": locked.accepted_on,
        "decision_extended": locked.decision_extended,
        "simplified": locked.simplified,
        "answered_on": locked.answered_on,
    }
    after = {**dates, "decision_extended": decision_extended, "simplified": simplified, "answered_on": answered}
    changes = {key: [before[key], value] for key, value in after.items() if before[key] != value}
    if not changes:
        return locked
    for key, value in after.items():
        setattr(locked, key, value)
    locked.save(update_fields=list(after))
    record(actor=actor, action=CaseAudit.REVIEW_DATES_RECORDED, target=locked, agency=locked.agency, changes=changes)
    return locked
