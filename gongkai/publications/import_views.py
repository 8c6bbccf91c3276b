"""The batch import of 主动公开 items: the upload queues a background job
(``import_jobs``); this page shows its outcome afterwards (``?job=``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gongkai.accounts.scoping import can_write
from gongkai.jobs.models import Job, JobStatus
from gongkai.publications.forms import ImportForm
from gongkai.publications.import_jobs import ITEMS_IMPORT_JOB, start_items_import
from gongkai.publications.imports import MAX_IMPORT_BYTES
from gongkai.web.access import AGENCY_STAFF, roles
from gongkai.web.auth import staff


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def items_import(request: HttpRequest) -> HttpResponse:
    """Upload a file of items: imported by a background job (its page shows the progress), whose
    outcome this page shows afterwards (``?job=``)."""
    user: Any = request.user
    agency = user.agency
    if agency is None or not can_write(user, agency):
        raise PermissionDenied("只有本机关工作人员可以进行此操作")
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "请选择要导入的文件。")
            return redirect("publications:items_import")
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            messages.error(request, f"{upload.name}：文件大小超过 {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
            return redirect("publications:items_import")
        job = start_items_import(actor=staff(request), agency=agency, data=upload.read(), filename=upload.name)
        job.refresh_from_db()
        if not job.finished:
            return redirect("jobs:detail", pk=job.pk)
    elif request.GET.get("job"):
        job = get_object_or_404(
            Job.objects.visible_to(request.user), pk=_job_id_or_404(request.GET["job"]), kind=ITEMS_IMPORT_JOB
        )
    else:
        return render(request, "publications/items_import.html", {"form": ImportForm()})
    result = job.result if job.status == JobStatus.DONE else {"ok": False, "errors": [job.error or "导入未完成"]}
    if not job.finished:
        return redirect("jobs:detail", pk=job.pk)
    if not result.get("ok"):
        back = reverse("publications:items_import")
        return render(
            request, "publications/import_errors.html", {"errors": result.get("errors", []), "back": back}, status=400
        )
    messages.success(request, f"已导入{result.get('created', 0)}条信息（均为草稿，须经保密审查后发布）。")
    return redirect("publications:items_import")


def _job_id_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("没有该任务") from None
