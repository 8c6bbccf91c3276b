"""Export a case, or every case of an agency's year, as a zip with an index and a manifest.

Layout (deterministic: cases by number, then each case's files in a fixed order; see
``casefile``)::

    案卷目录.pdf                 the index (``index``): number, applicant masked, dates, outcome, letters, pages
    <案件编号>/…                 each case's files (``casefile.write_case``)
    manifest.json               written last: format, generating system, time, agency, year, counts,
                                every case's line of the index, and the SHA-256 and size of every
                                other file of the zip

The zip is written to a file the caller opens (a temporary file for a download), entry by
entry (``writer.ArchiveWriter``), so a large year needs memory for one letter at a time and the
index lines, never for the archive. ``generated_at`` is passed in (``clock.now()`` at the edge).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from gongkai import __version__
from gongkai.agencies.models import Agency
from gongkai.archives.casefile import CaseRow, write_case
from gongkai.archives.index import index_pdf
from gongkai.archives.names import safe_component
from gongkai.archives.writer import ArchiveWriter
from gongkai.cases.models import Case

FORMAT = "gongkai.case-archive/1"
INDEX_NAME = "案卷目录.pdf"


@dataclass(frozen=True, slots=True)
class ArchiveResult:
    case_count: int
    letter_count: int
    file_count: int
    manifest_sha256: str
    missing: list[str] = field(default_factory=list)


def year_cases(agency: Agency, year: int, within: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """The cases of ``agency`` numbered in ``year`` (编号年份), in number order; ``within`` scopes them."""
    base = within if within is not None else Case.objects.all()
    return (
        base.filter(agency=agency, year=year)
        .select_related("agency", "department", "assigned_to")
        .order_by("sequence", "pk")
    )


def archive_filename(agency: Agency, *, year: int | None = None, case: Case | None = None) -> str:
    """The download name: "果园街道2023年度依申请公开案卷.zip" or "<案件编号>案卷.zip"."""
    short = agency.short_name or agency.name
    if case is not None:
        return safe_component(f"{case.number}案卷.zip")
    return safe_component(f"{short}{year}年度依申请公开案卷.zip")


def write_archive(
    target: IO[bytes],
    *,
    agency: Agency,
    cases: Iterable[Case],
    generated_at: dt.datetime,
    year: int | None = None,
    case_number: str | None = None,
) -> ArchiveResult:
    """Write the archive of ``cases`` (all of ``agency``) to ``target``; returns its counts."""
    local = timezone.localtime(generated_at) if timezone.is_aware(generated_at) else generated_at
    writer = ArchiveWriter(target, stamp=local)
    rows: list[CaseRow] = []
    for case in cases:
        if case.agency_id != agency.pk:
            raise ValueError(f"案件 {case.number} 不属于 {agency.name}")
        rows.append(write_case(writer, case))
    scope = f"案件 {case_number}" if case_number else f"{year}年度"
    title = f"{agency.short_name or agency.name}依申请公开案卷目录"
    writer.add_bytes(INDEX_NAME, index_pdf(title=title, agency=agency.name, scope=scope, generated_at=local, rows=rows))
    missing = [path for row in rows for path in row.missing]
    letter_count = sum(len(r.letters) for r in rows)
    manifest = {
        "format": FORMAT,
        "system": f"gongkai {__version__}",
        "generated_at": local.isoformat(),
        "agency": {"code": agency.code, "name": agency.name},
        "year": year,
        "case": case_number,
        "case_count": len(rows),
        "letter_count": letter_count,
        "index": INDEX_NAME,
        "cases": [row.as_json() for row in rows],
        "missing": missing,
    }
    data = writer.finish(manifest)
    return ArchiveResult(
        case_count=len(rows),
        letter_count=letter_count,
        file_count=len(writer.entries) + 1,
        manifest_sha256=hashlib.sha256(data).hexdigest(),
        missing=missing,
    )
