"""The life of an annual-report record: statuses, actions and the one transition table.

draft (草稿) → submitted (待签发: the officer says the draft is ready) → signed_off (负责人签发) →
published (已发布). A submitted draft is no longer edited; the leader signs it off or returns it
(退回修改), and the officer may withdraw it. A leader who drafts the report himself may sign off a
draft directly (he is the one who answers for it). A signed-off record is frozen: the only
change it may still undergo is publication. A correction is a new version that supersedes it
(国办公开办函〔2021〕30号 "一、（四）明确责任": the leader answers for the report as signed).
The same shape as every state machine of the core (``gongkai.core.states``).
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.core.states import TransitionTable, transition


class ReportStatus(StrEnum):
    """Where a report record stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    SIGNED_OFF = "signed_off"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return REPORT_STATUS_LABELS[self]


REPORT_STATUS_LABELS: dict[ReportStatus, str] = {
    ReportStatus.DRAFT: "草稿",
    ReportStatus.SUBMITTED: "待签发",
    ReportStatus.SIGNED_OFF: "已签发",
    ReportStatus.PUBLISHED: "已发布",
}


class ReportAction(StrEnum):
    """What the agency does to a report record."""

    SUBMIT = "submit"
    RETURN = "return"
    SIGN_OFF = "sign_off"
    PUBLISH = "publish"

    @property
    def label(self) -> str:
        return REPORT_ACTION_LABELS[self]


REPORT_ACTION_LABELS: dict[ReportAction, str] = {
    ReportAction.SUBMIT: "提交签发",
    ReportAction.RETURN: "退回修改",
    ReportAction.SIGN_OFF: "签发",
    ReportAction.PUBLISH: "发布",
}

#: status → {action: next status}. Anything not listed is refused.
TRANSITIONS: TransitionTable[ReportStatus, ReportAction] = TransitionTable(
    "年度报告",
    {
        ReportStatus.DRAFT: {
            ReportAction.SUBMIT: ReportStatus.SUBMITTED,
            ReportAction.SIGN_OFF: ReportStatus.SIGNED_OFF,
        },
        ReportStatus.SUBMITTED: {
            ReportAction.RETURN: ReportStatus.DRAFT,
            ReportAction.SIGN_OFF: ReportStatus.SIGNED_OFF,
        },
        ReportStatus.SIGNED_OFF: {ReportAction.PUBLISH: ReportStatus.PUBLISHED},
        ReportStatus.PUBLISHED: {},
    },
)

#: Statuses whose content is frozen (only superseded by a new version).
LOCKED_STATUSES: frozenset[ReportStatus] = frozenset({ReportStatus.SIGNED_OFF, ReportStatus.PUBLISHED})
#: Statuses before sign-off (one such record per agency-year at a time).
OPEN_STATUSES: frozenset[ReportStatus] = frozenset({ReportStatus.DRAFT, ReportStatus.SUBMITTED})


def next_status(status: ReportStatus | str, action: ReportAction) -> ReportStatus:
    """The status after ``action`` per :data:`TRANSITIONS` (sign-off before publication, 国办公开办函
    〔2021〕30号); else :class:`~gongkai.core.errors.InvalidTransition`. A stored value is accepted."""
    return transition(TRANSITIONS, ReportStatus(status), action)
