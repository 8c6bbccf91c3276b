"""Write paths of the archive: lock a year, unlock it with a reason, record an export.

Locking and unlocking are the 负责人's (``APPROVER_ROLES``) of the agency itself; every lock,
unlock and export leaves an audit row in the same transaction (条例 art 45: 归档 is part of the
agency's working system for applications).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.accounts.models import APPROVER_ROLES
from gongkai.accounts.scoping import can_write
from gongkai.agencies.models import Agency
from gongkai.archives.locks import is_locked, open_case_numbers
from gongkai.archives.models import YearLockChange
from gongkai.audit.services import record
from gongkai.cases.models import Case
from gongkai.core.archive import LockAction, check_lockable, check_unlock

if TYPE_CHECKING:
    from gongkai.accounts.models import User


class ArchiveAudit(StrEnum):
    EXPORTED = "archive.exported"
    LOCKED = "archive.year_locked"
    UNLOCKED = "archive.year_unlocked"


ARCHIVE_ACTION_LABELS: dict[str, str] = {
    ArchiveAudit.EXPORTED: "导出案卷",
    ArchiveAudit.LOCKED: "锁定归档年度",
    ArchiveAudit.UNLOCKED: "解除归档年度锁定",
}


def _require_leader(actor: User, agency: Agency) -> None:
    if not can_write(actor, agency, roles=APPROVER_ROLES):
        raise PermissionDenied("只有本机关负责人可以锁定或解除锁定归档年度")


def _locked_agency(agency: Agency) -> Agency:
    """The agency row, locked: two leaders locking and unlocking the same year take turns."""
    return Agency.objects.select_for_update().get(pk=agency.pk)


@transaction.atomic
def lock_year(*, actor: User, agency: Agency, year: int, today: dt.date) -> YearLockChange:
    """Lock ``agency``'s ``year`` against changes: it has ended and none of its cases is open."""
    _require_leader(actor, agency)
    agency = _locked_agency(agency)
    check_lockable(
        year=year,
        today_year=today.year,
        open_cases=open_case_numbers(agency, year),
        already_locked=is_locked(agency.pk, year),
    )
    count = Case.objects.filter(agency=agency, year=year).count()
    change = YearLockChange.objects.create(
        agency=agency,
        year=year,
        action=LockAction.LOCKED.value,
        actor=actor,
        actor_name=actor.display_name,
        case_count=count,
    )
    record(
        actor=actor, action=ArchiveAudit.LOCKED, target=change, agency=agency, changes={"year": year, "cases": count}
    )
    return change


@transaction.atomic
def unlock_year(*, actor: User, agency: Agency, year: int, reason: str, today: dt.date) -> YearLockChange:
    """Unlock a locked year for a correction; the reason is recorded and audited."""
    _require_leader(actor, agency)
    agency = _locked_agency(agency)
    text = check_unlock(year=year, locked=is_locked(agency.pk, year), reason=reason)
    change = YearLockChange.objects.create(
        agency=agency,
        year=year,
        action=LockAction.UNLOCKED.value,
        reason=text,
        actor=actor,
        actor_name=actor.display_name,
        case_count=Case.objects.filter(agency=agency, year=year).count(),
    )
    record(
        actor=actor,
        action=ArchiveAudit.UNLOCKED,
        target=change,
        agency=agency,
        changes={"year": year, "reason": text, "on": today},
        note=text,
    )
    return change


@transaction.atomic
def record_export(
    *,
    actor: User | None,
    agency: Agency,
    year: int | None,
    case: Case | None,
    case_count: int,
    letter_count: int,
    file_count: int,
    manifest_sha256: str,
    note: str = "",
) -> None:
    """Audit an export: who took which archive (the manifest's SHA-256 identifies the copy)."""
    record(
        actor=actor,
        action=ArchiveAudit.EXPORTED,
        target=case if case is not None else agency,
        agency=agency,
        changes={
            "year": year,
            "case": case.number if case is not None else None,
            "cases": case_count,
            "letters": letter_count,
            "files": file_count,
            "manifest_sha256": manifest_sha256,
        },
        note=note,
    )
