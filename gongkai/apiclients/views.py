"""Back-office pages of API clients (``/office/api-clients/``): an agency's manager (or a system
administrator) creates a client and sees its token once, revokes it, sets the webhook, reads the
delivery and call logs and replays a delivery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkai import clock
from gongkai.accounts.models import API_CLIENT_MANAGER_ROLES
from gongkai.agencies.models import Agency
from gongkai.apiclients import services, webhooks
from gongkai.apiclients.forms import ClientForm, WebhookForm
from gongkai.apiclients.models import ApiClient
from gongkai.web.access import roles
from gongkai.web.errors import USER_ERRORS, show_error


def _expiry(day: dt.date | None) -> dt.datetime | None:
    """The end of the chosen day, in the site's time zone."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@roles(API_CLIENT_MANAGER_ROLES)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    agencies = Agency.objects.order_by("code") if user.is_system_admin else None
    form = ClientForm(request.POST or None, agencies=agencies)
    status = 200
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data.get("agency") or user.agency
        try:
            client, token = services.create_client(
                actor=user,
                agency=agency,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=_expiry(form.cleaned_data["expires_on"]),
                rate_per_minute=form.cleaned_data["rate_per_minute"],
                now=clock.now(),
            )
        except USER_ERRORS as exc:
            status = show_error(request, exc)
        else:
            # Shown on this answer only (never in a URL, a session or a log): it is stored hashed.
            return render(request, "apiclients/created.html", {"client": client, "token": token})
    elif request.method == "POST":
        status = 400
    clients = ApiClient.objects.managed_by(user).select_related("agency").order_by("revoked_at", "name")
    return render(request, "apiclients/index.html", {"form": form, "clients": clients}, status=status)


@roles(API_CLIENT_MANAGER_ROLES)
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    client = get_object_or_404(ApiClient.objects.managed_by(user).select_related("agency"), pk=pk)
    form = WebhookForm(request.POST or None, initial={"webhook_url": client.webhook_url})
    secret = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "revoke":
                services.revoke_client(actor=user, client=client, now=clock.now())
                messages.success(request, f"已吊销“{client.name}”：其令牌立即失效。")
                return redirect("apiclients:detail", pk=client.pk)
            if action == "replay":
                found = client.deliveries.filter(pk=_int(request.POST.get("delivery"))).first()
                if found is None:
                    raise PermissionDenied("没有这条投递记录")
                services.replay_delivery(actor=user, delivery=found, now=clock.now())
                messages.success(request, f"已安排重新投递第 {found.pk} 号。")
                return redirect("apiclients:detail", pk=client.pk)
            if action == "ping":
                if not services.may_manage(user, client.agency_id):
                    raise PermissionDenied("无权管理该接口客户端")
                webhooks.ping(client)
                messages.success(request, "已安排发送测试事件。")
                return redirect("apiclients:detail", pk=client.pk)
            if action != "webhook":
                raise PermissionDenied("未知的操作")
            if form.is_valid():
                secret = services.set_webhook(
                    actor=user,
                    client=client,
                    url=form.cleaned_data["webhook_url"],
                    new_secret=form.cleaned_data["new_secret"],
                )
                client.refresh_from_db()
                if secret is None:
                    messages.success(request, "回调地址已保存。")
                    return redirect("apiclients:detail", pk=client.pk)
            else:
                status = 400
        except USER_ERRORS as exc:
            status = show_error(request, exc)
    context = {
        "client": client,
        "form": form,
        "secret": secret,
        "deliveries": client.deliveries.all()[:50],
        "calls": client.calls.all()[:20],
    }
    return render(request, "apiclients/detail.html", context, status=status)


def _int(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 19 else 0
