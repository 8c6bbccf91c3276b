"""The optional applicant account ("我的申请"): sign in with the phone or e-mail given in an
application and a one-time code sent to it (no password), see every application of that
contact on this system, across agencies, and open any of them without the tracking page's
second factor (the verified contact is one).

Sign-in codes: ``gongkai.cases.access`` (6 digits, 10 minutes, hashed, 5 tries, 5 per contact
per hour); per-address rate limits here (``ratelimit``: ``account_code``, ``account_verify``).
Every answer is the same whether the contact is on record or not. The session holds the
normalised contact; it ends after ``IDLE_SECONDS`` without use or ``MAX_SECONDS`` in all, or on
sign-out. Sign-in and sign-out are audited (the contact masked).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import clock
from gongkai.audit.services import record
from gongkai.core.case_flow import Status
from gongkai.portal import ratelimit
from gongkai.portal.applicant import TRACKED_KEY, too_many
from gongkai.portal.forms import AccessibleForm, phone_digits
from gongkai.web.client import client_ip

logger = logging.getLogger(__name__)

ACCOUNT_KEY = "portal_account"
IDLE_SECONDS = 30 * 60  # signed out after 30 minutes without use …
MAX_SECONDS = 8 * 3600  # … and after 8 hours in all
SAME_ANSWER = "如果该手机号码或电子邮箱是您申请时填写的，验证码已发送，10分钟内有效。请查收短信或邮件后填写。"
WRONG_CODE = "验证码不正确或已过期，请核对后重试；多次输错后验证码失效，请重新获取。"
EXPIRED = "登录已超时，请重新登录。"


class AccountAudit(StrEnum):
    """Audit action codes of the applicant account."""

    SIGNED_IN = "portal.account_signed_in"
    SIGNED_OUT = "portal.account_signed_out"


class ContactForm(AccessibleForm):
    contact = forms.CharField(
        label="手机号码或电子邮箱",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
        help_text="填写申请时留下的手机号码或电子邮箱，验证码将发送到这里",
    )

    def clean_contact(self) -> str:
        value = str(self.cleaned_data["contact"]).strip()
        if "@" in value:
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
                raise forms.ValidationError("请填写有效的电子邮箱")
        elif len(phone_digits(value)) < 11:
            raise forms.ValidationError("请填写11位手机号码或有效的电子邮箱")
        return value


class CodeForm(ContactForm):
    code = forms.CharField(
        label="验证码",
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text="6位数字，10分钟内有效",
    )

    def clean_code(self) -> str:
        value = str(self.cleaned_data.get("code") or "").strip()
        if not re.fullmatch(r"\d{6}", value):
            raise forms.ValidationError("验证码为6位数字")
        return value


# ---------------------------------------------------------------------------------------------
# The session
# ---------------------------------------------------------------------------------------------


def signed_in_contact(request: HttpRequest) -> str | None:
    """The verified contact of this session; None (and the session's account dropped) once expired."""
    held = request.session.get(ACCOUNT_KEY)
    if not isinstance(held, dict) or not held.get("contact"):
        return None
    now = clock.now().timestamp()
    if now - float(held.get("seen", 0)) > IDLE_SECONDS or now - float(held.get("since", 0)) > MAX_SECONDS:
        _drop(request)
        request.account_expired = True  # type: ignore[attr-defined]
        return None
    held["seen"] = now
    request.session[ACCOUNT_KEY] = held
    return str(held["contact"])


def _drop(request: HttpRequest) -> None:
    request.session.pop(ACCOUNT_KEY, None)
    request.session.pop(TRACKED_KEY, None)  # a case opened from the account goes with it


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One application as the account page lists it."""

    pk: int
    agency: str
    number: str
    submitted_on: dt.date | None
    status: str
    due_on: dt.date | None
    due_provisional: bool
    due_what: str
    todo: str
    urgent: bool


def _row(case: Any, today: dt.date) -> Row:
    """What the applicant sees of ``case``: the current due date (theirs or the office's) and
    what they can do now."""
    status = Status(case.status)
    due, provisional, what, todo, urgent = case.due_on, case.due_is_provisional, "答复期限", "", False
    if status is Status.AWAITING_CONFIRMATION:
        due, what, todo = None, "", "等待受理机关确认收到申请，无需操作"
    elif status is Status.AWAITING_CORRECTION:
        due, provisional, what = case.correction_reply_by, case.correction_served_on is None, "补正期限"
        late = due is not None and today > due
        todo = "补正期限已过，请与受理机关联系" if late else "请补正申请：打开后填写补正内容、上传材料"
        urgent = not late
    elif status is Status.FEE_PENDING:
        notice = next((n for n in case.fee_notices.all() if n.is_open), None)
        if notice is not None:
            due, provisional, what = notice.payment_due_on, notice.served_on is None, "缴费期限"
        todo, urgent = "请缴纳信息处理费并上传缴费凭证", True
    elif status is Status.CLOSED:
        due, what, todo = None, "", "已办结：打开后可下载答复书"
    else:
        todo = "正在办理，无需操作"
    return Row(
        pk=case.pk,
        agency=case.agency.name,
        number=case.number or "待登记",
        submitted_on=case.submitted_at.date() if case.submitted_at else None,
        status=case.get_status_display(),
        due_on=due,
        due_provisional=bool(due and provisional),
        due_what=what,
        todo=todo,
        urgent=urgent,
    )


def _cases(contact: str) -> list[Any]:
    from gongkai.cases.access import account_cases

    return account_cases(contact)


# ---------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------


def _login_page(request: HttpRequest, *, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("form", ContactForm())
    return render(request, "portal/account_login.html", {"nav": "account", **context}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def account_login(request: HttpRequest) -> HttpResponse:
    """Step 1: the contact; a code is sent if it is on record. The same answer either way."""
    from gongkai.cases.access import issue_sign_in_code

    if request.method != "POST":
        if signed_in_contact(request):
            return redirect("portal:account")
        expired = EXPIRED if request.GET.get("expired") else ""
        return _login_page(request, notice=expired)
    rule = ratelimit.limit("account_code")
    if not ratelimit.hit(rule, client_ip(request) or "unknown"):
        return too_many(request, rule, "获取验证码")
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _login_page(request, form=form, status=400)
    contact = form.cleaned_data["contact"]
    try:
        issue_sign_in_code(contact, now=clock.now())
    except Exception:  # never a different answer (nor a 500); the failure is in the message log
        logger.exception("登录验证码发送失败")
    return _login_page(request, form=CodeForm(initial={"contact": contact}), notice=SAME_ANSWER, step=2)


@never_cache
@require_POST
def account_verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code. Right: a new session holding the contact; wrong: one try used."""
    from gongkai.cases.access import mask_contact, verify_sign_in_code

    ip = client_ip(request) or "unknown"
    rule = ratelimit.limit("account_verify")
    if not ratelimit.hit(rule, ip):
        return too_many(request, rule, "验证")
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _login_page(request, form=form, step=2, status=400)
    contact = verify_sign_in_code(form.cleaned_data["contact"], form.cleaned_data["code"], now=clock.now())
    if contact is None:
        form.add_error("code", WRONG_CODE)
        return _login_page(request, form=form, step=2, status=400)
    request.session.cycle_key()  # a new session id for the signed-in session
    request.session.pop(TRACKED_KEY, None)
    now = clock.now().timestamp()
    request.session[ACCOUNT_KEY] = {"contact": contact, "since": now, "seen": now}
    with transaction.atomic():
        record(actor=None, action=AccountAudit.SIGNED_IN, changes={"联系方式": mask_contact(contact), "地址": ip})
    return redirect("portal:account")


@never_cache
def account(request: HttpRequest) -> HttpResponse:
    """The signed-in person's applications, newest first, across every agency on this system."""
    contact = signed_in_contact(request)
    if contact is None:
        return redirect(_login_url(request))
    from gongkai.cases.access import mask_contact

    today = clock.today()
    cases = _cases(contact)
    rows = [_row(c, today) for c in cases]
    return render(
        request,
        "portal/account.html",
        {"nav": "account", "rows": rows, "contact": mask_contact(contact), "idle_minutes": IDLE_SECONDS // 60},
    )


@never_cache
def account_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one of the person's applications on the applicant's page (no second factor asked:
    the verified contact is one). Someone else's case is a 404, like a case that does not exist."""
    contact = signed_in_contact(request)
    if contact is None:
        return redirect(_login_url(request))
    case = next((c for c in _cases(contact) if c.pk == pk), None)
    if case is None:
        raise Http404("没有这件申请")
    request.session[TRACKED_KEY] = case.pk
    return redirect("portal:track_case")


@require_POST
def account_logout(request: HttpRequest) -> HttpResponse:
    """Sign out: the account and any case opened in this session are gone from it."""
    from gongkai.cases.access import mask_contact

    held = request.session.get(ACCOUNT_KEY)
    _drop(request)
    if isinstance(held, dict) and held.get("contact"):
        request.session.cycle_key()
        with transaction.atomic():
            record(actor=None, action=AccountAudit.SIGNED_OUT, changes={"联系方式": mask_contact(held["contact"])})
        messages.success(request, "您已退出登录。")
    return redirect("portal:account_login")


def _login_url(request: HttpRequest) -> str:
    from django.urls import reverse

    url = reverse("portal:account_login")
    return f"{url}?expired=1" if getattr(request, "account_expired", False) else url
