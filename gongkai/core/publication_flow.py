"""What may happen to a 主动公开 item next: statuses, actions and the transition table.

The same shape as ``gongkai.core.case_flow``: the table is the one place that says which action
may follow which status, and :func:`next_status` checks it with the core's one
:func:`~gongkai.core.states.transition`, which raises
:class:`~gongkai.core.errors.InvalidTransition` with a Chinese message.

The rules it encodes:

- 保密审查 before publication ("上网信息不涉密、涉密信息不上网"; 保守国家秘密法 and 条例 art 17
  ¶1 require a review mechanism before publishing): an item is published only from 审查通过;
- any edit after the review sends the item back to 草稿, so a review always covers what is published;
- 涉密 is final: a classified item never becomes publishable again (a redacted version is a new
  item). A 涉密 finding is also allowed on a published or withdrawn item, which takes it off the
  portal at once;
- a withdrawn item may be revised (back to 草稿) and go through review again.
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.core.states import TransitionTable, transition


class ItemStatus(StrEnum):
    """Where an item stands."""

    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    CLEARED = "cleared"  # 保密审查: 不涉密, ready to publish
    CLASSIFIED = "classified"  # 保密审查: 涉密 — never published
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return ITEM_STATUS_LABELS[self]


ITEM_STATUS_LABELS: dict[ItemStatus, str] = {
    ItemStatus.DRAFT: "草稿",
    ItemStatus.PENDING_REVIEW: "待保密审查",
    ItemStatus.CLEARED: "审查通过（待发布）",
    ItemStatus.CLASSIFIED: "涉密（不得公开）",
    ItemStatus.PUBLISHED: "已发布",
    ItemStatus.WITHDRAWN: "已撤回",
}


class ItemAction(StrEnum):
    """What staff do to an item."""

    EDIT = "edit"
    SUBMIT = "submit"
    CLEAR = "clear"  # review: 不涉密
    CLASSIFY = "classify"  # review: 涉密
    PUBLISH = "publish"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return ITEM_ACTION_LABELS[self]


ITEM_ACTION_LABELS: dict[ItemAction, str] = {
    ItemAction.EDIT: "修改",
    ItemAction.SUBMIT: "提交保密审查",
    ItemAction.CLEAR: "审查结论：不涉密",
    ItemAction.CLASSIFY: "审查结论：涉密",
    ItemAction.PUBLISH: "发布",
    ItemAction.WITHDRAW: "撤回",
}


class SecrecyVerdict(StrEnum):
    """The finding of a 保密审查."""

    NOT_CLASSIFIED = "not_classified"
    CLASSIFIED = "classified"

    @property
    def label(self) -> str:
        return "不涉密" if self is SecrecyVerdict.NOT_CLASSIFIED else "涉密"

    @property
    def action(self) -> ItemAction:
        return ItemAction.CLEAR if self is SecrecyVerdict.NOT_CLASSIFIED else ItemAction.CLASSIFY


_S, _A = ItemStatus, ItemAction

#: status → {action: next status}. Anything not listed is refused.
TRANSITIONS: TransitionTable[ItemStatus, ItemAction] = TransitionTable(
    "该信息",
    {
        _S.DRAFT: {_A.EDIT: _S.DRAFT, _A.SUBMIT: _S.PENDING_REVIEW},
        _S.PENDING_REVIEW: {_A.EDIT: _S.DRAFT, _A.CLEAR: _S.CLEARED, _A.CLASSIFY: _S.CLASSIFIED},
        _S.CLEARED: {_A.EDIT: _S.DRAFT, _A.PUBLISH: _S.PUBLISHED, _A.CLASSIFY: _S.CLASSIFIED},
        _S.CLASSIFIED: {},
        _S.PUBLISHED: {_A.WITHDRAW: _S.WITHDRAWN, _A.CLASSIFY: _S.CLASSIFIED},
        _S.WITHDRAWN: {_A.EDIT: _S.DRAFT, _A.CLASSIFY: _S.CLASSIFIED},
    },
)

#: Statuses whose content may still change (attachments too).
EDITABLE_STATUSES: frozenset[ItemStatus] = frozenset(s for s, t in TRANSITIONS.items() if ItemAction.EDIT in t)
#: Statuses of items that were published at some point and count for the year they were published in.
EVER_PUBLISHED_STATUSES: frozenset[ItemStatus] = frozenset({ItemStatus.PUBLISHED, ItemStatus.WITHDRAWN})


def allowed_actions(status: ItemStatus) -> tuple[ItemAction, ...]:
    """The actions the table allows from ``status``, in table order."""
    return TRANSITIONS.allowed(status)


def next_status(status: ItemStatus | str, action: ItemAction) -> ItemStatus:
    """The status after ``action`` per :data:`TRANSITIONS` (保密审查 before publication, 条例 art 17
    ¶1); else :class:`~gongkai.core.errors.InvalidTransition`. A stored value is accepted as is."""
    return transition(TRANSITIONS, ItemStatus(status), action)
