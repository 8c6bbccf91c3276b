"""The agency's own users and departments (本机关管理员), and the roster supervisors read.

Thin views over ``gongkai.accounts.staff``: a manager changes its own agency only (another
agency's user or department is a 404: the lookups are filtered by the manager's agency); a
supervisor and a system administrator read the roster of the agencies they may read. The
administrator's changes go through the Django admin, which stays theirs alone.

The one-time password link is shown once, in the response to the POST that made it (never
stored, never logged, never audited; the page is not cached).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts import staff as services
from gongkai.accounts.models import Role, User
from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency, Department
from gongkai.backoffice.forms import DepartmentForm, NewStaffUserForm, OneTimeSetPasswordForm, StaffUserForm
from gongkai.web.access import roles
from gongkai.web.errors import USER_ERRORS, show_error

#: Who reads a roster: the agency's manager (its own), supervisors and administrators (read-only).
ROSTER_ROLES = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})


def _manager_agency(request: HttpRequest) -> Agency:
    return services.managed_agency(request.user)  # type: ignore[arg-type]


def _own_user(request: HttpRequest, pk: int) -> User:
    """A user of the manager's agency, or 404 (another agency's user is not found)."""
    return get_object_or_404(User.objects.filter(agency=_manager_agency(request)), pk=pk)


@roles(ROSTER_ROLES)
def staff_home(request: HttpRequest) -> HttpResponse:
    """/office/staff/: a manager's own roster; for supervisors the agencies whose roster they read."""
    user: Any = request.user
    if user.role == Role.MANAGER:
        return redirect("backoffice:staff_roster", agency_pk=_manager_agency(request).pk)
    agencies = visible_agencies(user).select_related("parent").order_by("path")
    return render(request, "backoffice/staff_home.html", {"agencies": agencies})


@roles(ROSTER_ROLES)
def staff_roster(request: HttpRequest, agency_pk: int) -> HttpResponse:
    """An agency's users and departments; editable by its own manager only."""
    user: Any = request.user
    scope = Agency.objects.filter(pk=user.agency_id) if user.role == Role.MANAGER else visible_agencies(user)
    agency = get_object_or_404(scope, pk=agency_pk)
    return render(
        request,
        "backoffice/staff_roster.html",
        {
            "agency": agency,
            "users": agency.users.select_related("department").order_by("-is_active", "role", "username"),
            "departments": agency.departments.order_by("-is_active", "name"),
            "can_manage": user.role == Role.MANAGER and user.agency_id == agency.pk,
            "department_form": DepartmentForm(),
        },
    )


@roles(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def staff_user_new(request: HttpRequest) -> HttpResponse:
    agency = _manager_agency(request)
    form = NewStaffUserForm(request.POST or None, agency=agency)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.create_staff_user(
                    actor=request.user,  # type: ignore[arg-type]
                    username=data["username"],
                    full_name=data["full_name"],
                    role=data["role"],
                    department=data["department"],
                    email=data["email"],
                    phone=data["phone"],
                )
            except USER_ERRORS as exc:
                status = show_error(request, exc)
            else:
                messages.success(request, f"已新建用户 {created.username}。请为其生成一次性设置密码链接。")
                return redirect("backoffice:staff_user_edit", pk=created.pk)
        else:
            status = 400
    return render(
        request, "backoffice/staff_user_form.html", {"form": form, "agency": agency, "new": True}, status=status
    )


@roles(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def staff_user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _manager_agency(request)
    target = _own_user(request, pk)
    initial = {"full_name": target.full_name, "role": target.role, "department": target.department_id}
    form = StaffUserForm(request.POST or None, agency=agency, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.change_staff_user(
                    actor=request.user,  # type: ignore[arg-type]
                    user=target,
                    role=data["role"],
                    department=data["department"],
                    full_name=data["full_name"],
                )
            except USER_ERRORS as exc:
                status = show_error(request, exc)
            else:
                messages.success(request, f"已保存 {target.username}。")
                return redirect("backoffice:staff_roster", agency_pk=agency.pk)
        else:
            status = 400
    return render(
        request,
        "backoffice/staff_user_form.html",
        {"form": form, "agency": agency, "target": target, "new": False},
        status=status,
    )


@roles(Role.MANAGER)
@require_POST
def staff_user_active(request: HttpRequest, pk: int) -> HttpResponse:
    """停用 / 启用 (``active`` = "1" or "0")."""
    agency = _manager_agency(request)
    target = _own_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(actor=request.user, user=target, active=active)  # type: ignore[arg-type]
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, f"已{'启用' if active else '停用'} {target.username}。")
    return redirect("backoffice:staff_roster", agency_pk=agency.pk)


@never_cache
@roles(Role.MANAGER)
@require_POST
def staff_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the one-time link and show it on this response only."""
    agency = _manager_agency(request)
    target = _own_user(request, pk)
    try:
        uid, token = services.issue_password_link(actor=request.user, user=target)  # type: ignore[arg-type]
    except USER_ERRORS as exc:
        show_error(request, exc)
        return redirect("backoffice:staff_roster", agency_pk=agency.pk)
    link = request.build_absolute_uri(reverse("password_set", kwargs={"uidb64": uid, "token": token}))
    response = render(
        request, "backoffice/staff_password_link.html", {"target": target, "agency": agency, "link": link}
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


@roles(Role.MANAGER)
@require_POST
def staff_department_new(request: HttpRequest) -> HttpResponse:
    agency = _manager_agency(request)
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.create_department(actor=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        except USER_ERRORS as exc:
            show_error(request, exc)
        else:
            messages.success(request, f"已新建科室 {form.cleaned_data['name']}。")
    else:
        messages.error(request, "科室名称：请填写（不超过60字）")
    return redirect("backoffice:staff_roster", agency_pk=agency.pk)


@roles(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def staff_department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _manager_agency(request)
    department = get_object_or_404(Department.objects.filter(agency=agency), pk=pk)
    form = DepartmentForm(request.POST or None, initial={"name": department.name, "is_active": department.is_active})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_department(
                    actor=request.user,  # type: ignore[arg-type]
                    department=department,
                    name=form.cleaned_data["name"],
                    active=form.cleaned_data["is_active"],
                )
            except USER_ERRORS as exc:
                status = show_error(request, exc)
            else:
                messages.success(request, "已保存科室。")
                return redirect("backoffice:staff_roster", agency_pk=agency.pk)
        else:
            status = 400
    return render(
        request,
        "backoffice/staff_department_form.html",
        {"form": form, "agency": agency, "department": department},
        status=status,
    )


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The one-time link: Django checks the token (single use, ``PASSWORD_RESET_TIMEOUT``); the
    service sets the password and audits it (without the password)."""

    template_name = "registration/password_set.html"
    form_class = OneTimeSetPasswordForm
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        services.set_password_with_link(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "密码已设置，请用新密码登录。")
        return HttpResponseRedirect(str(self.success_url))


password_set = PasswordSetView.as_view()
