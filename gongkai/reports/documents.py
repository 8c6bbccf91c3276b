"""The report as downloadable documents: the files stored at sign-off, or rendered on the fly for a draft.

The portal serves published reports with :func:`document_response` too (the same bytes the leader
signed off, checked against their SHA-256).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.writers import render_docx, render_html, render_pdf, render_xlsx
from gongkai.core.report.writers.layout import report_title
from gongkai.reports.models import DOCUMENT_FORMATS, AnnualReportRecord

CONTENT_TYPES: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
FORMAT_LABELS: dict[str, str] = {"docx": "Word", "pdf": "PDF", "html": "网页", "xlsx": "Excel", "json": "JSON 数据"}
#: Every downloadable format, in menu order.
FORMATS: tuple[str, ...] = ("docx", "pdf", "html", "xlsx", "json")

RENDERERS: dict[str, Callable[[AnnualReport], bytes]] = {
    "docx": render_docx,
    "pdf": render_pdf,
    "html": lambda report: render_html(report).encode("utf-8"),
    "xlsx": render_xlsx,
    "json": lambda report: report.to_json().encode("utf-8"),
}


class StoredDocumentDamaged(Exception):
    """A stored document no longer matches the digest recorded at sign-off."""


def render(report: AnnualReport, fmt: str) -> bytes:
    return RENDERERS[fmt](report)


def stored_document(record: AnnualReportRecord, fmt: str) -> bytes:
    """The bytes stored at sign-off, verified against their SHA-256."""
    field = record.document_field(fmt)
    with field.open("rb") as handle:
        content = bytes(handle.read())
    if hashlib.sha256(content).hexdigest() != record.file_digests.get(fmt):
        raise StoredDocumentDamaged(f"{record}的{FORMAT_LABELS[fmt]}文件与签发时的摘要不符")
    return content


# ---------------------------------------------------------------------------------------------
# Storing the documents of a sign-off: staged under a temporary name, moved when committed
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StagedDocument:
    """A document written under a temporary name, to be moved to ``final`` once committed."""

    storage: Any
    temporary: str
    final: str


def stage_document(record: AnnualReportRecord, fmt: str, filename: str, content: bytes) -> StagedDocument:
    """Write ``content`` under a temporary name beside its final place; point the record's
    field at the final name (free now), which holds nothing until :func:`move_into_place`."""
    field = record.document_field(fmt)
    storage = field.storage
    final = storage.get_available_name(field.field.generate_filename(record, filename))
    directory, base = os.path.split(final)
    _sweep(storage, directory)
    temporary = storage.save(os.path.join(directory, f".{base}.{uuid.uuid4().hex}.tmp"), ContentFile(content))
    setattr(record, field.field.attname, final)
    return StagedDocument(storage, temporary, final)


#: Temporary files older than this are left from a killed process or a rolled-back transaction.
_STALE = dt.timedelta(days=1)


def _sweep(storage: Any, directory: str) -> None:
    """Remove stale temporary documents (``.….tmp``) of earlier sign-offs that never committed."""
    try:
        _dirs, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        path = os.path.join(directory, name)
        if name.startswith(".") and name.endswith(".tmp") and timezone.now() - storage.get_modified_time(path) > _STALE:
            storage.delete(path)


def move_into_place(staged: Iterable[StagedDocument]) -> None:
    """Give each staged document its final name (an atomic rename on the file system)."""
    for doc in staged:
        path = getattr(doc.storage, "path", None)
        if path is not None:
            os.replace(path(doc.temporary), path(doc.final))
        else:  # pragma: no cover - no other storage is configured
            with doc.storage.open(doc.temporary, "rb") as handle:
                doc.storage.save(doc.final, handle)
            doc.storage.delete(doc.temporary)


def discard_staged(staged: Iterable[StagedDocument]) -> None:
    """Remove staged documents that will never be moved (the sign-off failed or rolled back)."""
    for doc in staged:
        doc.storage.delete(doc.temporary)


def after_commit(action: Callable[[], None]) -> None:
    """Run ``action`` once the current transaction has committed.

    Outside any transaction that is at once. Inside a caller's transaction it is on its commit
    (``transaction.on_commit``; never if it rolls back). A test case's own wrapping transaction
    never commits: when it is the only one open, the block that just ended was the commit (the
    rule Django applies to ``atomic(durable=True)``).
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block and all(getattr(b, "_from_testcase", False) for b in connection.atomic_blocks):
        action()
    else:
        transaction.on_commit(action)


def _filename(report: AnnualReport, fmt: str, *, version: int | None = None, draft: bool = False) -> str:
    stem = report_title(report)
    if version is not None and version > 1:
        stem += f"（第{version}版）"
    if draft:
        stem += "（草稿）"
    return f"{stem}.{fmt}"


def _response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_response(report: AnnualReport, fmt: str, *, draft: bool = False, version: int | None = None) -> HttpResponse:
    """``report`` rendered in ``fmt`` as an attachment."""
    return _response(render(report, fmt), fmt, _filename(report, fmt, version=version, draft=draft))


def document_response(record: AnnualReportRecord, fmt: str) -> HttpResponse:
    """A record's document: the stored file once signed off, else rendered from the draft."""
    from gongkai.reports.services import build_report

    if record.snapshot is None:
        return report_response(build_report(record), fmt, draft=True, version=record.version)
    report = record.snapshot_report()
    if fmt in DOCUMENT_FORMATS:
        try:
            content = stored_document(record, fmt)
        except StoredDocumentDamaged as exc:
            return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    else:
        content = render(report, fmt)
    return _response(content, fmt, _filename(report, fmt, version=record.version))
