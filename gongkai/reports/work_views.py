"""Back-office pages of the work records: one page per year, a list and a form per kind, the Excel
import. The agency's officer or leader only, their own agency only (another agency's row is a 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.reports import work_records
from gongkai.reports.work_models import ContactCheckKind
from gongkai.web.access import roles
from gongkai.web.auth import staff
from gongkai.web.errors import USER_ERRORS, show_error

EDITORS = (Role.OFFICER, Role.LEADER)
MAX_UPLOAD = work_records.MAX_IMPORT_BYTES


def _year(request: HttpRequest) -> int:
    today = clock.today()
    raw = request.GET.get("year") or request.POST.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        return today.year
    return year if 2008 <= year <= today.year else today.year


def _kind(slug: str) -> work_records.Kind:
    kind = work_records.KINDS.get(slug)
    if kind is None:
        raise Http404("没有这类工作记录")
    return kind


def _back(year: int, slug: str = "") -> HttpResponse:
    return redirect(reverse("reports:work") + f"?year={year}" + (f"#{slug}" if slug else ""))


@roles(*EDITORS)
@require_GET
def work_page(request: HttpRequest) -> HttpResponse:
    user: Any = staff(request)
    agency = user.agency
    if agency is None:
        raise Http404("没有所属机关")
    year = _year(request)
    today = clock.today()
    sections = [
        {
            "kind": kind,
            "rows": list(work_records.rows_of(kind, agency, year)),
            "columns": kind.columns,
        }
        for kind in work_records.KINDS.values()
    ]
    return render(
        request,
        "reports/work.html",
        {
            "agency": agency,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "sections": sections,
            "check_kinds": ContactCheckKind.choices,
            "today": today,
            "can_write": work_records.can_write(user, agency),
        },
    )


@roles(*EDITORS)
@require_POST
def work_add(request: HttpRequest, kind: str) -> HttpResponse:
    spec = _kind(kind)
    user: Any = staff(request)
    values = {"on": request.POST.get("on", ""), **{c.field: request.POST.get(c.field) for c in spec.columns}}
    try:
        work_records.add_record(actor=user, agency=user.agency, kind=spec, values=values, today=clock.today())
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, f"已添加{spec.label}记录。")
    return _back(_year(request), spec.slug)


@roles(*EDITORS)
@require_POST
def work_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _kind(kind)
    user: Any = staff(request)
    row = get_object_or_404(spec.model.objects.writable_by(user), pk=pk)
    try:
        work_records.delete_record(actor=user, row=row)
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, f"已删除{spec.label}记录：{row}")
    return _back(_year(request), spec.slug)


@roles(*EDITORS)
@require_POST
def work_import(request: HttpRequest) -> HttpResponse:
    user: Any = staff(request)
    upload = request.FILES.get("file")
    year = _year(request)
    if upload is None:
        messages.error(request, "请选择要导入的Excel文件（.xlsx）")
        return _back(year)
    if upload.size is not None and upload.size > MAX_UPLOAD:
        messages.error(request, f"文件超过{MAX_UPLOAD // 1024 // 1024}MB，未导入")
        return _back(year)
    try:
        counts = work_records.import_workbook(
            actor=user, agency=user.agency, data=upload.read(MAX_UPLOAD + 1), today=clock.today()
        )
    except work_records.ImportRefused as exc:
        messages.error(request, "未导入任何记录，请改正以下问题后重新导入整个文件：")
        for problem in exc.problems[:50]:
            messages.error(request, problem)
        if len(exc.problems) > 50:
            messages.error(request, f"……共{len(exc.problems)}处问题")
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        summary = "、".join(f"{label}{n}条" for label, n in counts.items()) or "0条"
        messages.success(request, f"已导入：{summary}。")
    return _back(year)
