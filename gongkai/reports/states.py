"""The life of an annual-report record: statuses, actions and the one transition table.

draft (草稿) → signed_off (负责人签发) → published (已发布). A signed-off record is frozen: the only
change it may still undergo is publication. A correction is a new version that supersedes it
(国办公开办函〔2021〕30号 "一、（四）明确责任": the leader answers for the report as signed).
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models

from gongkai.core.errors import InvalidTransition


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SIGNED_OFF = "signed_off", "已签发"
    PUBLISHED = "published", "已发布"


class ReportAction(StrEnum):
    SIGN_OFF = "sign_off"
    PUBLISH = "publish"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[ReportAction, str] = {
    ReportAction.SIGN_OFF: "签发",
    ReportAction.PUBLISH: "发布",
}

#: status → {action: next status}. Anything not listed is refused.
TRANSITIONS: dict[ReportStatus, dict[ReportAction, ReportStatus]] = {
    ReportStatus.DRAFT: {ReportAction.SIGN_OFF: ReportStatus.SIGNED_OFF},
    ReportStatus.SIGNED_OFF: {ReportAction.PUBLISH: ReportStatus.PUBLISHED},
    ReportStatus.PUBLISHED: {},
}

#: Statuses whose content is frozen (only superseded by a new version).
LOCKED_STATUSES: frozenset[ReportStatus] = frozenset({ReportStatus.SIGNED_OFF, ReportStatus.PUBLISHED})


def next_status(status: ReportStatus | str, action: ReportAction) -> ReportStatus:
    """The status after ``action``; raises :class:`InvalidTransition` when the table refuses it."""
    current = ReportStatus(status)
    target = TRANSITIONS[current].get(action)
    if target is None:
        raise InvalidTransition(f"年度报告处于“{current.label}”状态，不能{action.label}")
    return target


class ReportAuditAction(StrEnum):
    """Audit codes of the reports app."""

    DRAFT_STARTED = "report.draft_started"
    NARRATIVE_SAVED = "report.narrative_saved"
    SIGNED_OFF = "report.signed_off"
    PUBLISHED = "report.published"
    NEW_VERSION = "report.new_version"
