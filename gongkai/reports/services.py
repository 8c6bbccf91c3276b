"""Write paths for annual reports: start a draft, write the narrative, sign off, publish, revise.

Each is one ``transaction.atomic`` with its audit record. The officer submits a finished draft
for sign-off (提交签发); the leader signs it off or returns it. Signing off is the only way a report
becomes ``signed_off``: it recomputes the tables from the records, runs the core checks
(``check_report``, against last year's signed report when there is one) and refuses on any
error-severity finding, and on any number of the narrative its tables contradict (条例 art 50,
``crosscheck.narrative_contradictions``) unless the officer recorded why (``explain_contradictions``,
shown to the supervisor), then freezes the data and stores the rendered documents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import APPROVER_ROLES, Role
from gongkai.audit.services import record as audit
from gongkai.core.report.checks import check_report, has_errors
from gongkai.core.report.crosscheck import NARRATIVE_RULES, finding_key, narrative_contradictions
from gongkai.core.report.findings import Finding
from gongkai.core.report.lifecycle import LOCKED_STATUSES, ReportAction, ReportStatus, next_status
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.writers import render_docx, render_html, render_pdf, render_xlsx
from gongkai.reports.compute import compute_report
from gongkai.reports.errors import SignOffRefused
from gongkai.reports.models import DOCUMENT_FORMATS, AnnualReportRecord, ReportLocked
from gongkai.reports.narrative import NARRATIVE_SECTIONS, SECTION_LABELS, first_draft, placeholders_left
from gongkai.reports.selectors import fee_totals, previous_year_report, report_facts
from gongkai.reports.staging import StagedDocument, after_commit, discard_staged, move_into_place, stage_document
from gongkai.reports.table2 import published_items

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


class ReportAuditAction(StrEnum):
    """Audit codes of the reports app."""

    DRAFT_STARTED = "report.draft_started"
    NARRATIVE_SAVED = "report.narrative_saved"
    SUBMITTED = "report.submitted"
    RETURNED = "report.returned"
    CONTRADICTIONS_EXPLAINED = "report.contradictions_explained"
    SIGNED_OFF = "report.signed_off"
    PUBLISHED = "report.published"
    NEW_VERSION = "report.new_version"


#: Roles that draft, publish and revise the report (科室信息员 supply material, they do not draft it).
EDITOR_ROLES = frozenset({Role.OFFICER, Role.LEADER})

#: Format → writer of the documents stored at sign-off.
WRITERS: dict[str, Callable[[AnnualReport], bytes]] = {
    "docx": render_docx,
    "pdf": render_pdf,
    "html": lambda report: render_html(report).encode("utf-8"),
    "xlsx": render_xlsx,
}
assert set(WRITERS) == set(DOCUMENT_FORMATS)


def _require_editor(actor: User, agency: Agency) -> None:
    if not (actor.is_active and actor.role in EDITOR_ROLES and actor.agency_id == agency.pk):
        raise PermissionDenied("只有本机关的信息公开工作人员或负责人可以编制年度报告")


def can_edit(actor: Any, agency: Agency) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.role in EDITOR_ROLES
        and actor.agency_id == agency.pk
    )


def can_sign_off(actor: Any, agency: Agency) -> bool:
    """Only a 负责人 of the report's own agency signs it off (国办公开办函〔2021〕30号 一（四）)."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.role in APPROVER_ROLES
        and actor.agency_id == agency.pk
    )


def build_report(record: AnnualReportRecord) -> AnnualReport:
    """The report a record stands for: its frozen snapshot, or (a draft) the records' tables + narrative."""
    if record.snapshot is not None:
        return record.snapshot_report()
    report = compute_report(record.agency, record.year)
    report.sections = {k: v for k, v in record.narrative.items() if v}
    return report


@transaction.atomic
def start_draft(*, actor: User, agency: Agency, year: int, today: dt.date) -> AnnualReportRecord:
    """Version 1 of the report for ``year``, its narrative drafted from the records' facts.

    Refuses a year not yet ended (条例 art 50: the report covers a whole year) and a second
    version 1; a later version comes from :func:`new_version`.
    """
    _require_editor(actor, agency)
    if year >= today.year:
        raise ValidationError(f"{year}年尚未结束，不能编制该年度的年度报告")
    if AnnualReportRecord.objects.filter(agency=agency, year=year).exists():
        raise ValidationError(f"{agency.name}{year}年度报告已存在，请打开现有版本")
    record = AnnualReportRecord(
        agency=agency, year=year, version=1, narrative=first_draft(report_facts(agency, year)), created_by=actor
    )
    record.full_clean()
    record.save()
    audit(actor=actor, action=ReportAuditAction.DRAFT_STARTED, target=record, changes={"year": year, "version": 1})
    return record


@transaction.atomic
def save_narrative(*, actor: User, record: AnnualReportRecord, sections: dict[str, str]) -> AnnualReportRecord:
    """Replace the narrative of a draft (the tables are never typed in)."""
    _require_editor(actor, record.agency)
    record = AnnualReportRecord.objects.select_for_update().get(pk=record.pk)
    if record.status in LOCKED_STATUSES:
        raise ReportLocked(f"{record}已{record.get_status_display()}，不能修改，请编制新版本")
    if record.status == ReportStatus.SUBMITTED:
        raise ReportLocked(f"{record}已提交签发，修改前请先撤回")
    unknown = set(sections) - set(NARRATIVE_SECTIONS)
    if unknown:
        raise ValidationError(f"未知的报告部分：{'、'.join(sorted(unknown))}")
    before = dict(record.narrative)
    after = {**before, **{k: v.replace("\r\n", "\n").strip() for k, v in sections.items()}}
    changed = [k for k in NARRATIVE_SECTIONS if before.get(k, "") != after.get(k, "")]
    if not changed:
        return record
    record.narrative = after
    record.save(update_fields=["narrative", "updated_at"])
    audit(
        actor=actor,
        action=ReportAuditAction.NARRATIVE_SAVED,
        target=record,
        changes={"sections": [SECTION_LABELS[k] for k in changed]},
    )
    return record


def sign_off(
    *,
    actor: User,
    record: AnnualReportRecord,
    now: dt.datetime | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> AnnualReportRecord:
    """Sign off a draft: the checks must pass (no error), then data and documents are frozen.

    Only a 负责人 (LEADER) of the report's agency signs off (国办公开办函〔2021〕30号 一（四）: the
    leader in charge answers for the report). Refused with :class:`SignOffRefused` when
    ``check_report`` finds an error (legal spec §3.7 V1–V6) or a 【待填写】 mark is left.
    ``progress(done, total, message)`` hears each document rendered (the background job's page).
    """
    if not can_sign_off(actor, record.agency):
        raise PermissionDenied("只有本机关负责人可以签发年度报告")
    now = now or timezone.now()
    staged: list[StagedDocument] = []
    try:
        signed = _sign_off(actor, record, now, staged, progress or (lambda done, total, message: None))
    except BaseException:
        discard_staged(staged)  # the transaction rolled back: no row refers to these files
        raise
    # The documents get their signed names only once the row that signs them is committed: an
    # interrupted sign-off leaves at most temporary files, never an unsigned file under a signed name.
    after_commit(lambda: move_into_place(staged))
    return signed


def check_signable(record: AnnualReportRecord) -> tuple[AnnualReport, list[Finding]]:
    """The report as it would be signed and its findings, or :class:`SignOffRefused` with every
    reason: an error of ``check_report`` (legal spec §3.7 V1–V6), a 【待填写】 mark left, or a number
    of the narrative its tables contradict and nobody explained (条例 art 50). Also what the
    sign-off page runs before it queues the sign-off job, so a refusal shows at once."""
    next_status(record.status, ReportAction.SIGN_OFF)
    report = build_report(record)
    findings = check_report(report, previous_year_report(record.agency, record.year))
    if has_errors(findings):
        raise SignOffRefused.from_findings([f for f in findings if f.is_error])
    unfinished = placeholders_left(report.sections)
    if unfinished:
        raise SignOffRefused([f"“{SECTION_LABELS[k]}”还有【待填写】的内容" for k in unfinished])
    contradictions = contradictions_of(record, report)
    unexplained = unexplained_contradictions(record, contradictions)
    if unexplained:
        raise SignOffRefused(
            [*(f.message for f in unexplained), "请改正正文，或由经办人说明不一致的原因后再提交签发"], unexplained
        )
    return report, [*findings, *contradictions]


#: What the progress bar says while each document is rendered.
_RENDERING = {"docx": "Word", "pdf": "PDF", "html": "网页", "xlsx": "Excel"}


@transaction.atomic
def _sign_off(
    actor: User,
    record: AnnualReportRecord,
    now: dt.datetime,
    staged: list[StagedDocument],
    progress: Callable[[int, int, str], None],
) -> AnnualReportRecord:
    record = AnnualReportRecord.objects.select_for_update().select_related("agency").get(pk=record.pk)
    status = next_status(record.status, ReportAction.SIGN_OFF)
    report, findings = check_signable(record)
    digests: dict[str, str] = {}
    stem = f"{record.agency.code}-{record.year}-v{record.version}"
    for done, (fmt, write) in enumerate(WRITERS.items()):
        progress(done, len(WRITERS), f"正在生成{_RENDERING.get(fmt, fmt)}文档")
        content = write(report)
        digests[fmt] = hashlib.sha256(content).hexdigest()
        staged.append(stage_document(record, fmt, f"{stem}.{fmt}", content))
    progress(len(WRITERS), len(WRITERS), "正在保存签发记录")
    record.snapshot = report.to_dict()
    reason = record.contradiction_reason
    record.findings = [
        {**f.to_dict(), "explanation": reason} if f.rule in NARRATIVE_RULES else f.to_dict() for f in findings
    ]
    record.file_digests = digests
    record.status = status
    record.signed_by = actor
    record.signed_at = now
    record.save()
    audit(
        actor=actor,
        action=ReportAuditAction.SIGNED_OFF,
        target=record,
        changes={
            "version": record.version,
            "status": [ReportStatus.DRAFT.value, status.value],
            "warnings": len(findings),
            "explained": record.contradiction_reason,
            "sha256": digests,
        },
    )
    return record


@transaction.atomic
def publish(*, actor: User, record: AnnualReportRecord, now: dt.datetime | None = None) -> AnnualReportRecord:
    """Publish a signed-off report (条例 art 49: on the portal by 31 January / 31 March)."""
    _require_editor(actor, record.agency)
    record = AnnualReportRecord.objects.select_for_update().get(pk=record.pk)
    record.status = next_status(record.status, ReportAction.PUBLISH)
    record.published_at = now or timezone.now()
    record.save(update_fields=["status", "published_at"])
    audit(
        actor=actor,
        action=ReportAuditAction.PUBLISHED,
        target=record,
        changes={"version": record.version, "status": [ReportStatus.SIGNED_OFF.value, record.status]},
    )
    return record


@transaction.atomic
def new_version(*, actor: User, record: AnnualReportRecord) -> AnnualReportRecord:
    """A new draft that supersedes a signed-off or published version, starting from its narrative."""
    _require_editor(actor, record.agency)
    record = AnnualReportRecord.objects.select_for_update().get(pk=record.pk)
    if record.status not in LOCKED_STATUSES:
        raise ReportLocked(f"{record}尚未签发，直接修改该草稿即可")
    if AnnualReportRecord.objects.filter(supersedes=record).exists():
        raise ValidationError(f"{record}已有新版本")
    draft = AnnualReportRecord(
        agency=record.agency,
        year=record.year,
        version=record.version + 1,
        supersedes=record,
        narrative={k: v for k, v in record.snapshot_report().sections.items() if k in NARRATIVE_SECTIONS},
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    audit(
        actor=actor,
        action=ReportAuditAction.NEW_VERSION,
        target=draft,
        changes={"version": draft.version, "supersedes": record.version},
    )
    return draft


# ---------------------------------------------------------------------------------------------
# The narrative against the tables; submitting for sign-off and returning
# ---------------------------------------------------------------------------------------------


def contradictions_of(record: AnnualReportRecord, report: AnnualReport | None = None) -> list[Finding]:
    """Numbers of the draft's narrative its tables (or the records' count of items published) do
    not hold (条例 art 50; ``core.report.crosscheck.narrative_contradictions``)."""
    report = report or build_report(record)
    if not record.is_open:
        return narrative_contradictions(report)
    return narrative_contradictions(
        report,
        published_items=published_items(record.agency, record.year),
        fees=fee_totals(record.agency, record.year),
    )


def unexplained_contradictions(record: AnnualReportRecord, contradictions: list[Finding]) -> list[Finding]:
    """Those not covered by the officer's recorded explanation (a changed sentence or cell is new)."""
    note = record.contradiction_note or {}
    covered = set(note.get("keys", [])) if note.get("reason") else set()
    return [f for f in contradictions if finding_key(f) not in covered]


@transaction.atomic
def explain_contradictions(
    *, actor: User, record: AnnualReportRecord, reason: str, now: dt.datetime | None = None
) -> AnnualReportRecord:
    """Record why the narrative differs from the tables (条例 art 50); the supervisor sees it.

    The explanation covers the contradictions found now, and only those: a sentence or a cell
    changed later is a new contradiction that needs the text fixed or a new explanation. An empty
    reason withdraws the explanation. Only on a draft being written.
    """
    _require_editor(actor, record.agency)
    record = AnnualReportRecord.objects.select_for_update().select_related("agency").get(pk=record.pk)
    if not record.is_draft:
        raise ReportLocked(f"{record}已{record.get_status_display()}，不能修改说明")
    reason = " ".join(reason.split())
    if len(reason) > 1000:
        raise ValidationError("说明不能超过1000字")
    contradictions = contradictions_of(record)
    if reason and not contradictions:
        raise ValidationError("正文与表格没有不一致之处，无需说明")
    if reason and len(reason) < 10:
        raise ValidationError("请具体说明正文与表格不一致的原因（至少10个字）")
    moment = now or timezone.now()
    record.contradiction_note = (
        {
            "reason": reason,
            "keys": [finding_key(f) for f in contradictions],
            "by": actor.display_name,
            "at": moment.isoformat(),
        }
        if reason
        else {}
    )
    record.save(update_fields=["contradiction_note", "updated_at"])
    audit(
        actor=actor,
        action=ReportAuditAction.CONTRADICTIONS_EXPLAINED,
        target=record,
        changes={"reason": reason, "findings": [f.message for f in contradictions]},
    )
    return record


@transaction.atomic
def submit_for_sign_off(
    *, actor: User, record: AnnualReportRecord, now: dt.datetime | None = None
) -> AnnualReportRecord:
    """The officer says the draft is ready; the leader finds it on the desk (国办公开办函〔2021〕30号
    一（四）: the leader in charge signs). A draft with a 【待填写】 mark left is not ready."""
    _require_editor(actor, record.agency)
    record = AnnualReportRecord.objects.select_for_update().select_related("agency").get(pk=record.pk)
    status = next_status(record.status, ReportAction.SUBMIT)
    unfinished = placeholders_left(record.narrative)
    if unfinished:
        raise SignOffRefused([f"“{SECTION_LABELS[k]}”还有【待填写】的内容，不能提交签发" for k in unfinished])
    record.status = status
    record.submitted_by = actor
    record.submitted_at = now or timezone.now()
    record.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit(
        actor=actor,
        action=ReportAuditAction.SUBMITTED,
        target=record,
        changes={"status": [ReportStatus.DRAFT.value, status.value], "version": record.version},
    )
    return record


@transaction.atomic
def return_to_draft(*, actor: User, record: AnnualReportRecord, note: str = "") -> AnnualReportRecord:
    """The leader returns a submitted draft for changes (or the officer withdraws it)."""
    _require_editor(actor, record.agency)
    record = AnnualReportRecord.objects.select_for_update().get(pk=record.pk)
    status = next_status(record.status, ReportAction.RETURN)
    record.status = status
    record.submitted_by = None
    record.submitted_at = None
    record.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    audit(
        actor=actor,
        action=ReportAuditAction.RETURNED,
        target=record,
        changes={"status": [ReportStatus.SUBMITTED.value, status.value], "note": " ".join(note.split())[:500]},
    )
    return record
