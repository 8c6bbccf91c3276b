"""What another system may do through the API, the events it may hear of, and when a failed
webhook delivery is tried again. Defined once here; the apiclients app derives its choices.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class Scope(StrEnum):
    """A permission of an API client, within what its agency's officers may see."""

    CASES_READ = "cases:read"
    CASES_SUBMIT = "cases:submit"
    PUBLICATIONS_READ = "publications:read"
    REPORTS_READ = "reports:read"

    @property
    def label(self) -> str:
        return SCOPE_LABELS[self]


SCOPE_LABELS: dict[Scope, str] = {
    Scope.CASES_READ: "读取本机关的依申请公开案件（个人信息遮蔽）",
    Scope.CASES_SUBMIT: "提交政府信息公开申请",
    Scope.PUBLICATIONS_READ: "读取本机关的主动公开信息",
    Scope.REPORTS_READ: "读取本机关的年度报告",
}


class WebhookEvent(StrEnum):
    """Events a client's webhook receives, each needing a scope (:data:`EVENT_SCOPES`)."""

    CASE_STATUS_CHANGED = "case.status_changed"
    LETTER_ISSUED = "letter.issued"
    LETTER_DELIVERED = "letter.delivered"
    REPORT_PUBLISHED = "report.published"
    PING = "ping"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS: dict[WebhookEvent, str] = {
    WebhookEvent.CASE_STATUS_CHANGED: "案件状态变更",
    WebhookEvent.LETTER_ISSUED: "文书制发",
    WebhookEvent.LETTER_DELIVERED: "文书送达",
    WebhookEvent.REPORT_PUBLISHED: "年度报告发布",
    WebhookEvent.PING: "测试",
}

#: The scope a client needs to hear of an event (a ping needs none).
EVENT_SCOPES: dict[WebhookEvent, Scope | None] = {
    WebhookEvent.CASE_STATUS_CHANGED: Scope.CASES_READ,
    WebhookEvent.LETTER_ISSUED: Scope.CASES_READ,
    WebhookEvent.LETTER_DELIVERED: Scope.CASES_READ,
    WebhookEvent.REPORT_PUBLISHED: Scope.REPORTS_READ,
    WebhookEvent.PING: None,
}


class DeliveryState(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"pending": "待投递", "delivered": "已送达", "failed": "已放弃"}[self.value]


#: Attempts before a delivery is given up (a replay starts a new round).
MAX_ATTEMPTS = 8
#: The first retry waits this long; each next one twice as long, up to :data:`MAX_BACKOFF`.
FIRST_BACKOFF = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=6)


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after ``attempts`` failed attempts, or None to give up.

    Exponential backoff: 30 s, 1 min, 2 min, 4 min … capped at 6 h; :data:`MAX_ATTEMPTS` in all.
    """
    if attempts >= MAX_ATTEMPTS:
        return None
    wait: dt.timedelta = min(FIRST_BACKOFF * (2 ** max(0, attempts - 1)), MAX_BACKOFF)
    return now + wait
