"""Back-office pages of the annual report: list, report page, sign-off, publication, versions, downloads.

Thin: parse, call ``reports.services`` / ``reports.selectors``, render. Every lookup goes through
``accounts.scoping`` (another agency's report is a 404; a supervisor reads, never writes).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency
from gongkai.core.errors import GongkaiError
from gongkai.core.report.checks import check_report
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.writers import render_table_html
from gongkai.reports import selectors, services, similarity
from gongkai.reports.compute import compute_report, table3_by_agency
from gongkai.reports.diff import report_diff
from gongkai.reports.documents import FORMAT_LABELS, FORMATS, document_response, report_response
from gongkai.reports.forms import ExplanationForm, NarrativeForm
from gongkai.reports.jobs import pending_sign_off, start_sign_off
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.narrative import NARRATIVE_SECTIONS, SECTION_LABELS, placeholders_left
from gongkai.reports.places import finding_rows
from gongkai.reports.similarity import copy_warnings
from gongkai.web.access import ALL_ROLES, roles
from gongkai.web.auth import staff
from gongkai.web.errors import USER_ERRORS, show_error

#: Years shown on an agency's list besides those with a report.
RECENT_YEARS = 5


def _reporting_year() -> int:
    return clock.today().year - 1


def _year_param(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return _reporting_year()
    return year if 2008 <= year <= 2100 else _reporting_year()


def _agency(request: HttpRequest, agency_id: int) -> Agency:
    return get_object_or_404(visible_agencies(request.user), pk=agency_id)


def _record(request: HttpRequest, pk: int) -> AnnualReportRecord:
    return get_object_or_404(selectors.records_visible_to(request.user), pk=pk)


@roles(ALL_ROLES)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Staff: their agency's reports year by year. Supervisors and administrators: the overview."""
    user: Any = request.user
    if user.role in (Role.SUPERVISOR, Role.ADMIN) or user.agency is None:
        return redirect("reports:overview")
    agency = user.agency
    today = clock.today()
    years = sorted({*selectors.years_with_reports(agency), *range(today.year - RECENT_YEARS, today.year)}, reverse=True)
    rows = [selectors.year_overview([agency], year, today=today)[0] for year in years]
    return render(
        request,
        "reports/index.html",
        {
            "agency": agency,
            "rows": rows,
            "can_edit": services.can_edit(user, agency),
        },
    )


@roles(ALL_ROLES)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Per agency in reach: where its report for a year stands, and whether it is late (条例 art 49)."""
    year = _year_param(request)
    today = clock.today()
    rows = selectors.overview_for(request.user, year, today=today)
    totals = table3_by_agency([r.agency.pk for r in rows], year)
    counts = {
        stage: sum(1 for r in rows if r.stage == stage)
        for stage in ("none", "draft", "submitted", "signed_off", "published")
    }
    late = sum(1 for r in rows if r.lateness.timeliness.is_late)
    return render(
        request,
        "reports/overview.html",
        {
            "year": year,
            "rows": [(r, totals[r.agency.pk]) for r in rows],
            "counts": counts,
            "late": late,
            "years": range(today.year - 1, today.year - 1 - RECENT_YEARS, -1),
        },
    )


@roles(ALL_ROLES)
@require_GET
def agency_year(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    """The newest version of the agency's report for ``year``, or a preview computed from the records."""
    agency = _agency(request, agency_id)
    current = selectors.versions(agency, year).first()
    if current is not None:
        return redirect("reports:record", pk=current.pk)
    report = compute_report(agency, year)
    return _report_page(request, agency, year, None, report)


@roles(ALL_ROLES)
@require_GET
def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    return _report_page(request, record.agency, record.year, record, services.build_report(record))


def _report_page(
    request: HttpRequest,
    agency: Agency,
    year: int,
    record: AnnualReportRecord | None,
    report: AnnualReport,
    form: NarrativeForm | None = None,
) -> HttpResponse:
    user: Any = request.user
    previous = selectors.latest_locked(agency, year - 1)
    previous_report = previous.snapshot_report() if previous is not None else None
    findings = check_report(report, previous_report)
    contradictions = services.contradictions_of(record, report) if record is not None and record.is_open else []
    unexplained = services.unexplained_contradictions(record, contradictions) if record is not None else []
    editable = record is not None and record.is_draft and services.can_edit(user, agency)
    sections = report.sections
    siblings = list(Agency.objects.filter(parent_id=agency.parent_id).exclude(pk=agency.pk)) if agency.parent_id else []
    warnings = copy_warnings(
        sections,
        similarity.sources_for(agency, year),
        keys=NARRATIVE_SECTIONS,
        names=similarity.agency_names(agency, siblings),
    )
    if editable and form is None:
        form = NarrativeForm(initial={k: record.narrative.get(k, "") for k in NARRATIVE_SECTIONS} if record else {})
    last_year = previous_report.sections if previous_report else {}
    context = {
        "agency": agency,
        "year": year,
        "record": record,
        "versions": selectors.versions(agency, year),
        "report": report,
        "tables": render_table_html(report),
        "findings": finding_rows(findings, report),
        "errors": sum(1 for f in findings if f.is_error),
        "contradictions": [(f, f not in unexplained) for f in contradictions],
        "unexplained": len(unexplained),
        "explanation_form": ExplanationForm(initial={"reason": record.contradiction_reason})
        if editable and record is not None
        else None,
        "signed_explanations": [f for f in (record.findings if record is not None else []) if f.get("explanation")],
        "copy_warnings": warnings,
        "placeholders": [SECTION_LABELS[k] for k in placeholders_left(sections)],
        "form": form if editable else None,
        "sections": [(k, SECTION_LABELS[k], sections.get(k, ""), last_year.get(k, "")) for k in NARRATIVE_SECTIONS],
        "last_year_record": previous,
        "facts": selectors.report_facts(agency, year) if record is None or record.is_open else None,
        "can_start": record is None and services.can_edit(user, agency) and year < clock.today().year,
        "can_sign_off": record is not None and record.is_open and services.can_sign_off(user, agency),
        "can_submit": editable and user.role == Role.OFFICER,
        "can_return": record is not None and record.is_submitted and services.can_edit(user, agency),
        "can_publish": record is not None
        and record.status == ReportStatus.SIGNED_OFF
        and services.can_edit(user, agency),
        "can_revise": record is not None
        and record.is_locked
        and services.can_edit(user, agency)
        and not AnnualReportRecord.objects.filter(supersedes=record).exists(),
        "formats": [(f, FORMAT_LABELS[f]) for f in FORMATS],
        "lateness": selectors.year_overview([agency], year, today=clock.today())[0],
    }
    return render(request, "reports/report.html", context)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def start(request: HttpRequest, agency_id: int, year: int) -> HttpResponse:
    agency = _agency(request, agency_id)
    try:
        record = services.start_draft(
            actor=staff(request),
            agency=agency,
            year=year,
            today=clock.today(),
        )
    except ValidationError as exc:
        show_error(request, exc)
        return redirect("reports:agency_year", agency_id=agency.pk, year=year)
    messages.success(request, f"已开始编制{year}年度报告，正文已按记录预填，请补充【待填写】部分。")
    return redirect("reports:record", pk=record.pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def save_narrative(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if not services.can_edit(request.user, record.agency):
        raise PermissionDenied("只能编制本机关的年度报告")
    form = NarrativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "正文未保存，请检查各部分的长度。")
        return _report_page(request, record.agency, record.year, record, services.build_report(record), form)
    try:
        services.save_narrative(
            actor=staff(request),
            record=record,
            sections={k: form.cleaned_data[k] for k in NARRATIVE_SECTIONS},
        )
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, "正文已保存。")
    return redirect("reports:record", pk=record.pk)


@roles(Role.LEADER)
@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's sign-off, after a confirmation page (it cannot be undone; no JavaScript needed).

    GET shows what will be frozen and every check that stands in the way (a narrative sentence
    its tables contradict is named with the cell); POST with ``confirm`` runs the checks and
    queues the sign-off job (the documents are rendered in the background), then shows its progress.
    """
    record = _record(request, pk)
    if not services.can_sign_off(request.user, record.agency):
        raise PermissionDenied("只有本机关负责人可以签发年度报告")
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, "请勾选“我已核对，确认签发”：签发后报告不能修改。")
            return _sign_off_page(request, record, status=400)
        try:
            job = start_sign_off(actor=staff(request), record=record)
        except USER_ERRORS as exc:
            status = show_error(request, exc)
            return _sign_off_page(request, record, status=status)
        record.refresh_from_db()
        if record.is_locked:  # signed already (jobs run inline when so configured)
            messages.success(request, "已签发。签发后的报告不能修改，如需更正请编制新版本。")
            return redirect("reports:record", pk=record.pk)
        messages.info(request, "正在签发：生成 Word、PDF、网页和 Excel 文档，完成后转到报告页面。")
        return redirect("jobs:detail", pk=job.pk)
    return _sign_off_page(request, record)


def _sign_off_page(request: HttpRequest, record: AnnualReportRecord, *, status: int = 200) -> HttpResponse:
    report = services.build_report(record)
    previous = selectors.previous_year_report(record.agency, record.year)
    findings = check_report(report, previous) if record.is_open else []
    contradictions = services.contradictions_of(record, report) if record.is_open else []
    unexplained = services.unexplained_contradictions(record, contradictions)
    context = {
        "record": record,
        "pending": pending_sign_off(record) if record.is_open else None,
        "errors": [f for f in findings if f.is_error],
        "contradictions": [(f, f not in unexplained) for f in contradictions],
        "placeholders": [SECTION_LABELS[k] for k in placeholders_left(report.sections)],
        "signable": record.is_open,
    }
    return render(request, "reports/sign_off.html", context, status=status)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer says the draft is ready for the leader's sign-off."""
    record = _record(request, pk)
    try:
        services.submit_for_sign_off(actor=staff(request), record=record)
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已提交负责人签发。负责人在首页“待签发的年度报告”中可以看到。")
    return redirect("reports:record", pk=record.pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def return_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """A submitted draft back to the officer (the leader returns it, or the officer withdraws it)."""
    record = _record(request, pk)
    try:
        services.return_to_draft(actor=staff(request), record=record, note=request.POST.get("note", ""))
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已退回草稿，可以修改正文后重新提交签发。")
    return redirect("reports:record", pk=record.pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def explain(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer's explanation of why the narrative differs from the tables (the supervisor sees it)."""
    record = _record(request, pk)
    form = ExplanationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "说明未保存：" + "；".join(str(e) for e in form.errors.get("reason", [])))
        return redirect("reports:record", pk=record.pk)
    try:
        services.explain_contradictions(actor=staff(request), record=record, reason=form.cleaned_data["reason"])
    except USER_ERRORS as exc:
        show_error(request, exc)
    else:
        messages.success(request, "说明已保存，负责人签发时和上级主管部门查看报告时可以看到。")
    return redirect("reports:record", pk=record.pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    try:
        services.publish(actor=staff(request), record=record)
    except GongkaiError as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已发布，公众门户可以查看和下载。")
    return redirect("reports:record", pk=record.pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    try:
        draft = services.new_version(actor=staff(request), record=record)
    except USER_ERRORS as exc:
        show_error(request, exc)
        return redirect("reports:record", pk=record.pk)
    messages.success(request, f"已编制第{draft.version}版草稿，签发后替代第{record.version}版。")
    return redirect("reports:record", pk=draft.pk)


@roles(ALL_ROLES)
@require_GET
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    """What this version changes against the one it supersedes (cells, then paragraphs)."""
    record = _record(request, pk)
    if record.supersedes is None:
        raise Http404("第1版没有可比较的上一版本")
    old = record.supersedes
    changes = report_diff(old.snapshot_report(), services.build_report(record))
    return render(request, "reports/diff.html", {"record": record, "old": old, "diff": changes})


@roles(ALL_ROLES)
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    record = _record(request, pk)
    if fmt not in FORMATS:
        raise Http404("不支持的格式")
    return document_response(record, fmt)


@roles(ALL_ROLES)
@require_GET
def preview_download(request: HttpRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    agency = _agency(request, agency_id)
    if fmt not in FORMATS:
        raise Http404("不支持的格式")
    return report_response(compute_report(agency, year), fmt, draft=True)


@roles(ALL_ROLES)
@require_GET
def similarity_page(request: HttpRequest, pk: int) -> HttpResponse:
    """内容雷同, side by side: each section against last year's report and the siblings' (国办公开办函
    〔2021〕30号), copied sentences marked on both sides, with the share of the section copied."""
    record = _record(request, pk)
    agency = record.agency
    siblings = list(Agency.objects.filter(parent_id=agency.parent_id).exclude(pk=agency.pk)) if agency.parent_id else []
    report = services.build_report(record)
    rows = similarity.side_by_side(report.sections, agency, record.year, siblings)
    context = {
        "record": record,
        "rows": rows,
        "sources": [name for name, _ in similarity.sources_for(agency, record.year)],
        "thresholds": similarity.thresholds(),
    }
    return render(request, "reports/similarity.html", context)
