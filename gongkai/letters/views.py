"""Thin views: a case's letters (issue, preview, download) and the ledger's export and import.

Cases and letters are looked up through ``visible_to(user)``: another agency's case or letter is
a 404; the services refuse writes by those who may only read (403).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from gongkai import clock
from gongkai.accounts.scoping import can_write
from gongkai.cases.ledger_io import export_ledger, import_ledger
from gongkai.cases.models import Case
from gongkai.core.errors import GongkaiError
from gongkai.core.ledger import HEADER_LABELS
from gongkai.letters.context import LetterFacts
from gongkai.letters.forms import LedgerExportForm, LedgerImportForm, LetterForm
from gongkai.letters.models import Letter
from gongkai.letters.services import generate_letter, preview_letter, reprint_letter
from gongkai.web.auth import staff
from gongkai.web.errors import USER_ERRORS, show_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_http_methods(["GET", "POST"])
def case_letters(request: HttpRequest, case_pk: int) -> HttpResponse:
    """/office/letters/case/<pk>/: the case's letters, and a form to preview or issue one."""
    user: Any = request.user
    case = get_object_or_404(Case.objects.visible_to(user).select_related("agency"), pk=case_pk)
    may_issue = can_write(user, case.agency)
    form = LetterForm(request.POST or None, case=case)
    preview = ""
    if request.method == "POST":
        if not may_issue:
            raise PermissionDenied("无权为该案件出具文书")
        if form.is_valid():
            data = form.cleaned_data
            facts = LetterFacts(
                reasons=data["reasons"],
                access_method=data["access_method"],
                responsible_agency=data["responsible_agency"],
                responsible_agency_contact=data["responsible_agency_contact"],
                already_published=data["already_published"],
                withheld_part=data["withheld_part"],
                withheld_ground=data["withheld_ground"],
            )
            try:
                if "preview" in request.POST:
                    preview = preview_letter(actor=user, case=case, kind=data["kind"], today=clock.today(), facts=facts)
                else:
                    letter = generate_letter(actor=user, case=case, kind=data["kind"], today=clock.today(), facts=facts)
                    messages.success(request, f"已出具 {letter}")
                    return redirect("letters:case", case_pk=case.pk)
            except GongkaiError as exc:
                show_error(request, exc)
    letters = Letter.objects.visible_to(user).filter(case=case).select_related("created_by")
    return render(
        request,
        "letters/case_letters.html",
        {
            "case": case,
            "letters": letters,
            "form": form,
            "preview": preview,
            "may_issue": may_issue,
        },
    )


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored .docx of a letter the user may read."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user), pk=pk)
    return FileResponse(letter.file.open("rb"), as_attachment=True, filename=letter.download_name, content_type=DOCX)


@login_required
@require_http_methods(["POST"])
def reprint(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The letter printed again with its number and date, marked 重印 (audited)."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user), pk=pk)
    try:
        data = reprint_letter(actor=staff(request), letter=letter)
    except USER_ERRORS as exc:
        show_error(request, exc)
        return redirect("letters:case", case_pk=letter.case_id)
    return FileResponse(BytesIO(data), as_attachment=True, filename=f"重印-{letter.download_name}", content_type=DOCX)


@login_required
def ledger_export(request: HttpRequest) -> HttpResponse:
    """/office/letters/ledger/export/: choose agency and year; ?agency=…&year=… downloads the .xlsx."""
    user: Any = request.user
    initial = {"agency": user.agency_id, "year": clock.today().year}
    form = LedgerExportForm(request.GET or None, user=user, initial=initial)
    if form.is_bound and form.is_valid():
        agency, year = form.cleaned_data["agency"], form.cleaned_data["year"]
        data = export_ledger(user, agency, year)
        response = HttpResponse(data, content_type=XLSX)
        name = f"{agency.short_name or agency.name}{year}年依申请公开台账.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response
    return render(request, "letters/ledger_export.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest) -> HttpResponse:
    """/office/letters/ledger/import/: upload a ledger; all rows become cases, or none."""
    user: Any = request.user
    if user.agency is None or not can_write(user, user.agency):
        raise PermissionDenied("只有本机关工作人员可以导入台账")
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_ledger(
            actor=user, agency=user.agency, data=upload.read(), filename=upload.name, today=clock.today()
        )
        if result.ok:
            messages.success(request, result.summary())
        else:
            messages.error(request, result.summary())
    return render(
        request,
        "letters/ledger_import.html",
        {
            "form": form,
            "result": result,
            "columns": HEADER_LABELS,
        },
        status=200 if result is None or result.ok else 422,
    )
