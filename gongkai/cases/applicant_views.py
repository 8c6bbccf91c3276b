"""The applicant's side on the officer's case page: the messages sent to the applicant (通知记录,
with a retry button), what the applicant sent online (补正材料, 缴费凭证) and asking for a new
payment proof. Thin views over ``services.applicant``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.cases import services
from gongkai.cases.choices import MessageStatus, ReplyKind
from gongkai.cases.models import ApplicantFile, ApplicantMessage, Case
from gongkai.cases.notifications import mask_recipient
from gongkai.web.access import AGENCY_STAFF, ALL_ROLES, roles
from gongkai.web.auth import staff
from gongkai.web.errors import USER_ERRORS, show_error


def applicant_side(case: Case, user: Any) -> dict[str, Any]:
    """Context for ``cases/_applicant_side.html``."""
    sent = list(case.messages.order_by("-created_at", "-id"))
    for message in sent:
        message.masked = mask_recipient(message.channel, message.recipient)  # type: ignore[attr-defined]
        message.retryable = message.status != MessageStatus.SENT and message.kind != "access_code"  # type: ignore[attr-defined]
    replies = list(case.applicant_replies.prefetch_related("files").order_by("-submitted_at", "-id"))
    open_proof = next(
        (
            r
            for r in replies
            if r.kind == ReplyKind.PAYMENT_PROOF and r.rejected_on is None and r.fee_notice is not None
            and r.fee_notice.paid_on is None
        ),
        None,
    )  # fmt: skip
    return {"applicant_messages": sent, "applicant_replies": replies, "open_proof": open_proof}


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user).select_related("agency"), pk=pk)


@roles(AGENCY_STAFF)
@require_POST
def retry(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    case = _case(request, pk)
    message = get_object_or_404(ApplicantMessage.objects.select_related("case__agency"), pk=message_pk, case=case)
    try:
        services.retry_message(actor=staff(request), message=message)
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        message.refresh_from_db()
        if message.status == MessageStatus.SENT:
            messages.success(request, "通知已重新发送。")
        else:
            messages.error(request, f"重新发送失败：{message.last_error}")
    return redirect("cases:detail", pk=case.pk)


@roles(AGENCY_STAFF)
@require_POST
def ask_new_proof(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    try:
        services.request_new_payment_proof(
            actor=staff(request),
            case=case,
            reason=request.POST.get("reason", "")[:200],
            today=clock.today(),
        )
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已请申请人重新上传缴费凭证。")
    return redirect("cases:detail", pk=case.pk)


@roles(ALL_ROLES)
def reply_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    case = _case(request, pk)
    item = get_object_or_404(ApplicantFile, pk=file_pk, reply__case=case)
    try:
        handle = item.file.open("rb")
    except OSError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=True, filename=item.name)
