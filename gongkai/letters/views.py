"""Thin views: a case's letters (issue, preview, download) and the ledger's export and import.

Cases and letters are looked up through ``visible_to(user)``: another agency's case or letter is
a 404; the services refuse writes by those who may only read (403).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.accounts.scoping import can_write
from gongkai.cases.ledger_io import export_ledger
from gongkai.cases.models import Case
from gongkai.core.errors import GongkaiError
from gongkai.core.ledger import HEADER_LABELS
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceState
from gongkai.jobs.models import Job, JobStatus
from gongkai.letters.approval_views import draft_preview, drafts_of_case, issues_at_once, policy_rows
from gongkai.letters.approvals import create_draft
from gongkai.letters.deliveries import confirm_receipt, letters_with_service, record_delivery, state_of
from gongkai.letters.documents import letter_pdf, pdf_filename
from gongkai.letters.forms import DeliveryForm, LedgerExportForm, LedgerImportForm, LetterForm, ReceiptForm
from gongkai.letters.ledger_jobs import LEDGER_IMPORT_JOB, start_ledger_import
from gongkai.letters.models import Delivery, Letter
from gongkai.letters.receipts import receipt_filename, receipt_pdf
from gongkai.letters.services import generate_letter, reprint_letter
from gongkai.letters.uploads import PROOF_KINDS, UploadRejected
from gongkai.web.access import AGENCY_STAFF, ALL_ROLES, roles
from gongkai.web.auth import staff
from gongkai.web.errors import USER_ERRORS, show_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class LetterRow:
    """A letter on the case's letters page with its 送达 state, records and forms."""

    letter: Letter
    state: ServiceState
    deliveries: list[Delivery]
    form: DeliveryForm
    pending: list[tuple[Delivery, ReceiptForm]] = field(default_factory=list)
    open: bool = False


def _rows(user: Any, case: Case, bound: dict[str, Any] | None = None) -> list[LetterRow]:
    letters = letters_with_service(Letter.objects.visible_to(user).filter(case=case)).select_related("created_by")
    letters = letters.prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.select_related("recorded_by").order_by("created_at", "pk"))
    )
    bound = bound or {}
    rows = []
    for letter in letters:
        form = bound.get(f"l{letter.pk}") or DeliveryForm(
            prefix=f"l{letter.pk}", initial={"sent_on": clock.today(), "consent": False}
        )
        deliveries = list(letter.deliveries.all())
        pending = [
            (d, bound.get(f"d{d.pk}") or ReceiptForm(prefix=f"d{d.pk}")) for d in deliveries if d.received_on is None
        ]
        opened = f"l{letter.pk}" in bound or any(f"d{d.pk}" in bound for d in deliveries)
        rows.append(LetterRow(letter, state_of(letter), deliveries, form, pending, opened))
    return rows


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    form: LetterForm | None = None,
    preview: str = "",
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    drafts = drafts_of_case(user, case)
    return render(
        request,
        "letters/case_letters.html",
        {
            "case": case,
            "rows": _rows(user, case, bound),
            "form": form or LetterForm(case=case),
            "preview": preview,
            "may_issue": can_write(user, case.agency),
            "drafts": drafts,
            "drafts_panel": {"context": {"drafts": drafts, "case": case}},
            "policy": policy_rows(case.agency),
        },
        status=status,
    )


@roles(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def case_letters(request: HttpRequest, case_pk: int) -> HttpResponse:
    """/office/letters/case/<pk>/: the case's letters with their 送达, and a form to issue one."""
    user: Any = request.user
    case = get_object_or_404(Case.objects.visible_to(user).select_related("agency"), pk=case_pk)
    may_issue = can_write(user, case.agency)
    form = LetterForm(request.POST or None, case=case)
    preview = ""
    if request.method == "POST":
        if not may_issue:
            raise PermissionDenied("无权为该案件出具文书")
        if form.is_valid():
            kind = LetterType(form.cleaned_data["kind"])
            facts = form.facts()
            try:
                if "preview" in request.POST:
                    preview = draft_preview(user, case, kind, facts, clock.today())
                elif issues_at_once(user, case, kind):
                    letter = generate_letter(actor=user, case=case, kind=kind, today=clock.today(), facts=facts)
                    messages.success(request, f"已出具 {letter}")
                    return redirect("letters:case", case_pk=case.pk)
                else:
                    draft = create_draft(actor=user, case=case, kind=kind, facts=facts, today=clock.today())
                    messages.success(
                        request, f"已拟稿并送审：{draft.kind_enum.label}，当前环节“{draft.status_enum.label}”"
                    )
                    return redirect("letters:draft", pk=draft.pk)
            except GongkaiError as exc:
                show_error(request, exc)
    return _render_case(request, case, form=form, preview=preview)


@roles(AGENCY_STAFF)
@require_POST
def record_delivery_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a 送达 of a letter; a refusal keeps what was typed (the file must be chosen again)."""
    user: Any = request.user
    letter = get_object_or_404(Letter.objects.visible_to(user).select_related("case", "case__agency"), pk=pk)
    form = DeliveryForm(request.POST, request.FILES, prefix=f"l{letter.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_delivery(
                actor=user,
                letter=letter,
                method=data["method"],
                sent_on=data["sent_on"],
                received_on=data["received_on"],
                tracking_number=data["tracking_number"],
                consent=data["consent"],
                proof=data["proof"],
                note=data["note"],
                today=clock.today(),
            )
        except UploadRejected as exc:
            form.add_error("proof", str(exc))
        except USER_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记 {letter.number} 的送达")
            return redirect(f"{reverse('letters:case', args=[letter.case_id])}#letter-{letter.pk}")
    messages.error(request, f"{letter.number} 的送达未登记，请按提示修改")
    return _render_case(request, letter.case, bound={f"l{letter.pk}": form}, status=422)


@roles(AGENCY_STAFF)
@require_POST
def confirm_receipt_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter the date of receipt of a 送达 already recorded."""
    user: Any = request.user
    delivery = get_object_or_404(
        Delivery.objects.filter(letter__in=Letter.objects.visible_to(user)).select_related("letter__case__agency"),
        pk=pk,
    )
    letter = delivery.letter
    form = ReceiptForm(request.POST, request.FILES, prefix=f"d{delivery.pk}")
    if form.is_valid():
        try:
            confirm_receipt(
                actor=user,
                delivery=delivery,
                received_on=form.cleaned_data["received_on"],
                proof=form.cleaned_data["proof"],
                today=clock.today(),
            )
        except UploadRejected as exc:
            form.add_error("proof", str(exc))
        except USER_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记 {letter.number} 的送达日期")
            return redirect(f"{reverse('letters:case', args=[letter.case_id])}#letter-{letter.pk}")
    messages.error(request, f"{letter.number} 的送达日期未登记，请按提示修改")
    return _render_case(request, letter.case, bound={f"d{delivery.pk}": form}, status=422)


@roles(ALL_ROLES)
def proof(request: HttpRequest, pk: int) -> FileResponse:
    """The stored proof of a 送达 of a letter the user may read."""
    delivery = get_object_or_404(
        Delivery.objects.filter(letter__in=Letter.objects.visible_to(request.user)).exclude(proof=""), pk=pk
    )
    kind = next((k for k in PROOF_KINDS if delivery.proof.name.lower().endswith("." + k.ext)), None)
    try:
        handle = delivery.proof.open("rb")
    except OSError:
        raise Http404("凭证文件不存在") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=delivery.proof_name or "送达凭证",
        content_type=kind.content_type if kind else "application/octet-stream",
    )


@roles(ALL_ROLES)
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The stored .docx of a letter the user may read."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user), pk=pk)
    return FileResponse(letter.file.open("rb"), as_attachment=True, filename=letter.download_name, content_type=DOCX)


@roles(ALL_ROLES)
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter as PDF (公文 layout, the agency's seal where configured)."""
    letter = get_object_or_404(Letter.objects.visible_to(request.user), pk=pk)
    return _pdf_response(letter_pdf(letter), pdf_filename(letter), inline=True)


@roles(ALL_ROLES)
def receipt(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case's 登记/受理回执 as PDF (any channel, counter included)."""
    case = get_object_or_404(Case.objects.visible_to(request.user).select_related("agency"), pk=case_pk)
    url = request.build_absolute_uri(reverse("portal:track")) + "?code=" + quote(case.tracking_code)
    return _pdf_response(receipt_pdf(case, tracking_url=url, today=clock.today()), receipt_filename(case), inline=True)


def _pdf_response(data: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    return response


@roles(AGENCY_STAFF)
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


@roles(ALL_ROLES)
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


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("没有这个导入任务") from None


def _ledger_result(job: Job) -> dict[str, Any]:
    """What the import page shows of a finished import job (its failure too)."""
    if job.status == JobStatus.FAILED:
        return {"ok": False, "summary": f"导入未完成：{job.error}", "errors": [job.error]}
    if not job.finished:
        return {"ok": True, "summary": "导入仍在进行中"}
    return dict(job.result)


@roles(Role.OFFICER, Role.LEADER)
@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest) -> HttpResponse:
    """/office/letters/ledger/import/: upload a ledger; all rows become cases, or none."""
    user: Any = request.user
    if user.agency is None or not can_write(user, user.agency):
        raise PermissionDenied("只有本机关工作人员可以导入台账")
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = start_ledger_import(actor=user, data=upload.read(), filename=upload.name, today=clock.today())
        job.refresh_from_db()
        if not job.finished:
            return redirect("jobs:detail", pk=job.pk)
        result = _ledger_result(job)
    elif request.GET.get("job"):
        job = get_object_or_404(
            Job.objects.visible_to(user), pk=_uuid_or_404(request.GET["job"]), kind=LEDGER_IMPORT_JOB
        )
        result = _ledger_result(job)
    if result is not None:
        (messages.success if result.get("ok") else messages.error)(request, result["summary"])
    return render(
        request,
        "letters/ledger_import.html",
        {
            "form": form,
            "result": result,
            "columns": HEADER_LABELS,
        },
        status=200 if result is None or result.get("ok") else 422,
    )
