"""The page of a background job: a progress bar that updates without reloading (static script,
JSON status), and a plain refresh with JavaScript off; the result file for its starter."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from gongkai.jobs.models import Job
from gongkai.jobs.runner import live_progress
from gongkai.web.access import ALL_ROLES, roles


def _job(request: HttpRequest, pk: str) -> Job:
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    live = live_progress(str(job.pk)) if not job.finished else None
    if live:
        job.done, job.total, job.message = live["done"], live["total"], live["message"]
    return job


@roles(ALL_ROLES)
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": _job(request, pk)})


@roles(ALL_ROLES)
def job_status(request: HttpRequest, pk: str) -> JsonResponse:
    return JsonResponse(_job(request, pk).as_json())


@roles(ALL_ROLES)
def job_file(request: HttpRequest, pk: str) -> FileResponse:
    job = _job(request, pk)
    name = str(job.result.get("file", "")) if job.finished else ""
    if not name:
        raise Http404("该任务没有可下载的文件")
    from django.core.files.storage import default_storage

    if not default_storage.exists(name):
        raise Http404("文件已不存在")
    filename = str(job.result.get("filename") or name.rsplit("/", 1)[-1])
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
