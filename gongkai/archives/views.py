"""The archive page (years, downloads, the year lock) and the case archive download.

Officers and leaders of an agency export their own agency's cases (``Case.objects.visible_to``:
another agency's case is a 404); leaders lock and unlock years. Every download is audited
(``services.record_export``) with the manifest's SHA-256, which identifies the copy taken.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai import clock
from gongkai.accounts.models import APPROVER_ROLES, Role
from gongkai.agencies.models import Agency
from gongkai.archives import services
from gongkai.archives.export import archive_filename, write_archive, year_cases
from gongkai.archives.jobs import NothingToArchive, start_year_export
from gongkai.archives.locks import years_of
from gongkai.cases.models import Case
from gongkai.letters.models import Letter
from gongkai.web.access import roles
from gongkai.web.auth import staff
from gongkai.web.errors import USER_ERRORS, show_error

EXPORTERS = (Role.OFFICER, Role.LEADER)
#: Most letters a year download in the browser lays out (about 0.3 s of CPU each, WeasyPrint:
#: bench/archive_export.py); a larger year is exported with ``gongkai archive`` on the server,
#: where no web-server timeout cuts it off. Setting ``ARCHIVE_WEB_MAX_LETTERS``.
WEB_MAX_LETTERS = 150


def web_max_letters() -> int:
    return int(getattr(settings, "ARCHIVE_WEB_MAX_LETTERS", WEB_MAX_LETTERS))


def _agency(request: HttpRequest) -> Agency:
    agency = staff(request).agency
    if agency is None:  # officers and leaders always belong to an agency; a broken account is a 404
        raise Http404("未关联机关")
    return agency


def _zip_response(
    request: HttpRequest, *, agency: Agency, cases: Any, year: int | None, case: Case | None
) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it, which deletes it)
    try:
        result = write_archive(
            handle,
            agency=agency,
            cases=cases,
            generated_at=clock.now(),
            year=year,
            case_number=case.number if case is not None else None,
        )
        services.record_export(
            actor=staff(request),
            agency=agency,
            year=year,
            case=case,
            case_count=result.case_count,
            letter_count=result.letter_count,
            file_count=result.file_count,
            manifest_sha256=result.manifest_sha256,
        )
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=archive_filename(agency, year=year, case=case),
        content_type="application/zip",
    )


@roles(*EXPORTERS)
def index(request: HttpRequest) -> HttpResponse:
    """The agency's years: cases, open cases, lock and its history; download and lock buttons."""
    agency = _agency(request)
    user = staff(request)
    return render(
        request,
        "archives/index.html",
        {
            "agency": agency,
            "years": years_of(agency),
            "this_year": clock.today().year,
            "is_leader": user.role in APPROVER_ROLES,
            "web_max_letters": web_max_letters(),
        },
    )


@roles(*EXPORTERS)
def year_download(request: HttpRequest, year: int) -> HttpResponseBase:
    """A year's archive of the user's agency (404 when it has no case the user may read)."""
    agency = _agency(request)
    cases = year_cases(agency, year, within=Case.objects.visible_to(staff(request)))
    if not cases.exists():
        raise Http404(f"{year}年度没有案件")
    letters = Letter.objects.filter(case__in=cases.values("pk")).count()
    if letters > web_max_letters():
        messages.error(
            request,
            f"{year}年度有文书 {letters} 份，超过直接下载的上限（{web_max_letters()} 份）：请用“后台生成”，"
            f"或在服务器上运行 gongkai archive --agency {agency.code} --year {year} -o 文件.zip",
        )
        return _page_with_status(request, 400)
    return _zip_response(request, agency=agency, cases=cases.iterator(chunk_size=200), year=year, case=None)


@roles(*EXPORTERS)
@require_POST
def year_export(request: HttpRequest, year: int) -> HttpResponse:
    """A year too large for one request: its archive is made by a background job (gongkai.jobs),
    whose page shows the progress and offers the zip."""
    try:
        job = start_year_export(actor=staff(request), year=year)
    except NothingToArchive as exc:
        raise Http404(str(exc)) from None
    return redirect("jobs:detail", pk=job.pk)


@roles(*EXPORTERS)
def case_download(request: HttpRequest, pk: int) -> FileResponse:
    """One case's archive (another agency's case: 404)."""
    case = get_object_or_404(Case.objects.visible_to(staff(request)).select_related("agency"), pk=pk)
    return _zip_response(request, agency=case.agency, cases=[case], year=None, case=case)


@roles(Role.LEADER)
@require_POST
def lock(request: HttpRequest, year: int) -> HttpResponse:
    try:
        services.lock_year(actor=staff(request), agency=_agency(request), year=year, today=clock.today())
    except USER_ERRORS as exc:
        status = show_error(request, exc)
        return _page_with_status(request, status)
    messages.success(request, f"{year}年度已锁定：此后该年度案件、文书、送达和收费记录不能修改")
    return redirect("archives:index")


@roles(Role.LEADER)
@require_POST
def unlock(request: HttpRequest, year: int) -> HttpResponse:
    try:
        services.unlock_year(
            actor=staff(request),
            agency=_agency(request),
            year=year,
            reason=request.POST.get("reason", ""),
            today=clock.today(),
        )
    except USER_ERRORS as exc:
        status = show_error(request, exc)
        return _page_with_status(request, status)
    messages.success(request, f"{year}年度已解除锁定：更正完成后请重新导出案卷并锁定")
    return redirect("archives:index")


def _page_with_status(request: HttpRequest, status: int) -> HttpResponse:
    response = index(request)
    response.status_code = status
    return response
