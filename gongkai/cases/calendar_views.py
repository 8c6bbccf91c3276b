"""The administrator's upload of a year's holiday arrangement: check it, or load it (legal spec §5.4).

Loading recomputes open cases' due dates (``gongkai.cases.due_dates``), so the page lives in the
cases app; the calendar's reading pages are ``gongkai.workcalendar.views``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkai.accounts.models import Role
from gongkai.cases.calendar_jobs import CALENDAR_LOAD_JOB, start_calendar_load
from gongkai.core.calendar import CalendarYear, EntryKind
from gongkai.core.errors import CalendarDataError
from gongkai.jobs.models import Job, JobStatus
from gongkai.web.access import roles
from gongkai.workcalendar.forms import UploadForm
from gongkai.workcalendar.provider import working_calendar
from gongkai.workcalendar.services import parse_upload

_LINE = re.compile(r"第(\d+)行")
MAX_LISTED_CHANGES = 50


def _numbered(text: str, bad_line: int | None) -> list[tuple[int, str, bool]]:
    return [(n, line, n == bad_line) for n, line in enumerate(text.splitlines(), start=1)]


@roles(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """System administrators upload a year: 检查 validates only, 加载 stores and recomputes due dates.

    加载 runs as a background job (``gongkai.cases.calendar_jobs``): the page follows its progress,
    then comes back here (``?job=ID``), which shows the result on the year's page.
    """
    user: Any = request.user
    if not user.is_system_admin:
        raise PermissionDenied("只有系统管理员可以加载节假日安排")
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        name = upload_file.name
        raw = upload_file.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            context["error"] = f"{name}：不是 UTF-8 编码的文本文件"
            return render(request, "cases/calendar_upload.html", context, status=400)
        try:
            data: CalendarYear = parse_upload(text, name)
        except CalendarDataError as exc:
            match = _LINE.search(str(exc))
            context.update(error=str(exc), lines=_numbered(text, int(match.group(1)) if match else None))
            return render(request, "cases/calendar_upload.html", context, status=400)
        if "load" not in request.POST:
            off = sum(1 for e in data.entries if e.kind is EntryKind.OFF)
            context.update(
                checked=data,
                off=off,
                work=len(data.entries) - off,
                replaces=data.year in working_calendar().known_years,
                lines=_numbered(text, None),
            )
            return render(request, "cases/calendar_upload.html", context)
        job = start_calendar_load(actor=user, text=text, file_name=name, today=timezone.localdate())
        job.refresh_from_db()
        if not job.finished:
            return redirect("jobs:detail", pk=job.pk)
        return _finished(request, job, context)
    if request.method == "GET" and request.GET.get("job"):
        try:
            job_id = uuid.UUID(request.GET["job"])
        except ValueError:
            raise Http404("没有这个加载任务") from None
        job = get_object_or_404(Job.objects.visible_to(user), pk=job_id, kind=CALENDAR_LOAD_JOB)
        if not job.finished:
            return redirect("jobs:detail", pk=job.pk)
        return _finished(request, job, context)
    return render(request, "cases/calendar_upload.html", context)


def _finished(request: HttpRequest, job: Job, context: dict[str, Any]) -> HttpResponse:
    """A finished load: its summary and first moved cases as messages on the year's page; or why it failed."""
    if job.status != JobStatus.DONE:
        context["error"] = f"加载未完成：{job.error}"
        return render(request, "cases/calendar_upload.html", context, status=422)
    result = job.result
    messages.success(request, str(result.get("summary", "")))
    for line in list(result.get("lines", []))[:MAX_LISTED_CHANGES]:
        messages.info(request, str(line))
    return redirect("workcalendar:year_detail", year=int(result["year"]))
