"""年报监督 pages: upload, the batch, one report, one agency across years, the Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.models import Role
from gongkai.core.errors import ReportFormatError
from gongkai.core.report.checks import describe_place
from gongkai.core.report.findings import SEVERITY_LABELS, Severity, Verdict
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import FORMAT_LABELS, ReportFormat, ReportTable
from gongkai.supervision import selectors
from gongkai.supervision.forms import UploadForm
from gongkai.supervision.highlight import highlighted_tables
from gongkai.supervision.jumps import parse_report, parsed_jump_findings
from gongkai.supervision.models import ReadStatus
from gongkai.supervision.services import SupervisionError, batch_job, check_batch, may_change, upload_batch
from gongkai.supervision.xlsx import FileRow, findings_workbook
from gongkai.web.access import roles
from gongkai.web.auth import staff

_SEVERITIES = frozenset(s.value for s in Severity)
_VERDICTS = frozenset(v.value for v in Verdict)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@roles(Role.SUPERVISOR, Role.ADMIN)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    can_upload = user.agency is not None and may_change(user, user.agency)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied("上传年度报告需要主管部门的机构账号")
        if form.is_valid():
            files = [(f.name or "（未命名文件）", f.read()) for f in form.cleaned_data["documents"]]
            try:
                batch = upload_batch(actor=user, files=files, title=form.cleaned_data["title"])
            except SupervisionError as exc:
                form.add_error("documents", str(exc))
            else:
                job = batch_job(batch)
                if job is None or job.finished:
                    messages.success(request, f"已读取 {batch.files.count()} 个文件。")
                    return redirect("supervision:batch", pk=batch.pk)
                return redirect("jobs:detail", pk=job.pk)
    page = Paginator(selectors.batches_for(user), 30).get_page(request.GET.get("page"))
    return render(request, "supervision/index.html", {"form": form, "page": page, "can_upload": can_upload})


#: Files per page of a batch (a batch holds up to 2,000).
FILES_PER_PAGE = 100


@roles(Role.SUPERVISOR, Role.ADMIN)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    files = (
        batch.files.select_related("matched_agency")
        .defer("report", "findings")
        .annotate(previous_year=F("previous__year"))
        .order_by("position")
    )
    page = Paginator(files, FILES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/batch.html",
        {
            "batch": batch,
            "job": batch_job(batch),
            "files": page,
            "page": page,
            "pending": batch.files.filter(status=ReadStatus.PENDING).exists(),
            "verdicts": [(v.label, getattr(batch, f"n_{_COUNT_NAMES[v]}")) for v in Verdict],
        },
    )


_COUNT_NAMES = {
    Verdict.CONSISTENT: "consistent",
    Verdict.ERRORS: "errors",
    Verdict.WARNINGS: "warnings",
    Verdict.UNREADABLE: "unreadable",
}


@roles(Role.SUPERVISOR)
@require_POST
def batch_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the batch again against everything the user may see now (later uploads included)."""
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    check_batch(actor=staff(request), batch=batch)  # PermissionDenied (403) unless the batch is the user's agency's
    messages.success(request, "已重新核对。")
    return redirect("supervision:batch", pk=batch.pk)


@roles(Role.SUPERVISOR, Role.ADMIN)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(
        selectors.reports_for(request.user).select_related("batch", "matched_agency", "previous"), pk=pk
    )
    report: AnnualReport | None = None
    if row.report is not None:
        try:
            report = AnnualReport.from_dict(row.report)
        except ReportFormatError:
            report = None
    fmt = report.format if report is not None else ReportFormat.F2021
    findings = [_finding_view(f, fmt) for f in row.findings]
    findings.sort(key=lambda f: f["severity"] != Severity.ERROR.value)
    return render(
        request,
        "supervision/report.html",
        {
            "row": row,
            "report": report,
            "findings": findings,
            "tables": highlighted_tables(report, row.findings) if report is not None else {},
            "format_label": FORMAT_LABELS.get(fmt, "") if report is not None else "",
        },
    )


def _finding_view(finding: dict[str, Any], fmt: ReportFormat) -> dict[str, Any]:
    try:
        table = ReportTable(finding["table"]) if finding.get("table") else None
    except ValueError:
        table = None
    row, column = finding.get("row"), finding.get("column")
    severity = str(finding.get("severity", ""))
    return {
        **finding,
        "severity_label": SEVERITY_LABELS[Severity(severity)] if severity in _SEVERITIES else severity,
        "is_error": severity == Severity.ERROR.value,
        "place": describe_place(table, row, None if column is None else str(column), fmt),
    }


@roles(Role.SUPERVISOR, Role.ADMIN)
def compare(request: HttpRequest) -> HttpResponse:
    """One agency's reports across years: ``?agency=<id>`` (matched) or ``?name=<机关名称>``."""
    raw_id, name = request.GET.get("agency", ""), request.GET.get("name", "").strip()
    if not raw_id.isdigit() and not name:
        raise Http404("未指定机关")
    rows, comparison = selectors.agency_years(
        request.user, agency_id=int(raw_id) if raw_id.isdigit() else None, name=name
    )
    if not rows:
        raise Http404("没有可比较的报告")
    return render(
        request,
        "supervision/compare.html",
        {"rows": rows, "comparison": comparison, "lines": _comparison_lines(comparison)},
    )


def _comparison_lines(comparison: Any) -> list[dict[str, Any]]:
    lines = []
    for row in comparison.rows:
        cells = []
        for value, change, percent in zip(row.values, row.changes, row.percents, strict=True):
            cells.append({"value": value, "change": change, "percent": percent})
        lines.append({"label": row.label, "cells": cells})
    return lines


@roles(Role.SUPERVISOR, Role.ADMIN)
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    files = list(batch.files.order_by("position"))
    # Each stored report is parsed once: as a file of the batch and as another's previous year.
    parsed = {f.pk: parse_report(f.report) for f in files}
    outside = {f.previous_id for f in files if f.previous_id is not None and f.previous_id not in parsed}
    names = {f.pk: f.file_name for f in files}
    for before in selectors.reports_for(request.user).filter(pk__in=outside).only("pk", "file_name", "report"):
        parsed[before.pk], names[before.pk] = parse_report(before.report), before.file_name
    rows = []
    for f in files:
        jumps = parsed_jump_findings(parsed[f.pk], parsed.get(f.previous_id)) if f.previous_id else []  # X-JUMP
        verdict = Verdict(f.status) if f.status in _VERDICTS else Verdict.WARNINGS
        if jumps and verdict is Verdict.CONSISTENT:
            verdict = Verdict.WARNINGS
        rows.append(
            FileRow(
                f.file_name,
                f.agency_name or None,
                f.year,
                f.report_format or None,
                verdict,
                f.error_count,
                f.warning_count + len(jumps),
                names.get(f.previous_id) if f.previous_id else None,
                f.read_error,
                [*f.findings, *jumps],
            )
        )
    response = HttpResponse(findings_workbook(rows), content_type=XLSX_TYPE)
    stamp = timezone.localtime(batch.created_at).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="supervision-{batch.pk}-{stamp}.xlsx"'
    return response
