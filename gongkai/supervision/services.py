"""年报监督 write paths: upload a batch (read each file, store it), check it against the store.

The upload stores the files and starts a background job (``gongkai.jobs``: a Celery worker, or a
thread of the web process) that reads and checks them while the page shows its progress; a
worker that dies mid-batch leaves the job to another, which skips the files already read.
Reading is file by file: each read is saved on its own, so a file that cannot be read, or a fault
later in the batch, loses nothing saved before. The checks (``gongkai.core.report.crosscheck``)
run once every file is stored, so files of one batch are checked against each other (2024 against
2023 uploaded together) and against earlier uploads the user may see.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import can_write, visible_agencies
from gongkai.agencies.models import Agency
from gongkai.audit.services import record
from gongkai.core.errors import GongkaiError, ReportFormatError, ReportReadError
from gongkai.core.report.crosscheck import Entry, EntryResult, audit_reports, same_agency, squash
from gongkai.core.report.findings import count_errors
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import read_bytes, sniff
from gongkai.jobs.models import Job
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.services import start_job
from gongkai.supervision.archives import Upload, UploadLimitError, expand
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch

if TYPE_CHECKING:
    from gongkai.accounts.models import User

logger = logging.getLogger(__name__)


class SupervisionAction(StrEnum):
    BATCH_UPLOADED = "supervision.batch_uploaded"
    BATCH_CHECKED = "supervision.batch_checked"


class SupervisionError(GongkaiError):
    """An upload that cannot be taken (no agency, nothing sent, over a limit); the message says why."""


#: Who uploads and checks batches: the 主管部门, for its own agency. Everyone who may read a batch
#: (``visible_to``: the supervisors above, the administrator) reads it; nobody else writes to it.
SUPERVISION_WRITERS = frozenset({Role.SUPERVISOR})


def may_change(actor: User | None, agency: Agency) -> bool:
    """True when ``actor`` may upload for, or re-check the batches of, ``agency`` (``can_write``)."""
    return can_write(actor, agency, roles=SUPERVISION_WRITERS)


def _require_change(actor: User, agency: Agency) -> None:
    if not may_change(actor, agency):
        raise PermissionDenied(f"只有{agency.name}的主管部门人员可以上传或核对该机构的年度报告批次")


READ_BATCH_JOB = "supervision.read_batch"


def upload_batch(*, actor: User, files: Sequence[tuple[str, bytes]], title: str = "") -> ReportBatch:
    """Store a batch of published reports for ``actor``'s agency and start reading and checking it.

    The batch, its audit record, the files (under ``supervision/<batch>/``) and the job are written
    together; the job reads each file in its own transaction, then checks them all. Archives are
    unpacked within the limits of :mod:`gongkai.supervision.archives` (a batch over a limit is
    refused whole, before anything is stored).
    """
    agency = actor.agency
    if agency is None:
        raise SupervisionError("上传年度报告需要所属机构：系统管理员请用机构账号上传")
    _require_change(actor, agency)
    if not files:
        raise SupervisionError("请选择要核对的文件")
    try:
        uploads = expand(files)
    except UploadLimitError as exc:
        raise SupervisionError(str(exc)) from None
    if not uploads:
        raise SupervisionError("压缩包中没有文件")
    with transaction.atomic():
        batch = ReportBatch.objects.create(agency=agency, uploaded_by=actor, title=title.strip()[:120])
        record(
            actor=actor,
            action=SupervisionAction.BATCH_UPLOADED,
            target=batch,
            changes={"files": [u.name for u in uploads], "count": len(uploads)},
        )
        pending = []
        for position, upload in enumerate(uploads, start=1):
            path = ""
            if not upload.error:
                path = default_storage.save(f"supervision/{batch.pk}/{position:05d}", ContentFile(upload.data))
            pending.append({"position": position, "name": upload.name, "error": upload.error, "path": path})
        start_job(
            actor=actor,
            kind=READ_BATCH_JOB,
            params={"batch": batch.pk, "files": pending},
            label=f"读取并核对年度报告（{len(uploads)} 个文件）",
            agency=agency,
        )
    return batch


def batch_job(batch: ReportBatch) -> Job | None:
    """The latest job that reads ``batch`` (for its page's progress notice)."""
    return Job.objects.filter(kind=READ_BATCH_JOB, params__batch=batch.pk).order_by("-created_at").first()


def _read_batch(context: JobContext) -> dict[str, object]:
    """The job: read every stored file not yet read (a re-run after a dead worker skips those),
    then check the batch. Safe to run again from the start."""
    batch = ReportBatch.objects.select_related("agency").get(pk=context.params["batch"])
    actor = context.actor
    files = list(context.params["files"])
    done_positions = set(batch.files.values_list("position", flat=True))
    agencies = list(visible_agencies(actor))
    total = len(files) + 1
    for index, item in enumerate(files, start=1):
        if item["position"] not in done_positions:
            data = b""
            if item["path"]:
                with default_storage.open(item["path"], "rb") as handle:
                    data = handle.read()
            _store(batch, int(item["position"]), Upload(name=item["name"], data=data, error=item["error"]), agencies)
        context.progress(index, total, f"已读取 {index} / {len(files)} 个文件：{item['name']}")
    context.progress(len(files), total, "正在核对（勾稽关系、跨年度、汇总）…", force=True)
    try:
        check_batch(actor=actor, batch=batch)
    except Exception:
        # Every file is saved already; its status stays 待核对 and the batch page offers 重新核对.
        logger.exception("supervision: checks of batch %s failed", batch.pk)
    for item in files:
        if item["path"]:
            default_storage.delete(item["path"])
    return {"next_url": reverse("supervision:batch", args=[batch.pk]), "batch": batch.pk}


register(JobKind(name=READ_BATCH_JOB, label="读取并核对年度报告", run=_read_batch))


def _store(batch: ReportBatch, position: int, upload: Upload, agencies: list[Agency]) -> ReadReport:
    """Read one file and save what came out (or why nothing did)."""
    started = time.perf_counter()
    report: AnnualReport | None = None
    error = upload.error
    kind = ""
    if not error:
        try:
            kind = sniff(upload.data, upload.name).value
            report = read_bytes(upload.data, upload.name)
        except ReportReadError as exc:
            error = str(exc)
    elapsed = round((time.perf_counter() - started) * 1000)
    row = ReadReport(
        batch=batch,
        position=position,
        file_name=upload.name[:255],
        sha256=hashlib.sha256(upload.data).hexdigest(),
        size=len(upload.data),
        source_format=kind,
        read_ms=elapsed,
    )
    if report is None:
        row.status, row.read_error = ReadStatus.UNREADABLE, error or "无法读取"
    else:
        row.report = report.to_dict()
        row.agency_name = (report.agency or "")[:200]
        row.year = report.year if report.year is not None and 0 < report.year < 32768 else None
        row.report_format = report.format.value
        row.matched_agency = match_agency(report.agency, agencies)
        row.status = ReadStatus.PENDING
    with transaction.atomic():
        row.save()
    return row


def match_agency(name: str | None, agencies: Sequence[Agency]) -> Agency | None:
    """The agency in ``agencies`` (the user's scope) that ``name`` names: same name, short name, or tail."""
    if not name:
        return None
    key = squash(name)
    for agency in agencies:
        if key in (squash(agency.name), squash(agency.short_name or "\0")):
            return agency
    matches = [a for a in agencies if same_agency(a.name, name)]
    return matches[0] if len(matches) == 1 else None


def check_batch(*, actor: User, batch: ReportBatch) -> None:
    """Run the checks of every read file of ``batch`` against the batch and the reports ``actor`` may see.

    Cross-year pairs and the region sum come from ``gongkai.core.report.crosscheck``; the region
    sum only where every active agency directly below the parent has a report of that year.
    Re-running it (after more uploads) replaces the findings. Only a writer of the batch's own
    agency (:func:`may_change`) checks it: a supervisor never re-saves a subordinate's batch.
    """
    _require_change(actor, batch.agency)
    rows = list(batch.files.readable().select_related("matched_agency"))
    if not rows:
        return
    years = {r.year for r in rows if r.year is not None} | {r.year - 1 for r in rows if r.year}
    others = list(
        ReadReport.objects.readable()
        .visible_to(actor)
        .exclude(batch=batch)
        .filter(year__in=years)
        .select_related("matched_agency")
        .order_by("-batch__created_at", "-id")
    )
    entries, by_entry = _entries(rows)
    context, context_rows = _entries(others)
    row_of = {**by_entry, **context_rows}
    parents = {r.matched_agency_id for r in rows if r.matched_agency_id is not None}
    active_children: dict[int, set[int]] = {}
    for child in Agency.objects.filter(parent_id__in=parents, is_active=True).values("pk", "parent_id"):
        active_children.setdefault(child["parent_id"], set()).add(child["pk"])

    def children_of(entry: Entry, pool: Sequence[Entry]) -> list[Entry]:
        parent = row_of[id(entry)]
        expected = active_children.get(parent.matched_agency_id or -1)
        if not expected:
            return []
        found: dict[int, Entry] = {}
        for other in pool:
            child = row_of[id(other)]
            if child.matched_agency_id in expected and child.year == parent.year:
                found.setdefault(child.matched_agency_id, other)
        return list(found.values()) if set(found) == expected else []

    results = audit_reports(entries, context, children_of)
    counts = dict.fromkeys([s.value for s in ReadStatus], 0)
    for result in results:
        row = row_of[id(result.entry)]
        _save_result(row, result, row_of)
        counts[row.status] += 1
    with transaction.atomic():
        record(actor=actor, action=SupervisionAction.BATCH_CHECKED, target=batch, changes={"statuses": counts})


def _entries(rows: Sequence[ReadReport]) -> tuple[list[Entry], dict[int, ReadReport]]:
    entries: list[Entry] = []
    by_id: dict[int, ReadReport] = {}
    for row in rows:
        try:
            report = AnnualReport.from_dict(row.report)
        except ReportFormatError:
            logger.warning("ReadReport %s: stored report does not parse", row.pk)
            continue
        agency = row.matched_agency.name if row.matched_agency is not None else None
        entry = Entry(f"{row.file_name}（第{row.batch_id}批）", report, agency)
        entries.append(entry)
        by_id[id(entry)] = row
    return entries, by_id


def _save_result(row: ReadReport, result: EntryResult, row_of: dict[int, ReadReport]) -> None:
    errors, warnings = count_errors(result.findings)
    row.findings = [f.to_dict() for f in result.findings]
    row.error_count, row.warning_count = errors, warnings
    row.status = ReadStatus(result.verdict.value)
    row.previous = row_of[id(result.previous)] if result.previous is not None else None
    with transaction.atomic():
        row.save(update_fields=["findings", "error_count", "warning_count", "status", "previous"])


def batch_counts(batch: ReportBatch) -> dict[str, int]:
    """Files of ``batch`` by status."""
    counts = dict.fromkeys([s.value for s in ReadStatus], 0)
    for status in batch.files.values_list("status", flat=True):
        counts[status] += 1
    return counts


__all__ = [
    "SUPERVISION_WRITERS",
    "SupervisionAction",
    "SupervisionError",
    "batch_counts",
    "check_batch",
    "match_agency",
    "may_change",
    "upload_batch",
]
