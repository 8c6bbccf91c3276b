"""The applicant's page: a tracked case's timeline, due date and why, what to do now, online
补正 (条例 art 30) and the 信息处理费 (amount, tiers, deadline, how to pay, a payment proof), plus
the second factors of access (a one-time code) and "忘记查询码".

Access: the tracking code with the phone's last 4 digits or a one-time code (``views.track``)
puts the case in the session (``TRACKED_KEY``); the pages here read it from there. Every answer
about codes and contacts is the same whether they exist or not.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import clock
from gongkai.core.case_flow import Status
from gongkai.core.errors import GongkaiError
from gongkai.portal import ratelimit, seams
from gongkai.portal.forms import ForgotForm, ReplyForm, SendCodeForm
from gongkai.publications.attachments import ACCEPT_ATTRIBUTE, KINDS_TEXT, check_file
from gongkai.publications.errors import AttachmentRejected
from gongkai.web.client import client_ip

logger = logging.getLogger(__name__)

TRACKED_KEY = "portal_tracked_case"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SAME_ANSWER_CODE = "如果查询码正确，验证码已发送到申请时预留的手机或邮箱，10分钟内有效。"
SAME_ANSWER_FORGOT = "如果该手机号码或电子邮箱是申请时填写的，我们已把查询码发送给它。请查收短信或邮件。"

#: The timeline in the applicant's words; other entries (分办, internal approvals) are not shown.
TIMELINE_LABELS: dict[str, str] = {
    "submitted_online": "您在网上提交了申请",
    "registered": "申请已登记",
    "confirm_receipt": "确认收到申请，答复期限自此日起计算",
    "accept": "开始办理",
    "answer_on_the_spot": "当场答复",
    "request_correction": "告知您补正申请",
    "receive_correction": "收到补正，答复期限自此日起重新计算",
    "correction_overdue": "逾期未补正，视为放弃申请",
    "start_consultation": "征求第三方或其他机关意见（期间不计入答复期限）",
    "end_consultation": "征求意见结束",
    "extension_notified": "告知您延长答复期限",
    "send_fee_notice": "发出信息处理费收费通知",
    "notice_served": "登记您收到通知的日期，补正或缴费期限自该日起计算",
    "payment_proof": "您上传了缴费凭证",
    "proof_requested_again": "请您重新上传缴费凭证",
    "receive_payment": "确认收到缴费，继续办理",
    "fee_overdue": "逾期未缴费，视为放弃申请",
    "set_delayed_answer": "因不可抗力等原因延迟答复",
    "answer": "作出答复",
    "withdraw": "申请已撤回",
}


def _fmt(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def timeline(case: Any) -> list[dict[str, Any]]:
    return [
        {"on": e.on, "text": TIMELINE_LABELS[e.kind]}
        for e in case.events.order_by("on", "at", "id")
        if e.kind in TIMELINE_LABELS
    ]


def due_reasons(case: Any) -> list[str]:
    """Why the due date is what it is, in plain words (the core's rules, 条例 arts 30–35)."""
    if case.received_on is None:
        return ["工作人员与您确认收到申请后，答复期限自确认之日起计算（《条例》第三十一条）。"]
    reasons = [f"自收到申请之日（{_fmt(case.received_on)}）起20个工作日内答复（《条例》第三十三条）。"]
    if case.correction_received_on:
        reasons.append(
            f"您补正后，自收到补正之日（{_fmt(case.correction_received_on)}）起重新计算（《条例》第三十条）。"
        )
    elif case.status == Status.AWAITING_CORRECTION:
        reasons.append("等待您补正期间，答复期限暂停；收到补正后重新计算20个工作日（《条例》第三十条）。")
    extension = case.extensions.filter(notified_on__isnull=False).first()
    if extension is not None:
        reasons.append(f"经负责人同意，答复期限延长{extension.days}个工作日（《条例》第三十三条第二款）。")
    if case.consultations.exists():
        reasons.append("征求第三方或其他机关意见所需时间不计算在答复期限内（《条例》第三十三条第三款）。")
    if case.fee_notices.exists():
        reasons.append("自发出收费通知至您缴费期间，答复期限暂停计算。")
    if case.delayed_due_on:
        reasons.append("因不可抗力或其他法定事由延迟答复（《条例》第三十五条）。")
    if case.due_is_provisional and case.due_note:
        reasons.append(f"暂定：{case.due_note}。")
    return reasons


def fee_context(case: Any) -> dict[str, Any]:
    from gongkai.cases.services import fee_period_of

    notices = list(case.fee_notices.prefetch_related("proofs__files").order_by("notified_on", "id"))
    for notice in notices:  # the 缴费期限 and why: from the applicant's receipt, else 暂定
        notice.period = fee_period_of(notice)
    current = next((n for n in notices if n.is_open), None)
    live_proof = None
    if current is not None:
        live_proof = next((p for p in current.proofs.all() if p.rejected_on is None), None)
    rejected = [p for n in notices for p in n.proofs.all() if p.rejected_on is not None]
    return {
        "fee_notices": notices,
        "fee_current": current,
        "fee_live_proof": live_proof,
        "fee_rejected": rejected[-1] if rejected and live_proof is None else None,
        "payment": seams.payment_info(case, current) if current is not None else None,
    }


def applicant_context(case: Any, today: dt.date) -> dict[str, Any]:
    status = Status(case.status)
    past = bool(status is Status.AWAITING_CORRECTION and case.correction_reply_by and today > case.correction_reply_by)
    # The 补正期限 runs from the applicant's receipt (条例 art 30): until a 送达 is recorded it has
    # not been shown to end, so the form stays open past the provisional date.
    correction_late = past and case.correction_served_on is not None
    from gongkai.cases.services import correction_period_of

    return {
        "timeline": timeline(case),
        "correction_period": correction_period_of(case),
        "due_reasons": due_reasons(case),
        "correction_open": status is Status.AWAITING_CORRECTION and not correction_late,
        "correction_late": correction_late,
        "correction_past_provisional": past and not correction_late,
        "fee_pending": status is Status.FEE_PENDING,
        "accept": ACCEPT_ATTRIBUTE,
        "kinds_text": KINDS_TEXT,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "reply_form": ReplyForm(),
        **fee_context(case),
    }


def _tracked(request: HttpRequest) -> Any:
    pk = request.session.get(TRACKED_KEY)
    case = seams.case_by_pk(pk) if pk else None
    if case is None:
        raise PermissionDenied("请先凭查询码查询")
    return case


def case_view(case: Any) -> dict[str, Any]:
    status = Status(case.status)
    return {
        "case": case,
        "status": status,
        "awaiting_confirmation": status is Status.AWAITING_CONFIRMATION,
        "awaiting_correction": status is Status.AWAITING_CORRECTION,
        "closed": status is Status.CLOSED,
        "submitted_on": timezone.localtime(case.submitted_at).date(),
        "letters": seams.applicant_letters(case),
        "transfers": seams.applicant_transfers(case),
    }


def too_many(request: HttpRequest, rule: ratelimit.Limit, what: str) -> HttpResponse:
    return render(
        request,
        "portal/limited.html",
        {"message": f"{what}过于频繁：同一网络地址{rule.window_text}最多{rule.count}次。请稍后再试。"},
        status=429,
    )


def render_case(request: HttpRequest, case: Any, *, status: int = 200, **extra: Any) -> HttpResponse:
    """The applicant's page of ``case`` (the caller has checked access)."""
    context = {**case_view(case), **applicant_context(case, clock.today()), "nav": "track", **extra}
    return render(request, "portal/track_result.html", context, status=status)


@never_cache
def track_case(request: HttpRequest) -> HttpResponse:
    """The tracked case again (after an action, or a reload): from the session."""
    pk = request.session.get(TRACKED_KEY)
    case = seams.case_by_pk(pk) if pk else None
    if case is None:
        return redirect("portal:track")
    return render_case(request, case)


def _uploads(request: HttpRequest) -> list[Any]:
    """The uploaded files, each checked by type (content) and size; AttachmentRejected names one."""
    from gongkai.cases.services import Upload

    uploads = []
    for item in request.FILES.getlist("files"):
        size = item.size or 0
        if size > MAX_UPLOAD_BYTES:
            raise AttachmentRejected(
                f"附件“{item.name}”大小为 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_UPLOAD_BYTES // 1024 // 1024} MB"
            )
        checked = check_file(item.name or "附件", size, item)
        uploads.append(Upload(checked.name, checked.size, checked.kind.content_type, item))
    return uploads


def _reply(request: HttpRequest, submit: Any, done: str, what: str) -> HttpResponse:
    case = _tracked(request)
    ip = client_ip(request)
    rule = ratelimit.limit("track_reply")
    if not ratelimit.hit(rule, ip):
        return render_case(request, case, status=429, reply_error=f"提交过于频繁，请{rule.window_text}后再试。")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return render_case(request, case, status=400, reply_form=form, reply_error=f"{what}有需要修改的地方。")
    try:
        submit(
            case=case,
            text=form.cleaned_data["text"],
            files=_uploads(request),
            today=clock.today(),
            client_ip=ip,
        )
    except (GongkaiError, PermissionDenied) as exc:
        return render_case(request, case, status=400, reply_form=form, reply_error=str(exc))
    messages.success(request, done)
    return redirect("portal:track_case")


@require_POST
def track_correction(request: HttpRequest) -> HttpResponse:
    """The applicant's 补正 (条例 art 30): text and files; its date restarts the 20 working days."""
    from gongkai.cases.services import submit_correction_online

    return _reply(request, submit_correction_online, "补正材料已提交，答复期限自今日起重新计算。", "补正")


@require_POST
def track_proof(request: HttpRequest) -> HttpResponse:
    """A payment proof for the open 收费通知 (one, unless the office asks again)."""
    from gongkai.cases.services import submit_payment_proof

    return _reply(request, submit_payment_proof, "缴费凭证已上传，工作人员确认收款后继续办理。", "缴费凭证")


@never_cache
@require_POST
def track_send_code(request: HttpRequest) -> HttpResponse:
    """Send a one-time code to the contact on record; the same answer whether the code exists."""
    from gongkai.cases.access import issue_access_code
    from gongkai.portal.forms import TrackForm

    ip = client_ip(request)
    rule = ratelimit.limit("track_code")
    form = SendCodeForm(request.POST)
    code = form.data.get("code", "")[:20]
    if not ratelimit.hit(rule, ip):
        return too_many(request, rule, "发送验证码")
    if form.is_valid():
        case = seams.find_case(form.cleaned_data["code"])
        if case is not None:
            try:
                issue_access_code(case, now=clock.now())
            except Exception:  # the answer must not differ; the failure is in the message log
                logger.exception("验证码发送失败")
    track_form = TrackForm(initial={"code": code})
    return render(request, "portal/track.html", {"form": track_form, "nav": "track", "notice": SAME_ANSWER_CODE})


@never_cache
@require_http_methods(["GET", "POST"])
def track_forgot(request: HttpRequest) -> HttpResponse:
    """忘记查询码: the codes go to the phone or e-mail given, only if it is on record; same answer."""
    from gongkai.cases.access import resend_tracking_codes

    if request.method != "POST":
        return render(request, "portal/track_forgot.html", {"form": ForgotForm(), "nav": "track"})
    ip = client_ip(request)
    rule = ratelimit.limit("track_forgot")
    if not ratelimit.hit(rule, ip):
        return too_many(request, rule, "找回查询码")
    form = ForgotForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track_forgot.html", {"form": form, "nav": "track"}, status=400)
    try:
        resend_tracking_codes(form.cleaned_data["contact"])
    except Exception:  # never a different answer (nor a 500)
        logger.exception("查询码找回发送失败")
    return render(
        request, "portal/track_forgot.html", {"form": ForgotForm(), "nav": "track", "notice": SAME_ANSWER_FORGOT}
    )
