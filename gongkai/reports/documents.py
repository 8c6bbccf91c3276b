"""The report as downloadable documents: the files stored at sign-off, or rendered on the fly for a draft.

The portal serves published reports with :func:`document_response` too (the same bytes the leader
signed off, checked against their SHA-256).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpResponse
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
