"""The documents of a sign-off on disk: written under a temporary name, moved into place on commit.

A sign-off renders its documents inside its transaction; an interrupted one (an error, a rollback,
a killed worker) must never leave an unsigned file under a signed name. So each document is
written beside its place as ``.NAME.<random>.tmp`` (:func:`stage_document`), the record's field
points at the final name, and :func:`move_into_place` renames them once the transaction has
committed (:func:`after_commit`); a failure removes them (:func:`discard_staged`), and temporary
files a killed process left behind are swept a day later by the next sign-off.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.reports.models import AnnualReportRecord


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
