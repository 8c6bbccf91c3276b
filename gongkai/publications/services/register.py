"""The register of 规章 and 行政规范性文件 (table 二 第二十条第（一）项)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from gongkai.audit.services import record
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Item, RegisterDocument, RegisterKind
from gongkai.publications.services.common import MANAGER_ROLES, PublicationAction, clean_fields, require_role

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


@transaction.atomic
def register_document(
    *,
    actor: User | None,
    agency: Agency,
    kind: RegisterKind | str,
    title: str,
    issued_on: dt.date,
    document_number: str = "",
    abolished_on: dt.date | None = None,
    item: Item | None = None,
) -> RegisterDocument:
    """Enter a 规章 or 行政规范性文件 in the register (table 二 第二十条第（一）项).

    ``abolished_on`` may be given for a document entered after it was abolished (back-filling
    the register); ``actor`` None only for seeding by the system.
    """
    if actor is not None:
        require_role(actor, agency, MANAGER_ROLES, "登记规章和行政规范性文件")
    if item is not None and item.agency_id != agency.pk:
        raise PublicationError(f"公开信息“{item.title}”不属于{agency.name}")
    document_number = document_number.strip()
    if document_number and RegisterDocument.objects.filter(agency=agency, document_number=document_number).exists():
        raise PublicationError(f"文号“{document_number}”已登记")
    if abolished_on is not None and abolished_on < issued_on:
        raise PublicationError(f"废止日期 {abolished_on} 早于制发日期 {issued_on}")
    doc = RegisterDocument(
        agency=agency,
        kind=RegisterKind(kind),
        title=title.strip(),
        document_number=document_number,
        issued_on=issued_on,
        abolished_on=abolished_on,
        item=item,
        created_by=actor,
    )
    clean_fields(doc)
    doc.save()
    record(
        actor=actor,
        action=PublicationAction.REGISTER_ADDED,
        target=doc,
        agency=agency,
        changes={
            "kind": RegisterKind(kind).label,
            "title": doc.title,
            "document_number": document_number,
            "issued_on": issued_on,
            "abolished_on": abolished_on,
        },
    )
    return doc


@transaction.atomic
def abolish_document(
    *, actor: User, document: RegisterDocument, abolished_on: dt.date, note: str = ""
) -> RegisterDocument:
    """Record that a registered document was abolished (废止) on ``abolished_on``."""
    document = RegisterDocument.objects.select_for_update().select_related("agency").get(pk=document.pk)
    require_role(actor, document.agency, MANAGER_ROLES, "登记文件废止")
    if document.abolished_on is not None:
        raise PublicationError(f"“{document.title}”已于 {document.abolished_on} 废止")
    if abolished_on < document.issued_on:
        raise PublicationError(f"废止日期 {abolished_on} 早于制发日期 {document.issued_on}")
    document.abolished_on = abolished_on
    document.abolition_note = note.strip()[:300]
    document.save(update_fields=["abolished_on", "abolition_note"])
    record(
        actor=actor,
        action=PublicationAction.REGISTER_ABOLISHED,
        target=document,
        changes={"abolished_on": abolished_on},
        note=document.abolition_note,
    )
    return document
