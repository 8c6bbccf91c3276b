"""年报监督 write paths: upload a batch (read each file, store it), check it against the store.

The upload stores the files and starts a background job (``gongkai.jobs``: a Celery worker, or a
thread of the web process) that reads and checks them while the page shows its progress; a
worker that dies mid-batch leaves the job to another, which skips the files already read.
Reads are saved :data:`READ_CHUNK` files at a time (a file that cannot be read, or a reader that
fails on it, is saved as unreadable with the reason and the batch goes on), so a killed worker
loses at most one chunk and the page's progress moves as the batch does. The checks
(``gongkai.core.report.crosscheck``) run once every file is stored, so files of one batch are
checked against each other (2024 against 2023 uploaded together) and against earlier uploads the
user may see; their results are saved :data:`CHECK_CHUNK` files at a time.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
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
from gongkai.core.report.crosscheck import Entry, EntryResult, iter_audit, same_agency, squash
from gongkai.core.report.findings import count_errors
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import read_bytes, sniff
from gongkai.jobs.models import Job
from gongkai.jobs.registry import JobContext, JobKind, register
from gongkai.jobs.services import start_job
from gongkai.supervision.archives import MAX_FILES, Upload, UploadLimitError, expand
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
#: Files read per transaction (and progress step) of the job; checks saved per transaction.
READ_CHUNK = 25
CHECK_CHUNK = 100


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
    # Each file (archive member) is stored as it is unpacked; a refused batch leaves nothing behind.
    folder = f"supervision/upload-{uuid.uuid4().hex}"
    counter = iter(range(1, MAX_FILES * 2 + 1))

    def store(data: bytes) -> str:
        return default_storage.save(f"{folder}/{next(counter):05d}", ContentFile(data))

    try:
        uploads = expand(files, store=store, discard=default_storage.delete)
    except UploadLimitError as exc:
        raise SupervisionError(str(exc)) from None
    if not uploads:
        raise SupervisionError("压缩包中没有文件")
    written = False
    try:
        with transaction.atomic():
            batch = ReportBatch.objects.create(agency=agency, uploaded_by=actor, title=title.strip()[:120])
            record(
                actor=actor,
                action=SupervisionAction.BATCH_UPLOADED,
                target=batch,
                changes={"files": [u.name for u in uploads], "count": len(uploads)},
            )
            pending = [
                {"position": position, "name": u.name, "error": u.error, "path": u.path}
                for position, u in enumerate(uploads, start=1)
            ]
            start_job(
                actor=actor,
                kind=READ_BATCH_JOB,
                params={"batch": batch.pk, "files": pending},
                label=f"读取并核对年度报告（{len(uploads)} 个文件）",
                agency=agency,
            )
            written = True
    except BaseException:
        if written:  # the batch is saved (the job's dispatch failed after the commit): its files stay
            raise
        for upload in uploads:
            if upload.path:
                default_storage.delete(upload.path)
        raise
    return batch


def batch_job(batch: ReportBatch) -> Job | None:
    """The latest job that reads ``batch`` (for its page's progress notice)."""
    return Job.objects.filter(kind=READ_BATCH_JOB, params__batch=batch.pk).order_by("-created_at").first()


def _read_batch(context: JobContext) -> dict[str, object]:
    """The job: read every stored file not yet read (a re-run after a dead worker skips those),
    then check the batch. Safe to run again from the start: a file is saved once (one row per
    position), a re-check replaces the findings."""
    batch = ReportBatch.objects.select_related("agency").get(pk=context.params["batch"])
    actor = context.actor
    files = list(context.params["files"])
    done_positions = set(batch.files.values_list("position", flat=True))
    matcher = AgencyMatcher(visible_agencies(actor))
    total = 2 * len(files)  # reading, then checking (scaled to the files' count)
    chunk: list[ReadReport] = []
    for index, item in enumerate(files, start=1):
        if item["position"] not in done_positions:
            chunk.append(_read_one(batch, item, matcher))
        if len(chunk) >= READ_CHUNK or index == len(files):
            _save_reads(chunk)
            chunk = []
            context.progress(index, total, f"已读取 {index} / {len(files)} 个文件：{item['name']}")

    def checked(done: int, of: int) -> None:
        context.progress(
            len(files) + done * len(files) // max(of, 1), total, f"已核对 {done} / {of} 个文件", force=done == 0
        )

    try:
        check_batch(actor=actor, batch=batch, progress=checked)
    except Exception:
        # Every file is saved already; its status stays 待核对 and the batch page offers 重新核对.
        logger.exception("supervision: checks of batch %s failed", batch.pk)
    for item in files:
        if item["path"]:
            default_storage.delete(item["path"])
    return {"next_url": reverse("supervision:batch", args=[batch.pk]), "batch": batch.pk}


register(JobKind(name=READ_BATCH_JOB, label="读取并核对年度报告", run=_read_batch))


def _read_one(batch: ReportBatch, item: dict[str, object], matcher: AgencyMatcher) -> ReadReport:
    data, error = b"", str(item["error"])
    if item["path"] and not error:
        try:
            with default_storage.open(str(item["path"]), "rb") as handle:
                data = handle.read()
        except OSError:
            error = "上传的文件已不在存储中，请重新上传"
    return _store(batch, int(str(item["position"])), Upload(name=str(item["name"]), data=data, error=error), matcher)


def _save_reads(rows: list[ReadReport]) -> None:
    """One transaction for a chunk of reads; a row already saved (a re-run) is left as it is."""
    if rows:
        with transaction.atomic():
            ReadReport.objects.bulk_create(rows, ignore_conflicts=True)


def _store(batch: ReportBatch, position: int, upload: Upload, matcher: AgencyMatcher) -> ReadReport:
    """Read one file: the row to save, with what came out (or why nothing did). A reader that
    fails on the file (any exception) makes it unreadable with the reason; the batch goes on."""
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
        except Exception as exc:  # a reader's own bug must not stop the other files
            logger.exception("supervision: reading %r of batch %s failed", upload.name, batch.pk)
            error = f"读取该文件时出错（{type(exc).__name__}: {str(exc)[:200]}），已记录日志；其他文件照常读取"
            report = None
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
        row.matched_agency = matcher.match(report.agency)
        row.status = ReadStatus.PENDING
    return row


class AgencyMatcher:
    """:func:`match_agency` for many names: the exact names indexed once."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self.agencies: list[Agency] = list(agencies)
        self._exact: dict[str, Agency] = {}
        for agency in reversed(self.agencies):  # the first agency wins, as in match_agency
            for name in (agency.short_name, agency.name):
                if name:
                    self._exact[squash(name)] = agency

    def match(self, name: str | None) -> Agency | None:
        if not name:
            return None
        found = self._exact.get(squash(name))
        if found is not None:
            return found
        matches = [a for a in self.agencies if same_agency(a.name, name)]
        return matches[0] if len(matches) == 1 else None


def match_agency(name: str | None, agencies: Sequence[Agency]) -> Agency | None:
    """The agency in ``agencies`` (the user's scope) that ``name`` names: same name, short name, or tail."""
    return AgencyMatcher(agencies).match(name)


def check_batch(*, actor: User, batch: ReportBatch, progress: Callable[[int, int], None] | None = None) -> None:
    """Run the checks of every read file of ``batch`` against the batch and the reports ``actor`` may see.

    Cross-year pairs and the region sum come from ``gongkai.core.report.crosscheck``; the region
    sum only where every active agency directly below the parent has a report of that year.
    Re-running it (after more uploads) replaces the findings. Only a writer of the batch's own
    agency (:func:`may_change`) checks it: a supervisor never re-saves a subordinate's batch.
    The results are saved :data:`CHECK_CHUNK` files per transaction, each time telling
    ``progress(checked, of)``.
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
    # The first entry of the pool (the batch, then the newest uploads) of each agency and year.
    first_of: dict[tuple[int, int | None], Entry] = {}
    place: dict[int, int] = {}
    for position, entry in enumerate([*entries, *context]):
        row = row_of[id(entry)]
        place[id(entry)] = position
        if row.matched_agency_id is not None:
            first_of.setdefault((row.matched_agency_id, row.year), entry)

    def children_of(entry: Entry, pool: Sequence[Entry]) -> list[Entry]:
        parent = row_of[id(entry)]
        expected = active_children.get(parent.matched_agency_id or -1)
        if not expected:
            return []
        found = [first_of.get((child, parent.year)) for child in expected]
        complete = [e for e in found if e is not None]
        return sorted(complete, key=lambda e: place[id(e)]) if len(complete) == len(found) else []

    counts = dict.fromkeys([s.value for s in ReadStatus], 0)
    if progress is not None:
        progress(0, len(entries))
    chunk: list[ReadReport] = []
    for done, result in enumerate(iter_audit(entries, context, children_of), start=1):
        row = row_of[id(result.entry)]
        _set_result(row, result, row_of)
        counts[row.status] += 1
        chunk.append(row)
        if len(chunk) >= CHECK_CHUNK or done == len(entries):
            with transaction.atomic():
                ReadReport.objects.bulk_update(chunk, _RESULT_FIELDS)
            chunk = []
            if progress is not None:
                progress(done, len(entries))
    with transaction.atomic():
        record(actor=actor, action=SupervisionAction.BATCH_CHECKED, target=batch, changes={"statuses": counts})


_RESULT_FIELDS = ["findings", "error_count", "warning_count", "status", "previous"]


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


def _set_result(row: ReadReport, result: EntryResult, row_of: dict[int, ReadReport]) -> None:
    errors, warnings = count_errors(result.findings)
    row.findings = [f.to_dict() for f in result.findings]
    row.error_count, row.warning_count = errors, warnings
    row.status = ReadStatus(result.verdict.value)
    row.previous = row_of[id(result.previous)] if result.previous is not None else None


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
