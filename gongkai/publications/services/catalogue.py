"""An agency's 政府信息公开目录 and its 政府信息公开指南 (条例 art 12)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from gongkai.audit.services import record
from gongkai.core.placeholders import placeholder_message, unfilled_placeholders
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Category, Guide
from gongkai.publications.services.common import (
    MANAGER_ROLES,
    PublicationAction,
    clean_fields,
    require_role,
    resolve_now,
)
from gongkai.publications.text import plain_text, sanitize_html

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency

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
        require_role(actor, agency, MANAGER_ROLES, "修改公开目录")
    name = name.strip()
    if parent is not None and parent.agency_id != agency.pk:
        raise PublicationError(f"上级目录“{parent.name}”不属于{agency.name}")
    siblings = Category.objects.filter(agency=agency, parent=parent)
    if siblings.filter(name=name).exists():
        raise PublicationError(f"目录“{name}”已存在")
    if position is None:
        position = (max(siblings.values_list("position", flat=True), default=0) or 0) + 10
    category = Category(agency=agency, parent=parent, name=name, position=position)
    clean_fields(category)
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


@transaction.atomic
def update_guide(*, actor: User, agency: Agency, body: str, now: dt.datetime | None = None) -> Guide:
    """Replace ``agency``'s 政府信息公开指南 (条例 art 12 ¶2); the text is sanitised (nh3)."""
    require_role(actor, agency, MANAGER_ROLES, "修改政府信息公开指南")
    clean = sanitize_html(body)
    if not plain_text(clean):
        raise PublicationError("指南正文不能为空")
    unfilled = unfilled_placeholders(clean)
    if unfilled:
        raise PublicationError(placeholder_message("指南", unfilled))
    guide = Guide.objects.select_for_update().filter(agency=agency).first()
    before = guide.body if guide else ""
    if guide is None:
        guide = Guide(agency=agency)
    guide.body = clean
    guide.updated_by = actor
    guide.updated_at = resolve_now(now)
    guide.save()
    record(
        actor=actor,
        action=PublicationAction.GUIDE_UPDATED,
        target=guide,
        agency=agency,
        changes={"length": [len(before), len(clean)]},
    )
    return guide
