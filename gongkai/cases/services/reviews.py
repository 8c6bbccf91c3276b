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
) -> Review:
    """Record a 行政复议 or 行政诉讼 about the agency's 政府信息公开 work (条例 art 51; table 四)."""
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
    )
    record(
        actor=actor,
        action=CaseAudit.REVIEW_RECORDED,
        target=review,
        agency=agency,
        changes={"kind": kind.value, "filed_on": filed, "body": review.body, "case": case},
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
