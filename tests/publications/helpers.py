"""Items in each workflow state, made through the services (shared with the portal tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.core.publication_flow import SecrecyVerdict
from gongkai.publications import services
from gongkai.publications.models import Category, Item


def make_draft(tree: Any, catalogue: dict[str, Category], **kwargs: Any) -> Item:
    fields: dict[str, Any] = {
        "title": "关于2023年部门预算公开的说明",
        "formed_on": dt.date(2023, 3, 1),
        "body": "<p>果园街道2023年部门预算已经区人大批准。</p>",
        "document_number": "果政发〔2023〕3号",
    }
    fields.update(kwargs)
    actor = fields.pop("actor", tree.clerk_a)
    category = fields.pop("category", catalogue["预算"])
    return services.create_draft(actor=actor, agency=tree.street_a, category=category, **fields)


def make_cleared(tree: Any, catalogue: dict[str, Category], **kwargs: Any) -> Item:
    item = make_draft(tree, catalogue, **kwargs)
    services.submit_for_review(actor=item.author, item=item)
    services.record_secrecy_review(actor=tree.officer_a, item=item, result=SecrecyVerdict.NOT_CLASSIFIED)
    item.refresh_from_db()
    return item


def make_published(tree: Any, catalogue: dict[str, Category], today: dt.date | None = None, **kwargs: Any) -> Item:
    item = make_cleared(tree, catalogue, **kwargs)
    services.publish(actor=tree.officer_a, item=item, today=today or item.formed_on + dt.timedelta(days=7))
    item.refresh_from_db()
    return item


def make_classified(tree: Any, catalogue: dict[str, Category], **kwargs: Any) -> Item:
    item = make_draft(tree, catalogue, **kwargs)
    services.submit_for_review(actor=item.author, item=item)
    services.record_secrecy_review(
        actor=tree.officer_a, item=item, result=SecrecyVerdict.CLASSIFIED, notes="含有涉密的维稳工作部署"
    )
    item.refresh_from_db()
    return item
