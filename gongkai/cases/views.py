"""The officer's desk: thin views that parse, call a service or a selector, and render.

Every case is looked up through ``Case.objects.visible_to(user)``: another agency's case is a
404, a supervisor reads but is offered no action (and the services refuse with 403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import clock
from gongkai.accounts.models import AGENCY_STAFF_ROLES
from gongkai.accounts.scoping import can_write
from gongkai.cases import guards, services
from gongkai.cases.actions import ACTIONS_BY_SLUG, CaseAction, available_actions, user_may_act
from gongkai.cases.applicant_views import applicant_side
from gongkai.cases.applicants import split_applicant
from gongkai.cases.clock import compute_case_clock
from gongkai.cases.forms import CaseFilter, ConcludeReviewForm, RegisterForm, ReviewDatesForm, ReviewForm
from gongkai.cases.masking import contact_for, identity_for
from gongkai.cases.models import Case, Extension, Review
from gongkai.cases.pager import desk_page, unfiltered_total
from gongkai.cases.selectors import (
    BUCKET_LABELS,
    DeskDays,
    case_flags,
    case_panels,
    department_loads,
    desk_panels,
    most_urgent,
    review_deadlines_due,
    review_deadlines_of,
    review_first_warning_for,
    transfer_links,
)
from gongkai.core.errors import GongkaiError
from gongkai.web.access import AGENCY_STAFF, ALL_ROLES, roles
from gongkai.web.errors import USER_ERRORS, show_error

PAGE_SIZE = 50
#: Each due-soon bucket lists its most urgent cases up to this many (the count shows them all): a
#: province agency has hundreds due within five working days, and rendering every one made the
#: desk take over a second (bench/province.py, figure (c)).
DESK_LIST_LIMIT = 50
#: The columns of the desk's case list (cases/desk.html): anything else would be a query per row.
DESK_LIST_FIELDS = (
    "number",
    "agency__name",
    "agency__short_name",
    "applicant_name",
    "applicant_type",
    "id_number",
    "received_on",
    "status",
    "due_on",
    "due_is_provisional",
    "due_note",
    "department__name",
    "outcome",
)


@roles(ALL_ROLES)
def desk(request: HttpRequest) -> HttpResponse:
    """/office/cases/: due-soon and overdue per department, then the searchable list."""
    user: Any = request.user
    day = clock.today()
    visible = Case.objects.visible_to(user)
    days = DeskDays.of(day)
    # The list's rows read only the columns its table shows (not the requests' texts).
    listed = visible.select_related("agency", "department").only(*DESK_LIST_FIELDS)
    case_filter = CaseFilter(request.GET or None, queryset=listed, request=request)
    filtered = case_filter.is_bound and case_filter.is_valid()
    qs = case_filter.qs if filtered else case_filter.queryset
    # The unfiltered list's total comes from the summary rows; a filtered one is counted a little
    # past the page (gongkai.cases.pager): never a count of every case of the agency.
    narrowed = filtered and any(v not in (None, "") for v in case_filter.form.cleaned_data.values())
    total = None if narrowed else unfiltered_total(user)
    page = desk_page(qs.order_by("-year", "-sequence"), request.GET.get("page"), per_page=PAGE_SIZE, total=total)
    soon = most_urgent(visible, days, DESK_LIST_LIMIT)
    review_soon = review_deadlines_due(Review.objects.visible_to(user), days)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/desk.html",
        {
            "days": days,
            "loads": department_loads(visible, days),
            "buckets": [(key, BUCKET_LABELS[key], soon[key]) for key in BUCKET_LABELS],
            "desk_list_limit": DESK_LIST_LIMIT,
            "desk_list_limit_negative": -DESK_LIST_LIMIT,
            "review_buckets": [
                (key, BUCKET_LABELS[key], review_soon[key]) for key in BUCKET_LABELS if review_soon[key]
            ],
            "filter": case_filter,
            "page": page,
            "query": query.urlencode(),
            "can_register": user.agency is not None and can_write(user, user.agency),
            "many_agencies": user.role not in AGENCY_STAFF_ROLES,
            "desk_panels": desk_panels(request),
        },
    )


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """登记申请 (条例 arts 29, 31)."""
    user: Any = request.user
    if user.agency is None or not can_write(user, user.agency):
        raise PermissionDenied("只有本机关工作人员可以登记申请")
    form = RegisterForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            applicant, fields = split_applicant(form.cleaned_data)
            case = services.register_application(actor=user, today=clock.today(), applicant=applicant, **fields)
        except USER_ERRORS as exc:
            show_error(request, exc)
        else:
            messages.success(request, f"已登记 {case.number}；查询码 {case.tracking_code}")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/register.html", {"form": form})


def _case_for(request: HttpRequest, pk: int) -> Case:
    qs = Case.objects.visible_to(request.user).select_related("agency", "department", "assigned_to", "registered_by")
    qs = qs.prefetch_related(
        "consultations",
        Prefetch("extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")),
        "fee_notices",
    )
    return get_object_or_404(qs, pk=pk)


@roles(ALL_ROLES)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A case: facts, flags, the explained due date, actions the table allows, timeline, records."""
    user: Any = request.user
    case = _case_for(request, pk)
    day = clock.today()
    actions = available_actions(case, user, day)
    return render(request, "cases/detail.html", _detail_context(request, case, day, actions))


def _ids(action: CaseAction) -> str:
    """Each action's form on the case page gets its own element ids (its fields share names)."""
    return f"id_{action.slug}_%s"


def _detail_context(
    request: HttpRequest, case: Case, day: dt.date, actions: list[CaseAction], bound: tuple[str, Any] | None = None
) -> dict[str, Any]:
    user: Any = request.user
    try:
        case_clock = compute_case_clock(case, today=day)
        clock_error = ""
    except GongkaiError as exc:
        case_clock, clock_error = None, str(exc)
    forms = []
    for action in actions:
        if bound is not None and bound[0] == action.slug:
            forms.append((action, bound[1]))
        else:
            forms.append((action, action.form(case=case, initial={"version": case.version}, auto_id=_ids(action))))
    return {
        "case": case,
        "id_number": identity_for(user, case.id_number),
        "contact": contact_for(user, case),
        "clock": case_clock,
        "clock_error": clock_error,
        "flags": case_flags(case),
        "actions": forms,
        "events": case.events.all(),
        "reviews": case.reviews.all(),
        "transfers": (transfers := transfer_links(case, user)),
        "transferred_in": any(t.direction == "转入" for t in transfers),
        "case_panels": case_panels(request, case),
        "can_act": user_may_act(user, case),
        "write_refusal": guards.refusal(case),  # e.g. the year is archived and locked
        "today": day,
        **applicant_side(case, user),
    }


@roles(ALL_ROLES)
def deadline(request: HttpRequest, pk: int) -> HttpResponse:
    """The due date explained day by day (the core's trace), printable."""
    case = _case_for(request, pk)
    day = clock.today()
    try:
        case_clock = compute_case_clock(case, today=day, explain=True)
    except GongkaiError as exc:
        show_error(request, exc)
        return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/deadline.html", {"case": case, "clock": case_clock, "today": day})


@roles(AGENCY_STAFF)
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one action (a service) from its form; errors come back on the case page."""
    user: Any = request.user
    spec = ACTIONS_BY_SLUG.get(action)
    if spec is None:
        raise Http404("没有这项操作")
    case = _case_for(request, pk)
    if not user_may_act(user, case):
        raise PermissionDenied(f"无权办理案件 {case.number}")
    day = clock.today()
    form = spec.form(request.POST, case=case, auto_id=_ids(spec))
    status = 200
    if form.is_valid():
        try:
            updated = spec.run(user, case, day, form.cleaned_data)
        except USER_ERRORS as exc:
            status = show_error(request, exc)
        else:
            messages.success(request, f"{updated.number}：{spec.label}，已保存。")
            return redirect("cases:detail", pk=updated.pk)
    else:
        status = 400
    case = _case_for(request, pk)
    actions = available_actions(case, user, day)
    context = _detail_context(request, case, day, actions, bound=(spec.slug, form))
    return render(request, "cases/detail.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# 行政复议 / 行政诉讼
# ---------------------------------------------------------------------------------------------


@roles(ALL_ROLES)
def reviews(request: HttpRequest) -> HttpResponse:
    qs = Review.objects.visible_to(request.user).select_related("agency", "case").order_by("-filed_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    user: Any = request.user
    return render(
        request,
        "cases/reviews.html",
        {
            "page": page,
            "rows": [(r, review_deadlines_of(r), review_first_warning_for(r)) for r in page],
            "today": clock.today(),
            "can_record": user.agency is not None and can_write(user, user.agency),
        },
    )


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    case = None
    case_id = request.GET.get("case") or request.POST.get("case")
    if case_id:
        if not str(case_id).isdigit():
            raise Http404
        case = get_object_or_404(Case.objects.visible_to(user).select_related("agency"), pk=int(case_id))
    agency = case.agency if case is not None else user.agency
    if agency is None or not can_write(user, agency):
        raise PermissionDenied("只有本机关工作人员可以登记行政复议、行政诉讼")
    form = ReviewForm(request.POST or None, initial={"applicant_name": case.applicant_name if case else ""})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_review(
                actor=user, today=clock.today(), case=case, agency=agency, **form.cleaned_data
            )
        except USER_ERRORS as exc:
            show_error(request, exc)
        else:
            messages.success(request, "已登记。")
            warning = review_first_warning_for(review)
            if warning:
                messages.warning(request, warning)
            return redirect("cases:detail", pk=case.pk) if case else redirect("cases:reviews")
    return render(request, "cases/review_form.html", {"form": form, "case": case})


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def review_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    review = get_object_or_404(Review.objects.visible_to(user).select_related("agency", "case"), pk=pk)
    if not can_write(user, review.agency):
        raise PermissionDenied("只有本机关工作人员可以登记复议、诉讼结果")
    form = ConcludeReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conclude_review(actor=user, review=review, today=clock.today(), **form.cleaned_data)
        except USER_ERRORS as exc:
            show_error(request, exc)
        else:
            messages.success(request, "已登记审结结果。")
            return redirect("cases:reviews")
    return render(request, "cases/review_conclude.html", {"form": form, "review": review})


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def review_dates(request: HttpRequest, pk: int) -> HttpResponse:
    """The dates that start the agency's deadlines in a 复议 or lawsuit (行政复议法 art 48, 行政诉讼法 art 67)."""
    user: Any = request.user
    review = get_object_or_404(Review.objects.visible_to(user).select_related("agency", "case"), pk=pk)
    if not can_write(user, review.agency):
        raise PermissionDenied("只有本机关工作人员可以登记复议、诉讼的期限日期")
    form = ReviewDatesForm(
        request.POST or None,
        initial={
            "copy_received_on": review.copy_received_on,
            "accepted_on": review.accepted_on,
            "decision_extended": review.decision_extended,
            "simplified": review.simplified,
            "answered_on": review.answered_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review_dates(actor=user, review=review, today=clock.today(), **form.cleaned_data)
        except USER_ERRORS as exc:
            show_error(request, exc)
        else:
            messages.success(request, "已保存期限日期。")
            return redirect("cases:reviews")
    return render(
        request,
        "cases/review_dates.html",
        {
            "form": form,
            "review": review,
            "deadlines": review_deadlines_of(review),
            "warning": review_first_warning_for(review),
        },
    )
