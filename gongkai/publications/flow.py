"""What may happen to a 主动公开 item next: statuses, actions and the transition table.

Framework-free (no Django), like ``gongkai.core.case_flow``: the table is the one place that says
which action may follow which status, and :func:`next_status` raises
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

from gongkai.core.errors import InvalidTransition


class Status(StrEnum):
    """Where an item stands."""

    DRAFT = "draft"
    PENDING_REVIEW = "pending_review"
    CLEARED = "cleared"  # 保密审查: 不涉密, ready to publish
    CLASSIFIED = "classified"  # 保密审查: 涉密 — never published
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "草稿",
    Status.PENDING_REVIEW: "待保密审查",
    Status.CLEARED: "审查通过（待发布）",
    Status.CLASSIFIED: "涉密（不得公开）",
    Status.PUBLISHED: "已发布",
    Status.WITHDRAWN: "已撤回",
}


class Action(StrEnum):
    """What staff do to an item."""

    EDIT = "edit"
    SUBMIT = "submit"
    CLEAR = "clear"  # review: 不涉密
    CLASSIFY = "classify"  # review: 涉密
    PUBLISH = "publish"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.EDIT: "修改",
    Action.SUBMIT: "提交保密审查",
    Action.CLEAR: "审查结论：不涉密",
    Action.CLASSIFY: "审查结论：涉密",
    Action.PUBLISH: "发布",
    Action.WITHDRAW: "撤回",
}


class ReviewResult(StrEnum):
    """The finding of a 保密审查."""

    NOT_CLASSIFIED = "not_classified"
    CLASSIFIED = "classified"

    @property
    def label(self) -> str:
        return "不涉密" if self is ReviewResult.NOT_CLASSIFIED else "涉密"

    @property
    def action(self) -> Action:
        return Action.CLEAR if self is ReviewResult.NOT_CLASSIFIED else Action.CLASSIFY


_S, _A = Status, Action

#: status → {action: next status}. Anything not listed is refused.
TRANSITIONS: dict[Status, dict[Action, Status]] = {
    _S.DRAFT: {_A.EDIT: _S.DRAFT, _A.SUBMIT: _S.PENDING_REVIEW},
    _S.PENDING_REVIEW: {_A.EDIT: _S.DRAFT, _A.CLEAR: _S.CLEARED, _A.CLASSIFY: _S.CLASSIFIED},
    _S.CLEARED: {_A.EDIT: _S.DRAFT, _A.PUBLISH: _S.PUBLISHED, _A.CLASSIFY: _S.CLASSIFIED},
    _S.CLASSIFIED: {},
    _S.PUBLISHED: {_A.WITHDRAW: _S.WITHDRAWN, _A.CLASSIFY: _S.CLASSIFIED},
    _S.WITHDRAWN: {_A.EDIT: _S.DRAFT, _A.CLASSIFY: _S.CLASSIFIED},
}

#: Statuses whose content may still change (attachments too).
EDITABLE_STATUSES: frozenset[Status] = frozenset(s for s, t in TRANSITIONS.items() if Action.EDIT in t)
#: Statuses of items that were published at some point and count for the year they were published in.
EVER_PUBLISHED_STATUSES: frozenset[Status] = frozenset({Status.PUBLISHED, Status.WITHDRAWN})


def allowed_actions(status: Status) -> tuple[Action, ...]:
    return tuple(TRANSITIONS[status])


def next_status(status: Status, action: Action) -> Status:
    """The status after ``action`` per :data:`TRANSITIONS`; else :class:`InvalidTransition`."""
    try:
        return TRANSITIONS[Status(status)][action]
    except KeyError:
        raise InvalidTransition(f"该信息处于“{Status(status).label}”状态，不能执行“{action.label}”") from None
