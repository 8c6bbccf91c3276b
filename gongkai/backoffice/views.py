"""Back-office shell: the home page per role, agency pages, the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import can_write, visible_agencies
from gongkai.audit.services import AuditAction, diff, record
from gongkai.backoffice import audit_trail
from gongkai.backoffice.forms import AgencyContactForm
from gongkai.web.access import AGENCY_STAFF, ALL_ROLES, roles
from gongkai.web.auth import staff
from gongkai.web.panels import collect_panels


@roles(ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    agencies = visible_agencies(user)
    context = {
        "panels": collect_panels(request),
        "agencies": agencies.select_related("parent")[:200] if user.role in (Role.SUPERVISOR, Role.ADMIN) else [],
        "Role": Role,
    }
    return render(request, "backoffice/home.html", context)


@roles(ALL_ROLES)
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = visible_agencies(request.user).select_related("parent")
    return render(request, "backoffice/agency_list.html", {"agencies": agencies})


@roles(ALL_ROLES)
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(visible_agencies(request.user), pk=pk)
    return render(
        request,
        "backoffice/agency_detail.html",
        {
            "agency": agency,
            "departments": agency.departments.all(),
            "users": agency.users.filter(is_active=True).order_by("role", "username"),
            "can_edit": can_write(request.user, agency),
        },
    )


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(visible_agencies(request.user), pk=pk)
    if not can_write(request.user, agency):
        raise PermissionDenied("只能修改本机关的信息")
    fields = ("address", "phone", "office_hours")
    form = AgencyContactForm(request.POST or None, initial={f: getattr(agency, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = {f: getattr(agency, f) for f in fields}
            for f in fields:
                setattr(agency, f, form.cleaned_data[f])
            agency.save(update_fields=list(fields))
            record(
                actor=staff(request),
                action=AuditAction.AGENCY_CONTACT_CHANGED,
                target=agency,
                changes=diff(before, {f: getattr(agency, f) for f in fields}),
            )
        messages.success(request, "已保存。")
        return redirect("backoffice:agency_detail", pk=agency.pk)
    return render(request, "backoffice/agency_edit.html", {"agency": agency, "form": form})


@roles(ALL_ROLES)
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit rows the user may read (``audit_trail.events_visible_to``), in Chinese."""
    events = audit_trail.events_visible_to(request.user).select_related("agency")
    action = request.GET.get("action", "").replace("\x00", "").strip()[:64]
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "action": audit_trail.action_label(event.action),
            "object_type": audit_trail.object_type_label(event.object_type),
            "changes": audit_trail.describe_changes(event),
        }
        for event in page
    ]
    actions = sorted(audit_trail.ACTION_LABELS.items(), key=lambda item: item[0])
    return render(
        request, "backoffice/audit_list.html", {"page": page, "rows": rows, "action": action, "actions": actions}
    )
