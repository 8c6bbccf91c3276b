"""Write paths of 主动公开: one function per use case, the actor passed in, audited in the same
transaction. Views, the admin, the API, imports and the demo data all come through here.

The publication rule is enforced three times over: the transition table (``flow``), the checks
in :func:`publish` (reviewed, by someone else, 不涉密, content unchanged since the review), and the
database constraints on ``Item``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import can_write
from gongkai.audit.services import diff, record
from gongkai.core.errors import InvalidTransition
from gongkai.core.publication_flow import ItemAction, ItemStatus, SecrecyVerdict, next_status
from gongkai.core.publication_timeliness import PublicationTimeliness, timeliness
from gongkai.publications.attachments import MAX_ATTACHMENTS_PER_ITEM, check_file
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import (
    Article20Figures,
    Attachment,
    Category,
    DisclosureSuggestion,
    FigureSource,
    Guide,
    IndexSequence,
    Item,
    RegisterDocument,
    RegisterKind,
    SecrecyReview,
    SuggestionDecision,
    Topic,
)
from gongkai.publications.suggestions import MIN_APPLICANTS, applicant_identity, candidate_cases
from gongkai.publications.text import plain_text, sanitize_html, search_document
from gongkai.publications.timeliness import working_calendar

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


class PublicationAction(StrEnum):
    """Audit action codes of this app."""

    CATEGORY_CREATED = "publication.category_created"
    ITEM_CREATED = "publication.created"
    ITEM_EDITED = "publication.edited"
    ATTACHMENT_ADDED = "publication.attachment_added"
    ATTACHMENT_REMOVED = "publication.attachment_removed"
    SUBMITTED = "publication.submitted"
    REVIEWED = "publication.reviewed"
    PUBLISHED = "publication.published"
    WITHDRAWN = "publication.withdrawn"
    GUIDE_UPDATED = "publication.guide_updated"
    REGISTER_ADDED = "publication.register_added"
    REGISTER_ABOLISHED = "publication.register_abolished"
    ARTICLE20_SET = "publication.article20_set"
    SUGGESTION_ADOPTED = "publication.art44_adopted"
    SUGGESTION_DISMISSED = "publication.art44_dismissed"


#: Who does what, within their own agency (``accounts.scoping.can_write`` decides the agency).
DRAFTING_ROLES = frozenset({Role.CLERK, Role.OFFICER, Role.LEADER})
REVIEWER_ROLES = frozenset({Role.OFFICER, Role.LEADER})
PUBLISHER_ROLES = frozenset({Role.OFFICER, Role.LEADER})
MANAGER_ROLES = frozenset({Role.OFFICER, Role.LEADER})  # catalogue, guide, register, figures


def _require(actor: User, agency: Agency, roles: frozenset[Role], what: str) -> None:
    if not can_write(actor, agency) or actor.role not in roles:
        labels = "、".join(r.label for r in Role if r in roles)
        raise PermissionDenied(f"只有本机关的{labels}可以{what}")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _clean(obj: Any, exclude: Iterable[str] = ()) -> None:
    """Field validation (lengths, choices) with the messages turned into one Chinese error."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        parts = []
        for field_name, messages in exc.message_dict.items():
            label = obj._meta.get_field(field_name).verbose_name if field_name != "__all__" else ""
            parts.append(f"{label}：{'；'.join(messages)}" if label else "；".join(messages))
        raise PublicationError("；".join(parts)) from None


# ---------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------

#: A typical 政府信息公开目录 (names as agencies' portals use them); ``seed_catalogue`` creates it.
DEFAULT_CATALOGUE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("机构职能", ("机构设置", "领导信息", "内设机构")),
    ("政策文件", ("规章", "行政规范性文件", "其他文件")),
    ("规划计划", ()),
    ("财政信息", ("预算", "决算")),
    ("行政执法", ("行政处罚", "行政许可", "行政强制")),
    ("人事信息", ()),
    ("公共服务", ()),
    ("建议提案办理", ()),
    ("通知公告", ()),
)


@transaction.atomic
def create_category(
    *, actor: User | None, agency: Agency, name: str, parent: Category | None = None, position: int | None = None
) -> Category:
    """Add a node to ``agency``'s catalogue (``actor`` None only for seeding by the system)."""
    if actor is not None:
        _require(actor, agency, MANAGER_ROLES, "修改公开目录")
    name = name.strip()
    if parent is not None and parent.agency_id != agency.pk:
        raise PublicationError(f"上级目录“{parent.name}”不属于{agency.name}")
    siblings = Category.objects.filter(agency=agency, parent=parent)
    if siblings.filter(name=name).exists():
        raise PublicationError(f"目录“{name}”已存在")
    if position is None:
        position = (max(siblings.values_list("position", flat=True), default=0) or 0) + 10
    category = Category(agency=agency, parent=parent, name=name, position=position)
    _clean(category)
    category.save()
    record(
        actor=actor,
        action=PublicationAction.CATEGORY_CREATED,
        target=category,
        agency=agency,
        changes={"name": name, "parent": parent.name if parent else None},
    )
    return category


@transaction.atomic
def seed_catalogue(
    *,
    actor: User | None,
    agency: Agency,
    tree: tuple[tuple[str, tuple[str, ...]], ...] = DEFAULT_CATALOGUE,
) -> list[Category]:
    """Create the missing nodes of ``tree`` in ``agency``'s catalogue; returns every node of it."""
    nodes = []
    for root_name, children in tree:
        root = Category.objects.filter(agency=agency, parent=None, name=root_name).first()
        if root is None:
            root = create_category(actor=actor, agency=agency, name=root_name)
        nodes.append(root)
        for child_name in children:
            child = Category.objects.filter(agency=agency, parent=root, name=child_name).first()
            if child is None:
                child = create_category(actor=actor, agency=agency, name=child_name, parent=root)
            nodes.append(child)
    return nodes


# ---------------------------------------------------------------------------------------------
# 索引号
# ---------------------------------------------------------------------------------------------


def next_index_number(agency: Agency, year: int) -> str:
    """The next 索引号 of ``agency`` for ``year``: "<机构代码>/<year>-<5 digits>".

    Call inside the write's transaction. The counter row is created if missing (INSERT … ON
    CONFLICT DO NOTHING) and incremented with one UPDATE, which takes the row lock on PostgreSQL
    and the write lock on SQLite, so two transactions never get the same number; a rolled-back
    transaction gives its number back.
    """
    IndexSequence.objects.bulk_create([IndexSequence(agency=agency, year=year, last=0)], ignore_conflicts=True)
    IndexSequence.objects.filter(agency=agency, year=year).update(last=F("last") + 1)
    last = IndexSequence.objects.filter(agency=agency, year=year).values_list("last", flat=True).get()
    return f"{agency.code}/{year}-{last:05d}"


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------


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


def _locked(item: Item) -> Item:
    """Re-read ``item`` under a row lock, so two people cannot act on it at once."""
    return Item.objects.select_for_update().select_related("agency").get(pk=item.pk)


def _transition(item: Item, action: ItemAction) -> ItemStatus:
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
    _require(actor, agency, DRAFTING_ROLES, "起草主动公开信息")
    if category.agency_id != agency.pk:
        raise PublicationError(f"公开目录“{category.name}”不属于{agency.name}")
    at = _now(now)
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
    _clean(item, exclude=["index_number", "search_text"])
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
    item = _locked(item)
    _require(actor, item.agency, DRAFTING_ROLES, "修改主动公开信息")
    new_status = _transition(item, ItemAction.EDIT)
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
    item.updated_at = _now(now)
    _clean(item, exclude=["search_text"])
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
    item = _locked(item)
    _require(actor, item.agency, DRAFTING_ROLES, "上传附件")
    new_status = _transition(item, ItemAction.EDIT)
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
        uploaded_at=_now(now),
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
    item = _locked(attachment.item)
    _require(actor, item.agency, DRAFTING_ROLES, "删除附件")
    new_status = _transition(item, ItemAction.EDIT)
    name, stored, storage = attachment.original_name, attachment.file.name, attachment.file.storage
    attachment.delete()
    _after_edit(item, new_status, now)
    record(actor=actor, action=PublicationAction.ATTACHMENT_REMOVED, target=item, changes={"attachment": name})
    transaction.on_commit(lambda: storage.delete(stored))


def _after_edit(item: Item, new_status: ItemStatus, now: dt.datetime | None) -> None:
    if item.status != new_status or item.reviewed_by_id is not None:
        item.status = new_status
        _forget_review(item)
    item.updated_at = _now(now)
    item.save(update_fields=["status", "reviewed_by", "reviewed_at", "reviewed_digest", "updated_at"])


@transaction.atomic
def submit_for_review(*, actor: User, item: Item, now: dt.datetime | None = None) -> Item:
    """Send a draft to 保密审查."""
    item = _locked(item)
    _require(actor, item.agency, DRAFTING_ROLES, "提交保密审查")
    item.status = _transition(item, ItemAction.SUBMIT)
    item.updated_at = _now(now)
    item.save(update_fields=["status", "updated_at"])
    record(actor=actor, action=PublicationAction.SUBMITTED, target=item, changes={"status": item.status})
    return item


@transaction.atomic
def record_secrecy_review(
    *, actor: User, item: Item, result: SecrecyVerdict | str, notes: str = "", now: dt.datetime | None = None
) -> SecrecyReview:
    """Record a 保密审查 ("上网信息不涉密、涉密信息不上网").

    The reviewer is an officer or leader of the agency other than the author. 涉密 needs notes
    (what is secret) and is final: the item never becomes publishable again, and a published or
    withdrawn item found 涉密 leaves the portal at once.
    """
    item = _locked(item)
    result = SecrecyVerdict(result)
    _require(actor, item.agency, REVIEWER_ROLES, "进行保密审查")
    if actor.pk == item.author_id:
        raise PublicationError("保密审查须由起草人以外的人员进行")
    notes = notes.strip()
    if result is SecrecyVerdict.CLASSIFIED and not notes:
        raise PublicationError("审查结论为“涉密”时须填写审查意见（涉密内容和依据）")
    previous = item.status
    item.status = _transition(item, result.action)
    at = _now(now)
    digest = content_digest(item)
    review = SecrecyReview.objects.create(
        item=item, reviewer=actor, result=result, notes=notes, reviewed_at=at, digest=digest
    )
    item.is_classified = item.is_classified or result is SecrecyVerdict.CLASSIFIED
    item.reviewed_by = actor
    item.reviewed_at = at
    item.reviewed_digest = digest
    item.updated_at = at
    item.save(update_fields=["status", "is_classified", "reviewed_by", "reviewed_at", "reviewed_digest", "updated_at"])
    record(
        actor=actor,
        action=PublicationAction.REVIEWED,
        target=item,
        note=notes,
        changes={"result": result.label, "status": [previous, item.status]},
    )
    return review


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    item: Item
    timeliness: PublicationTimeliness


@transaction.atomic
def publish(*, actor: User, item: Item, today: dt.date, now: dt.datetime | None = None) -> PublishOutcome:
    """Publish a reviewed, 不涉密 item on ``today``; the outcome says whether it was in time (条例 art 26).

    Refused unless: the last review found 不涉密, was made by someone other than the author, and
    the content has not changed since (the digest taken at review matches).
    """
    item = _locked(item)
    _require(actor, item.agency, PUBLISHER_ROLES, "发布主动公开信息")
    if item.is_classified:
        raise InvalidTransition("该信息经保密审查为涉密，不得公开")
    new_status = _transition(item, ItemAction.PUBLISH)
    if item.reviewed_by_id is None or item.reviewed_at is None:
        raise InvalidTransition("该信息尚未经过保密审查，不能发布")
    if item.reviewed_by_id == item.author_id:
        raise InvalidTransition("保密审查须由起草人以外的人员进行，不能发布")
    if content_digest(item) != item.reviewed_digest:
        raise InvalidTransition("该信息在保密审查后有改动，须重新审查后才能发布")
    if today < item.formed_on:
        raise PublicationError(f"发布日期 {today} 早于成文日期 {item.formed_on}")
    item.status = new_status
    item.published_on = today
    item.published_by = actor
    item.updated_at = _now(now)
    item.save(update_fields=["status", "published_on", "published_by", "updated_at"])
    check = timeliness(item.formed_on, today, working_calendar())
    record(
        actor=actor,
        action=PublicationAction.PUBLISHED,
        target=item,
        note=check.message,
        changes={"published_on": today, "status": new_status.value, "late": check.late},
    )
    return PublishOutcome(item, check)


@transaction.atomic
def withdraw(*, actor: User, item: Item, reason: str, today: dt.date, now: dt.datetime | None = None) -> Item:
    """Take a published item off the portal, with the reason."""
    item = _locked(item)
    _require(actor, item.agency, PUBLISHER_ROLES, "撤回主动公开信息")
    reason = reason.strip()
    if not reason:
        raise PublicationError("撤回须说明原因")
    item.status = _transition(item, ItemAction.WITHDRAW)
    item.withdrawn_on = today
    item.withdrawal_reason = reason
    item.updated_at = _now(now)
    item.save(update_fields=["status", "withdrawn_on", "withdrawal_reason", "updated_at"])
    record(
        actor=actor,
        action=PublicationAction.WITHDRAWN,
        target=item,
        note=reason,
        changes={"status": item.status, "withdrawn_on": today},
    )
    return item


# ---------------------------------------------------------------------------------------------
# 政府信息公开指南
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def update_guide(*, actor: User, agency: Agency, body: str, now: dt.datetime | None = None) -> Guide:
    """Replace ``agency``'s 政府信息公开指南 (条例 art 12 ¶2); the text is sanitised (nh3)."""
    _require(actor, agency, MANAGER_ROLES, "修改政府信息公开指南")
    clean = sanitize_html(body)
    if not plain_text(clean):
        raise PublicationError("指南正文不能为空")
    guide = Guide.objects.select_for_update().filter(agency=agency).first()
    before = guide.body if guide else ""
    if guide is None:
        guide = Guide(agency=agency)
    guide.body = clean
    guide.updated_by = actor
    guide.updated_at = _now(now)
    guide.save()
    record(
        actor=actor,
        action=PublicationAction.GUIDE_UPDATED,
        target=guide,
        agency=agency,
        changes={"length": [len(before), len(clean)]},
    )
    return guide


# ---------------------------------------------------------------------------------------------
# 规章 / 行政规范性文件 register
# ---------------------------------------------------------------------------------------------


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
        _require(actor, agency, MANAGER_ROLES, "登记规章和行政规范性文件")
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
    _clean(doc)
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
    _require(actor, document.agency, MANAGER_ROLES, "登记文件废止")
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


# ---------------------------------------------------------------------------------------------
# Article 20 figures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Article20Input:
    """One year's figures as entered or imported (table 二 第二十条第（五）（六）（八）项)."""

    year: int
    licensing: int
    punishment: int
    coercion: int
    fees_10k_yuan: Decimal


def _check_figures(values: Article20Input) -> None:
    if not 1990 <= values.year <= 2200:
        raise PublicationError(f"年度 {values.year} 无效")
    for label, number in (
        ("行政许可", values.licensing),
        ("行政处罚", values.punishment),
        ("行政强制", values.coercion),
    ):
        if number < 0:
            raise PublicationError(f"{values.year}年{label}处理决定数量不能为负数")
    if values.fees_10k_yuan < 0:
        raise PublicationError(f"{values.year}年行政事业性收费金额不能为负数")
    if values.fees_10k_yuan != values.fees_10k_yuan.quantize(Decimal("0.0001")):
        raise PublicationError(f"{values.year}年行政事业性收费金额最多保留四位小数（万元）")


@transaction.atomic
def set_article20_figures(
    *,
    actor: User | None,
    agency: Agency,
    values: Article20Input,
    source: FigureSource | str = FigureSource.FORM,
    source_note: str = "",
    now: dt.datetime | None = None,
) -> Article20Figures:
    """Enter (or correct) ``agency``'s article 20 figures for one year, noting where they came from."""
    if actor is not None:
        _require(actor, agency, MANAGER_ROLES, "填报第二十条数据")
    _check_figures(values)
    row = Article20Figures.objects.select_for_update().filter(agency=agency, year=values.year).first()
    fields = ("licensing", "punishment", "coercion", "fees_10k_yuan", "source", "source_note")
    before = {f: getattr(row, f) for f in fields} if row else {}
    if row is None:
        row = Article20Figures(agency=agency, year=values.year)
    row.licensing, row.punishment, row.coercion = values.licensing, values.punishment, values.coercion
    row.fees_10k_yuan = values.fees_10k_yuan
    row.source, row.source_note = FigureSource(source), source_note.strip()[:200]
    row.updated_by = actor
    row.updated_at = _now(now)
    row.save()
    record(
        actor=actor,
        action=PublicationAction.ARTICLE20_SET,
        target=row,
        agency=agency,
        changes=diff(before, {f: getattr(row, f) for f in fields}),
        note=f"{values.year}年",
    )
    return row


# ---------------------------------------------------------------------------------------------
# 依申请转主动 (条例 art 44)
# ---------------------------------------------------------------------------------------------


def _suggestion_cases(actor: User, agency: Agency, case_ids: Iterable[int]) -> list[Any]:
    _require(actor, agency, PUBLISHER_ROLES, "处理依申请转主动建议")
    wanted = set(case_ids)
    cases = [c for c in candidate_cases(agency, today=timezone.localdate()) if c.pk in wanted]
    if len(cases) != len(wanted) or not wanted:
        raise PublicationError("所选申请已处理过，或不是本机关已予以公开／部分公开的申请")
    if len({applicant_identity(c) for c in cases}) < MIN_APPLICANTS:
        raise PublicationError(f"条例第四十四条要求多个申请人：所选申请来自不足{MIN_APPLICANTS}位申请人")
    return cases


@transaction.atomic
def adopt_suggestion(
    *,
    actor: User,
    agency: Agency,
    case_ids: Iterable[int],
    category: Category,
    title: str,
    formed_on: dt.date,
    now: dt.datetime | None = None,
) -> Item:
    """Take a group of similar disclosed applications into 主动公开 (条例 art 44): a draft item,
    which then goes through 保密审查 like any other."""
    cases = _suggestion_cases(actor, agency, case_ids)
    numbers = "、".join(c.number for c in cases)
    body = "".join(f"<p>{_escape(c.request_description)}</p>" for c in cases[:1])
    item = create_draft(
        actor=actor,
        agency=agency,
        category=category,
        title=title,
        formed_on=formed_on,
        body=body,
        origin_note=f"依申请转主动（条例第四十四条）：{numbers}"[:200],
        now=now,
    )
    decision = DisclosureSuggestion.objects.create(
        agency=agency, decision=SuggestionDecision.ADOPTED, item=item, decided_by=actor, decided_at=_now(now)
    )
    decision.cases.set(cases)
    record(
        actor=actor,
        action=PublicationAction.SUGGESTION_ADOPTED,
        target=item,
        changes={"cases": [c.number for c in cases]},
    )
    return item


@transaction.atomic
def dismiss_suggestion(
    *, actor: User, agency: Agency, case_ids: Iterable[int], note: str, now: dt.datetime | None = None
) -> DisclosureSuggestion:
    """Decide not to take a group of applications into 主动公开 (art 44 says "可以"), with the reason."""
    cases = _suggestion_cases(actor, agency, case_ids)
    note = note.strip()
    if not note:
        raise PublicationError("不纳入主动公开须说明理由")
    decision = DisclosureSuggestion.objects.create(
        agency=agency, decision=SuggestionDecision.DISMISSED, note=note, decided_by=actor, decided_at=_now(now)
    )
    decision.cases.set(cases)
    record(
        actor=actor,
        action=PublicationAction.SUGGESTION_DISMISSED,
        target=decision,
        agency=agency,
        note=note,
        changes={"cases": [c.number for c in cases]},
    )
    return decision


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)
