"""Write paths for agencies and departments (one function per use case, audited)."""

from __future__ import annotations

from django.db import transaction

from gongkai.agencies.models import Agency, AgencyLevel, Department
from gongkai.audit.services import Actor, AuditAction, record


@transaction.atomic
def create_agency(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    level: AgencyLevel | str,
    parent: Agency | None = None,
    short_name: str = "",
) -> Agency:
    """Create an agency under ``parent`` and set its materialised path."""
    agency = Agency(code=code, name=name, short_name=short_name, level=level, parent=parent, path="")
    agency.full_clean(exclude=["path"])
    agency.save()
    place_agency(agency)
    record(
        actor=actor,
        action=AuditAction.AGENCY_CREATED,
        target=agency,
        agency=agency,
        changes={"code": code, "name": name, "level": str(level), "parent": parent.name if parent else None},
    )
    return agency


@transaction.atomic
def ensure_department(*, actor: Actor | None, agency: Agency, name: str) -> Department:
    """The department ``name`` of ``agency``, created (and audited) if missing."""
    department, created = Department.objects.get_or_create(agency=agency, name=name)
    if created:
        record(
            actor=actor, action=AuditAction.DEPARTMENT_CREATED, target=department, agency=agency, changes={"name": name}
        )
    return department


def place_agency(agency: Agency) -> None:
    """Recompute the materialised path of ``agency`` and everything below it (after create or move)."""
    expected = f"{agency.parent.path if agency.parent else '/'}{agency.pk}/"
    old = agency.path
    if old == expected:
        return
    agency.path = expected
    agency.save(update_fields=["path"])
    if old:
        for child in Agency.objects.filter(path__startswith=old).exclude(pk=agency.pk):
            child.path = expected + child.path[len(old) :]
            child.save(update_fields=["path"])
