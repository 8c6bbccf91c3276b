"""Items and their drafts: create, edit, attach files, submit for 保密审查.

Any change after the review sends the item back to 草稿 (``gongkai.core.publication_flow``),
so a review always covers what is published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.audit.services import diff, record
from gongkai.core.publication_flow import ItemAction, ItemStatus, next_status
from gongkai.publications.attachments import MAX_ATTACHMENTS_PER_ITEM, check_file
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Attachment, Category, Item, Topic
from gongkai.publications.services.common import (
    DRAFTING_ROLES,
    PublicationAction,
    clean_fields,
    require_role,
    resolve_now,
)
from gongkai.publications.services.index_numbers import next_index_number
from gongkai.publications.text import plain_text, sanitize_html, search_document

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


def content_digest(item: Item) -> str:
    """SHA-256 of everything a 保密审查 looks at: the fields shown to the public and the attachments."""
    parts = [
        item.title,
        item.issuer,
        item.document_number,
        item.formed_on.isoformat(),
        item.topic,
        str(item.category_id),
        item.body,
    ]
    if item.pk is not None:
        parts.extend(item.attachments.order_by("id").values_list("sha256", flat=True))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def refresh_search_text(item: Item) -> None:
    """Set ``item.search_text`` from its fields (bulk creators call this too)."""
    item.search_text = search_document(
        item.title, item.document_number, item.index_number, item.issuer, plain_text(item.body)
    )


def locked_item(item: Item) -> Item:
    """Re-read ``item`` under a row lock, so two people cannot act on it at once."""
    return Item.objects.select_for_update().select_related("agency").get(pk=item.pk)


def next_item_status(item: Item, action: ItemAction) -> ItemStatus:
    return next_status(ItemStatus(item.status), action)


def _forget_review(item: Item) -> None:
    item.reviewed_by = None
    item.reviewed_at = None
    item.reviewed_digest = ""


@transaction.atomic
def create_draft(
    *,
    actor: User,
    agency: Agency,
    category: Category,
    title: str,
    formed_on: dt.date,
    body: str = "",
    document_number: str = "",
    issuer: str = "",
    topic: Topic | str = Topic.GENERAL,
    origin_note: str = "",
    now: dt.datetime | None = None,
) -> Item:
    """A new 草稿 in ``agency``'s catalogue, with its 索引号. The body is sanitised (nh3)."""
    require_role(actor, agency, DRAFTING_ROLES, "起草主动公开信息")
    if category.agency_id != agency.pk:
        raise PublicationError(f"公开目录“{category.name}”不属于{agency.name}")
    at = resolve_now(now)
    item = Item(
        agency=agency,
        category=category,
        title=title.strip(),
        formed_on=formed_on,
        body=sanitize_html(body),
        document_number=document_number.strip(),
        issuer=(issuer.strip() or agency.name),
        topic=Topic(topic),
        origin_note=origin_note.strip(),
        status=ItemStatus.DRAFT,
        author=actor,
        created_at=at,
        updated_at=at,
        index_number="-",
    )
    clean_fields(item, exclude=["index_number", "search_text"])
    item.index_number = next_index_number(agency, formed_on.year)
    refresh_search_text(item)
    item.save()
    record(
        actor=actor,
        action=PublicationAction.ITEM_CREATED,
        target=item,
        changes={"index_number": item.index_number, "title": item.title, "category": category.name},
    )
    return item


EDITABLE_FIELDS = ("category", "title", "formed_on", "body", "document_number", "issuer", "topic")


@transaction.atomic
def update_item(*, actor: User, item: Item, now: dt.datetime | None = None, **changes: Any) -> Item:
    """Change an item's content. Any change after the review sends it back to 草稿 (re-review).

    A withdrawn item may be revised too; it then needs a new review and a new publication.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_item() got unexpected fields: {', '.join(sorted(unknown))}")
    item = locked_item(item)
    require_role(actor, item.agency, DRAFTING_ROLES, "修改主动公开信息")
    new_status = next_item_status(item, ItemAction.EDIT)
    if "category" in changes and changes["category"].agency_id != item.agency_id:
        raise PublicationError(f"公开目录“{changes['category'].name}”不属于{item.agency.name}")
    if "body" in changes:
        changes["body"] = sanitize_html(changes["body"])
    for key in ("title", "document_number", "issuer"):
        if key in changes:
            changes[key] = changes[key].strip()
    if "issuer" in changes and not changes["issuer"]:
        changes["issuer"] = item.agency.name
    if "topic" in changes:
        changes["topic"] = Topic(changes["topic"]).value
    before = {k: getattr(item, k) for k in changes}
    for key, value in changes.items():
        setattr(item, key, value)
    changed = diff(before, {k: getattr(item, k) for k in changes})
    if not changed:
        return item
    old_year = int(item.index_number.split("/")[-1][:4]) if "/" in item.index_number else None
    if "formed_on" in changed and old_year != item.formed_on.year:
        changed["index_number"] = [item.index_number, None]
        item.index_number = next_index_number(item.agency, item.formed_on.year)
        changed["index_number"][1] = item.index_number
    previous_status = item.status
    item.status = new_status
    if previous_status == ItemStatus.WITHDRAWN:
        item.published_on = None
        item.published_by = None
        item.withdrawn_on = None
        item.withdrawal_reason = ""
    _forget_review(item)
    item.updated_at = resolve_now(now)
    clean_fields(item, exclude=["search_text"])
    refresh_search_text(item)
    item.save()
    if "body" in changed:
        changed["body"] = ["…", "…"]  # the audit trail records that the body changed, not the text
    if previous_status != new_status:
        changed["status"] = [previous_status, new_status.value]
    record(actor=actor, action=PublicationAction.ITEM_EDITED, target=item, changes=changed)
    return item


@transaction.atomic
def add_attachment(*, actor: User, item: Item, upload: UploadedFile, now: dt.datetime | None = None) -> Attachment:
    """Attach a checked file (type, size, content: ``attachments.check_file``). Like any edit it
    sends a reviewed item back to 草稿."""
    item = locked_item(item)
    require_role(actor, item.agency, DRAFTING_ROLES, "上传附件")
    new_status = next_item_status(item, ItemAction.EDIT)
    if item.attachments.count() >= MAX_ATTACHMENTS_PER_ITEM:
        raise PublicationError(f"每条信息最多{MAX_ATTACHMENTS_PER_ITEM}个附件")
    checked = check_file(upload.name or "", upload.size or 0, upload)
    attachment = Attachment(
        item=item,
        original_name=checked.name,
        kind=checked.kind.ext,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        uploaded_at=resolve_now(now),
    )
    attachment.file.save(checked.name, upload, save=False)
    try:
        attachment.save()
        _after_edit(item, new_status, now)
        record(
            actor=actor,
            action=PublicationAction.ATTACHMENT_ADDED,
            target=item,
            changes={"attachment": checked.name, "size": checked.size, "sha256": checked.sha256},
        )
    except BaseException:
        # No row, no file. (A rollback of an enclosing transaction leaves an unreferenced file,
        # which is never served: downloads go through the row.)
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: Attachment, now: dt.datetime | None = None) -> None:
    item = locked_item(attachment.item)
    require_role(actor, item.agency, DRAFTING_ROLES, "删除附件")
    new_status = next_item_status(item, ItemAction.EDIT)
    name, stored, storage = attachment.original_name, attachment.file.name, attachment.file.storage
    attachment.delete()
    _after_edit(item, new_status, now)
    record(actor=actor, action=PublicationAction.ATTACHMENT_REMOVED, target=item, changes={"attachment": name})
    transaction.on_commit(lambda: storage.delete(stored))


def _after_edit(item: Item, new_status: ItemStatus, now: dt.datetime | None) -> None:
    if item.status != new_status or item.reviewed_by_id is not None:
        item.status = new_status
        _forget_review(item)
    item.updated_at = resolve_now(now)
    item.save(update_fields=["status", "reviewed_by", "reviewed_at", "reviewed_digest", "updated_at"])


@transaction.atomic
def submit_for_review(*, actor: User, item: Item, now: dt.datetime | None = None) -> Item:
    """Send a draft to 保密审查."""
    item = locked_item(item)
    require_role(actor, item.agency, DRAFTING_ROLES, "提交保密审查")
    item.status = next_item_status(item, ItemAction.SUBMIT)
    item.updated_at = resolve_now(now)
    item.save(update_fields=["status", "updated_at"])
    record(actor=actor, action=PublicationAction.SUBMITTED, target=item, changes={"status": item.status})
    return item
