"""Write paths of 主动公开: one function per use case, the actor passed in, audited in the same
transaction. Views, the admin, the API, imports and the demo data all come through here
(``from gongkai.publications import services; services.publish(...)``).

One module per group of use cases: ``catalogue`` (目录 and 指南), ``index_numbers`` (索引号),
``items`` (drafts, edits, attachments, submission), ``review`` (保密审查, publication,
withdrawal), ``register`` (规章 and 行政规范性文件), ``article20`` (第二十条 figures) and
``suggestions`` (依申请转主动, 条例 art 44); ``common`` holds what they share.
"""

from gongkai.publications.services.article20 import Article20Input, set_article20_figures
from gongkai.publications.services.catalogue import DEFAULT_CATALOGUE, create_category, seed_catalogue, update_guide
from gongkai.publications.services.common import (
    DRAFTING_ROLES,
    MANAGER_ROLES,
    PUBLISHER_ROLES,
    REVIEWER_ROLES,
    PublicationAction,
)
from gongkai.publications.services.index_numbers import next_index_number
from gongkai.publications.services.items import (
    EDITABLE_FIELDS,
    add_attachment,
    content_digest,
    create_draft,
    refresh_search_text,
    remove_attachment,
    submit_for_review,
    update_item,
)
from gongkai.publications.services.register import abolish_document, register_document
from gongkai.publications.services.review import PublishOutcome, publish, record_secrecy_review, withdraw
from gongkai.publications.services.suggestions import adopt_suggestion, dismiss_suggestion

__all__ = [
    "DEFAULT_CATALOGUE",
    "DRAFTING_ROLES",
    "EDITABLE_FIELDS",
    "MANAGER_ROLES",
    "PUBLISHER_ROLES",
    "REVIEWER_ROLES",
    "Article20Input",
    "PublicationAction",
    "PublishOutcome",
    "abolish_document",
    "add_attachment",
    "adopt_suggestion",
    "content_digest",
    "create_category",
    "create_draft",
    "dismiss_suggestion",
    "next_index_number",
    "publish",
    "record_secrecy_review",
    "refresh_search_text",
    "register_document",
    "remove_attachment",
    "seed_catalogue",
    "set_article20_figures",
    "submit_for_review",
    "update_guide",
    "update_item",
    "withdraw",
]
