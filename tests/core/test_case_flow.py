"""Case statuses, the transition table, and the statutory outcomes (spec §1.2, §1.3)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.case_flow import (
    CLOSING_EVENTS,
    OPEN_STATUSES,
    TRANSITIONS,
    Event,
    Status,
    Step,
    allowed_events,
    apply_event,
    close_outcome,
    initial_status,
    next_status,
)
from gongkai.core.deadlines import Channel
from gongkai.core.errors import InvalidTransition
from gongkai.core.outcomes import (
    OUTCOME_INFO,
    WITHHOLDING_OUTCOMES,
    LetterKind,
    Outcome,
    requires_review_first_notice,
    review_first_notice,
)
from gongkai.core.report.taxonomy import OUTCOME_ROWS

S, E = Status, Event

# ---------------------------------------------------------------------------------------------
# Paths through the table
# ---------------------------------------------------------------------------------------------

PATHS = [
    # 当场答复 (art 33 ¶1)
    (S.REGISTERED, [E.ANSWER_ON_THE_SPOT], S.CLOSED),
    # online application: confirm, then work (art 31(3))
    (S.AWAITING_CONFIRMATION, [E.CONFIRM_RECEIPT, E.ACCEPT, E.ANSWER], S.CLOSED),
    # 补正 then answer (art 30)
    (S.REGISTERED, [E.REQUEST_CORRECTION, E.RECEIVE_CORRECTION, E.ANSWER], S.CLOSED),
    # 逾期不补正 (art 30)
    (S.REGISTERED, [E.REQUEST_CORRECTION, E.CORRECTION_OVERDUE], S.CLOSED),
    # consultation, extension, consultation again (arts 32–34, 33 ¶2)
    (
        S.REGISTERED,
        [
            E.ACCEPT,
            E.START_CONSULTATION,
            E.END_CONSULTATION,
            E.REQUEST_EXTENSION,
            E.APPROVE_EXTENSION,
            E.START_CONSULTATION,
            E.END_CONSULTATION,
        ],
        S.IN_PROGRESS,
    ),
    (S.IN_PROGRESS, [E.REQUEST_EXTENSION, E.REFUSE_EXTENSION], S.IN_PROGRESS),
    (S.IN_PROGRESS, [E.REQUEST_EXTENSION, E.APPROVE_EXTENSION], S.EXTENDED),
    # fees (spec §2.4)
    (S.IN_PROGRESS, [E.SEND_FEE_NOTICE, E.RECEIVE_PAYMENT, E.ANSWER], S.CLOSED),
    (S.EXTENDED, [E.SEND_FEE_NOTICE, E.FEE_OVERDUE], S.CLOSED),
    # art 35
    (S.IN_PROGRESS, [E.SET_DELAYED_ANSWER, E.START_CONSULTATION, E.END_CONSULTATION], S.IN_PROGRESS),
    (S.EXTENDED, [E.SET_DELAYED_ANSWER, E.ANSWER], S.CLOSED),
]


@pytest.mark.parametrize(("start", "events", "end"), PATHS)
def test_allowed_paths(start: Status, events: list[Event], end: Status) -> None:
    status = start
    for event in events:
        status = next_status(status, event)
    assert status is end


REFUSED = [
    (S.CLOSED, E.ANSWER),
    (S.CLOSED, E.WITHDRAW),
    (S.AWAITING_CONFIRMATION, E.ACCEPT),
    (S.AWAITING_CORRECTION, E.ANSWER),
    (S.IN_PROGRESS, E.RECEIVE_CORRECTION),
    (S.IN_PROGRESS, E.ANSWER_ON_THE_SPOT),
    (S.CONSULTING, E.ANSWER),  # the consultation's end date is needed first (art 33 ¶3)
    (S.EXTENDED, E.REQUEST_EXTENSION),  # one extension (art 33 ¶2)
    (S.EXTENSION_REQUESTED, E.REQUEST_EXTENSION),
    (S.FEE_PENDING, E.ANSWER),
    (S.DELAYED, E.REQUEST_EXTENSION),
    (S.REGISTERED, E.CORRECTION_OVERDUE),
    (S.IN_PROGRESS, E.FEE_OVERDUE),
]


@pytest.mark.parametrize(("status", "event"), REFUSED)
def test_refused_transitions_say_why_in_chinese(status: Status, event: Event) -> None:
    with pytest.raises(InvalidTransition) as info:
        next_status(status, event)
    assert str(info.value) == f"案件处于“{status.label}”状态，不能执行“{event.label}”"


def test_message_example() -> None:
    with pytest.raises(InvalidTransition, match="案件处于“已办结”状态，不能执行“作出答复”"):
        next_status(S.CLOSED, E.ANSWER)


def test_table_covers_every_status_and_closed_is_final() -> None:
    assert set(TRANSITIONS) == set(Status)
    assert TRANSITIONS[S.CLOSED] == {}
    assert allowed_events(S.CLOSED) == ()
    open_statuses = OPEN_STATUSES
    assert open_statuses == frozenset(Status) - {S.CLOSED}
    assert all(s.is_open for s in OPEN_STATUSES) and not S.CLOSED.is_open


def test_every_open_status_can_be_withdrawn_and_every_status_is_reachable() -> None:
    for status in OPEN_STATUSES:
        assert next_status(status, E.WITHDRAW) is S.CLOSED
    reached = {S.AWAITING_CONFIRMATION, S.REGISTERED}
    frontier = list(reached)
    while frontier:
        for target in TRANSITIONS[frontier.pop()].values():
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(Status)


def test_closing_events() -> None:
    closing = CLOSING_EVENTS
    assert closing == {E.ANSWER, E.ANSWER_ON_THE_SPOT, E.CORRECTION_OVERDUE, E.FEE_OVERDUE, E.WITHDRAW}


@pytest.mark.parametrize(
    ("channel", "status"),
    [
        (Channel.IN_PERSON, S.REGISTERED),
        (Channel.ORAL, S.REGISTERED),
        (Channel.POST_SIGNED, S.REGISTERED),
        (Channel.POST_UNSIGNED, S.AWAITING_CONFIRMATION),
        (Channel.INTERNET, S.AWAITING_CONFIRMATION),
        (Channel.FAX, S.AWAITING_CONFIRMATION),
    ],
)
def test_initial_status(channel: Channel, status: Status) -> None:
    assert initial_status(channel) is status


# ---------------------------------------------------------------------------------------------
# Closing needs exactly one outcome
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "chosen", "recorded"),
    [
        (E.CORRECTION_OVERDUE, None, Outcome.OTHER_NO_CORRECTION),
        (E.CORRECTION_OVERDUE, Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_NO_CORRECTION),
        (E.FEE_OVERDUE, None, Outcome.OTHER_FEE_UNPAID),
        (E.WITHDRAW, None, Outcome.OTHER_OTHER),
        (E.ANSWER, Outcome.GRANTED, Outcome.GRANTED),
        (E.ANSWER, Outcome.WITHHELD_THIRD_PARTY, Outcome.WITHHELD_THIRD_PARTY),
        (E.ANSWER, Outcome.OTHER_OTHER, Outcome.OTHER_OTHER),
        (E.ANSWER_ON_THE_SPOT, Outcome.GRANTED, Outcome.GRANTED),
    ],
)
def test_close_outcome(event: Event, chosen: Outcome | None, recorded: Outcome) -> None:
    assert close_outcome(event, chosen) is recorded


@pytest.mark.parametrize(
    ("event", "chosen", "message"),
    [
        (E.ANSWER, None, "须选定一项办理结果"),
        (E.ANSWER, Outcome.OTHER_NO_CORRECTION, "只能通过“逾期不补正，不再处理”记录"),
        (E.ANSWER, Outcome.OTHER_FEE_UNPAID, "只能通过“逾期未缴费，不再处理”记录"),
        (E.CORRECTION_OVERDUE, Outcome.GRANTED, "只能是"),
        (E.FEE_OVERDUE, Outcome.OTHER_NO_CORRECTION, "只能是"),
        (E.ACCEPT, Outcome.GRANTED, "不会办结案件"),
    ],
)
def test_close_outcome_refused(event: Event, chosen: Outcome | None, message: str) -> None:
    with pytest.raises(InvalidTransition, match=message):
        close_outcome(event, chosen)


def test_apply_event_checks_table_and_outcome_together() -> None:
    assert apply_event(S.AWAITING_CORRECTION, E.CORRECTION_OVERDUE) == Step(S.CLOSED, Outcome.OTHER_NO_CORRECTION)
    assert apply_event(S.IN_PROGRESS, E.START_CONSULTATION) == Step(S.CONSULTING)
    with pytest.raises(InvalidTransition):
        apply_event(S.IN_PROGRESS, E.ANSWER)  # no outcome
    with pytest.raises(InvalidTransition):
        apply_event(S.IN_PROGRESS, E.START_CONSULTATION, Outcome.GRANTED)
    with pytest.raises(InvalidTransition):
        apply_event(S.CLOSED, E.ANSWER, Outcome.GRANTED)


# ---------------------------------------------------------------------------------------------
# Outcomes = the rows of table 三
# ---------------------------------------------------------------------------------------------


def test_outcomes_are_the_taxonomy_rows() -> None:
    assert [o.value for o in Outcome] == [r.key for r in OUTCOME_ROWS]
    assert [o.label for o in Outcome] == [r.label for r in OUTCOME_ROWS]
    assert len(Outcome) == 21


@pytest.mark.parametrize(
    ("outcome", "full_label", "group"),
    [
        (Outcome.GRANTED, "（一）予以公开", "granted"),
        (Outcome.WITHHELD_STATE_SECRET, "（三）不予公开 1.属于国家秘密", "withheld"),
        (Outcome.UNAVAILABLE_STILL_UNCLEAR, "（四）无法提供 3.补正后申请内容仍不明确", "unavailable"),
        (
            Outcome.OTHER_FEE_UNPAID,
            "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "other",
        ),
    ],
)
def test_outcome_labels(outcome: Outcome, full_label: str, group: str) -> None:
    assert outcome.full_label == full_label
    assert outcome.group_key == group


def test_every_outcome_has_basis_and_letter() -> None:
    assert set(OUTCOME_INFO) == set(Outcome)
    for o in Outcome:
        assert o.basis and isinstance(o.letter, LetterKind)


@pytest.mark.parametrize(
    ("outcome", "basis_fragment", "letter"),
    [
        (Outcome.PARTIAL, "第三十七条", LetterKind.PARTIAL),
        (Outcome.WITHHELD_THIRD_PARTY, "第十五条", LetterKind.WITHHOLD),
        (Outcome.WITHHELD_INTERNAL_AFFAIRS, "第十六条第一款", LetterKind.WITHHOLD),
        (Outcome.WITHHELD_ADMINISTRATIVE_QUERY, "第三十六条第（七）项", LetterKind.QUERY_PROCEDURE),
        (Outcome.UNAVAILABLE_NEEDS_CREATION, "第三十八条", LetterKind.INFORM),
        (Outcome.REJECTED_PETITION_COMPLAINT, "第三十九条第一款", LetterKind.NOT_AN_APPLICATION),
        (Outcome.REJECTED_REPEATED, "第三十六条第（六）项", LetterKind.NO_REPEAT),
        (Outcome.REJECTED_EXCESSIVE, "第三十五条", LetterKind.NOT_PROCESSED),
        (Outcome.OTHER_NO_CORRECTION, "第三十条", LetterKind.NONE),
    ],
)
def test_outcome_basis(outcome: Outcome, basis_fragment: str, letter: LetterKind) -> None:
    assert basis_fragment in outcome.basis
    assert outcome.letter is letter


def test_withholding_outcomes_are_partial_and_group_three() -> None:
    expected = {o for o in Outcome if o.group_key == "withheld"} | {Outcome.PARTIAL}
    assert expected == WITHHOLDING_OUTCOMES


@pytest.mark.parametrize(
    ("outcome", "decided", "required"),
    [
        (Outcome.WITHHELD_STATE_SECRET, date(2024, 1, 1), True),
        (Outcome.WITHHELD_STATE_SECRET, date(2023, 12, 31), False),
        (Outcome.PARTIAL, date(2026, 3, 2), True),
        (Outcome.GRANTED, date(2026, 3, 2), False),
        (Outcome.UNAVAILABLE_NOT_HELD, date(2026, 3, 2), False),
    ],
)
def test_review_first_notice_from_2024(outcome: Outcome, decided: date, required: bool) -> None:
    assert requires_review_first_notice(outcome, decided) is required


def test_review_first_notice_text_names_the_body() -> None:
    text = review_first_notice("某某区人民政府")
    assert "应当先" in text and "某某区人民政府" in text and "第二十三条" in text
