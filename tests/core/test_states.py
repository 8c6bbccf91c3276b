"""The one transition check shared by the case, the 主动公开 item and the annual report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from gongkai.core import case_flow, publication_flow
from gongkai.core.errors import InvalidTransition
from gongkai.core.report import lifecycle
from gongkai.core.states import TransitionTable, transition

TABLES: list[TransitionTable[Any, Any]] = [
    case_flow.TRANSITIONS,
    publication_flow.TRANSITIONS,
    lifecycle.TRANSITIONS,
]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.subject)
def test_every_listed_step_is_allowed_and_every_other_refused(table: TransitionTable[Any, Any]) -> None:
    events = {e for targets in table.values() for e in targets}
    for status, targets in table.items():
        assert table.allowed(status) == tuple(targets)
        for event in events:
            if event in targets:
                assert transition(table, status, event) is targets[event]
            else:
                with pytest.raises(InvalidTransition) as info:
                    transition(table, status, event)
                assert str(info.value) == f"{table.subject}处于“{status.label}”状态，不能执行“{event.label}”"


@pytest.mark.parametrize(
    ("table", "statuses"),
    [
        (case_flow.TRANSITIONS, case_flow.Status),
        (publication_flow.TRANSITIONS, publication_flow.ItemStatus),
        (lifecycle.TRANSITIONS, lifecycle.ReportStatus),
    ],
)
def test_every_status_has_a_row(table: TransitionTable[Any, Any], statuses: Iterable[object]) -> None:
    assert set(table) == set(statuses)


def test_the_table_cannot_be_changed_after_the_fact() -> None:
    with pytest.raises(TypeError):
        lifecycle.TRANSITIONS[lifecycle.ReportStatus.DRAFT][lifecycle.ReportAction.PUBLISH] = (  # type: ignore[index]
            lifecycle.ReportStatus.PUBLISHED
        )


def test_report_sign_off_and_publication() -> None:
    S, A = lifecycle.ReportStatus, lifecycle.ReportAction
    assert lifecycle.next_status("draft", A.SIGN_OFF) is S.SIGNED_OFF
    assert lifecycle.next_status(S.SIGNED_OFF, A.PUBLISH) is S.PUBLISHED
    with pytest.raises(InvalidTransition, match="年度报告处于“草稿”状态，不能执行“发布”"):
        lifecycle.next_status(S.DRAFT, A.PUBLISH)
