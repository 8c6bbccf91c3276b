"""The annual report's state machine with the submit-for-sign-off step (core, no database)."""

from __future__ import annotations

import pytest

from gongkai.core.errors import InvalidTransition
from gongkai.core.report.lifecycle import (
    LOCKED_STATUSES,
    OPEN_STATUSES,
    ReportAction,
    ReportStatus,
    next_status,
)

S, A = ReportStatus, ReportAction

ALLOWED = [
    (S.DRAFT, A.SUBMIT, S.SUBMITTED),
    (S.SUBMITTED, A.RETURN, S.DRAFT),
    (S.SUBMITTED, A.SIGN_OFF, S.SIGNED_OFF),
    (S.DRAFT, A.SIGN_OFF, S.SIGNED_OFF),  # a leader who drafted it himself
    (S.SIGNED_OFF, A.PUBLISH, S.PUBLISHED),
]


@pytest.mark.parametrize(("status", "action", "after"), ALLOWED)
def test_allowed_transitions(status: ReportStatus, action: ReportAction, after: ReportStatus) -> None:
    assert next_status(status, action) is after
    assert next_status(status.value, action) is after


REFUSED = [
    (S.SUBMITTED, A.SUBMIT, "年度报告处于“待签发”状态，不能执行“提交签发”"),
    (S.DRAFT, A.RETURN, "年度报告处于“草稿”状态，不能执行“退回修改”"),
    (S.SUBMITTED, A.PUBLISH, "不能执行“发布”"),
    (S.SIGNED_OFF, A.RETURN, "年度报告处于“已签发”状态"),
    (S.SIGNED_OFF, A.SUBMIT, "已签发"),
    (S.PUBLISHED, A.SIGN_OFF, "已发布"),
]


@pytest.mark.parametrize(("status", "action", "message"), REFUSED)
def test_refused_transitions(status: ReportStatus, action: ReportAction, message: str) -> None:
    with pytest.raises(InvalidTransition, match=message):
        next_status(status, action)


def test_open_and_locked_statuses_partition_the_statuses() -> None:
    assert set(S) == OPEN_STATUSES | LOCKED_STATUSES
    assert not OPEN_STATUSES & LOCKED_STATUSES
    assert S.SUBMITTED.label == "待签发" and A.SUBMIT.label == "提交签发"
