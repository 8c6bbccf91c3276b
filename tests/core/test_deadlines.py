"""The statutory clock: 条例 arts 30–35 (legal spec §1.2, §2.4, §5.2)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.answer_periods import answer_periods
from gongkai.core.calendar import CalendarEntry, CalendarYear, DayKind, EntryKind, WorkingCalendar, package_years
from gongkai.core.deadlines import (
    AnsweredOnTheSpot,
    Channel,
    ClockEvent,
    Consultation,
    ConsultedParty,
    CorrectionReceived,
    CorrectionRequested,
    DelayedAnswer,
    Extension,
    FeeClockRule,
    FeeNotice,
    MilestoneKind,
    compute_deadline,
    merge_ranges,
    receipt_date,
)
from gongkai.core.errors import CalendarYearMissing, DeadlineError
from tests.core.test_calendar import year_2027

D = date.fromisoformat
CAL = WorkingCalendar()


def due(received: str, *events: ClockEvent, calendar: WorkingCalendar = CAL, **kw: object) -> date | None:
    return compute_deadline(D(received), events, calendar=calendar, **kw).due_on  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Base deadline: spec §5.2 vectors and the awkward receipt days
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("2026-03-02", "2026-03-30"),  # Monday
        ("2026-03-01", "2026-03-27"),  # Sunday
        ("2026-02-28", "2026-03-27"),  # 调休上班 Saturday
        ("2026-02-14", "2026-03-20"),  # 调休上班 Saturday before 春节
        ("2026-02-13", "2026-03-19"),  # Friday before 春节
        ("2026-02-16", "2026-03-20"),  # inside 春节: 02-24 is day 1
        ("2025-09-26", "2025-10-30"),  # before 国庆
        ("2026-09-30", "2026-11-03"),  # the day before 国庆: 10-08 is day 1
        ("2025-12-31", "2026-01-29"),  # across the year boundary
    ],
)
def test_answer_due_20_working_days(received: str, expected: str) -> None:
    assert due(received) == D(expected)


@pytest.mark.parametrize(
    ("received", "expected"),
    [("2026-02-13", "2026-03-02"), ("2026-09-24", "2026-10-12"), ("2026-03-02", "2026-03-11")],
)
def test_correction_notice_due_7_working_days(received: str, expected: str) -> None:
    result = compute_deadline(D(received), calendar=CAL)
    assert result.correction_notice_due == D(expected)


def test_spec_extension_vector() -> None:
    result = compute_deadline(D("2026-03-02"), [Extension(20, D("2026-03-20"))], calendar=CAL)
    assert result.due_before_extension == D("2026-03-30")
    assert result.due_on == D("2026-04-28")


# ---------------------------------------------------------------------------------------------
# 补正 (art 30)
# ---------------------------------------------------------------------------------------------


def test_correction_restarts_the_count() -> None:
    # Mar 11–13 (3), 16–20 (8), 23–27 (13), 30–31 (15), Apr 1–3 (18), 清明 4–6, Apr 7 (19), 8 (20)
    events = (CorrectionRequested(D("2026-03-05")), CorrectionReceived(D("2026-03-10")))
    result = compute_deadline(D("2026-03-02"), events, calendar=CAL)
    assert result.due_on == D("2026-04-08")
    assert result.clock_start == D("2026-03-10")
    assert result.correction_notice_due == D("2026-03-11")
    assert not result.warnings


def test_correction_restart_is_fresh_not_a_pause() -> None:
    # Received 02-13, corrected on 调休 Saturday 02-28: 20 fresh days from 02-28, not 20 minus those used.
    assert due("2026-02-13", CorrectionReceived(D("2026-02-28"))) == D("2026-03-27")


def test_awaiting_correction_has_no_answer_due_date() -> None:
    events = (CorrectionRequested(D("2026-03-04"), reply_by=D("2026-03-20")),)
    result = compute_deadline(D("2026-03-02"), events, calendar=CAL, explain=True)
    assert result.due_on is None and result.clock_start is None
    assert result.milestone(MilestoneKind.CORRECTION_REPLY_BY) == D("2026-03-20")
    assert "尚未起算" in result.explain()
    assert result.trace[-1].day == D("2026-03-20")
    assert all(t.counted is None for t in result.trace)


def test_late_correction_notice_is_warned() -> None:
    events = (CorrectionRequested(D("2026-03-12")), CorrectionReceived(D("2026-03-13")))
    result = compute_deadline(D("2026-03-02"), events, calendar=CAL)
    assert result.warnings and "2026-03-11" in result.warnings[0]


# ---------------------------------------------------------------------------------------------
# Consultations (arts 32–34): pauses
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "pause", "expected"),
    [
        # Base 10-29. The pause takes Sep 28–30 and Oct 8–9 (5 working days) across 国庆.
        ("2026-09-24", ("2026-09-28", "2026-10-09"), "2026-11-05"),
        # A pause lying on 国庆 only (no working day in it) changes nothing.
        ("2026-09-24", ("2026-10-01", "2026-10-07"), "2026-10-29"),
        # A pause over 春节 takes 02-14 and 02-28 (调休 Saturdays) and 02-24..27: 6 days after 03-19.
        ("2026-02-13", ("2026-02-14", "2026-02-28"), "2026-03-27"),
        # A pause starting after the due date does not help.
        ("2026-03-02", ("2026-03-31", "2026-04-10"), "2026-03-30"),
        # A pause on the due date itself moves it by the days inside the pause.
        ("2026-03-02", ("2026-03-30", "2026-03-30"), "2026-03-31"),
        # Pause days are inclusive at both ends: Mon 03-09 to Fri 03-13 are 5 days.
        ("2026-03-02", ("2026-03-09", "2026-03-13"), "2026-04-07"),
    ],
)
def test_consultation_pause(received: str, pause: tuple[str, str], expected: str) -> None:
    c = Consultation(D(pause[0]), D(pause[1]), ConsultedParty.THIRD_PARTY)
    result = compute_deadline(D(received), [c], calendar=CAL)
    assert result.due_on == D(expected)
    assert not result.provisional


def test_overlapping_consultations_count_once() -> None:
    a = Consultation(D("2026-03-09"), D("2026-03-11"), ConsultedParty.THIRD_PARTY)
    b = Consultation(D("2026-03-10"), D("2026-03-13"), ConsultedParty.AGENCY)
    assert due("2026-03-02", a, b) == due("2026-03-02", Consultation(D("2026-03-09"), D("2026-03-13")))


def test_open_consultation_is_provisional_until_reply_due() -> None:
    c = Consultation(D("2026-03-09"), None, ConsultedParty.THIRD_PARTY)
    result = compute_deadline(D("2026-03-02"), [c], calendar=CAL)
    reply_due = result.milestone(MilestoneKind.CONSULTATION_REPLY_DUE)
    # 15 working days after 03-09: Mar 10–13 (4), 16–20 (9), 23–27 (14), 30 (15)
    assert reply_due == D("2026-03-30")
    assert result.provisional
    assert result.pauses[0].end == reply_due and result.pauses[0].provisional
    assert result.due_on == due("2026-03-02", Consultation(D("2026-03-09"), reply_due))


def test_open_consultation_runs_to_as_of_when_later() -> None:
    c = Consultation(D("2026-03-09"))
    later = compute_deadline(D("2026-03-02"), [c], calendar=CAL, as_of=D("2026-04-15"))
    assert later.pauses[0].end == D("2026-04-15")
    assert later.due_on == due("2026-03-02", Consultation(D("2026-03-09"), D("2026-04-15")))


def test_consultation_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(DeadlineError, match="早于开始日"):
        due("2026-03-02", Consultation(D("2026-03-10"), D("2026-03-09")))


# ---------------------------------------------------------------------------------------------
# Extension (art 33 ¶2)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "decided", "expected"),
    [
        (20, "2026-03-02", "2026-04-28"),
        (1, "2026-03-30", "2026-03-31"),  # decided on the due date itself: still in time
        (5, "2026-03-10", "2026-04-07"),  # 03-31, 04-01..03, (清明), 04-07
    ],
)
def test_extension(days: int, decided: str, expected: str) -> None:
    assert due("2026-03-02", Extension(days, D(decided))) == D(expected)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ((Extension(21, D("2026-03-05")),), "最长不得超过20个工作日"),
        ((Extension(0, D("2026-03-05")),), "最长不得超过20个工作日"),
        ((Extension(5, D("2026-03-31")),), "届满前决定"),
        ((Extension(5, D("2026-03-05")), Extension(5, D("2026-03-06"))), "只能延长一次"),
    ],
)
def test_extension_refused(events: tuple[ClockEvent, ...], message: str) -> None:
    with pytest.raises(DeadlineError, match=message):
        compute_deadline(D("2026-03-02"), events, calendar=CAL)


def test_extension_decided_after_a_pause_moved_the_due_date_is_in_time() -> None:
    pause = Consultation(D("2026-03-09"), D("2026-03-13"))  # original due becomes 04-07
    assert due("2026-03-02", pause, Extension(1, D("2026-04-07"))) == D("2026-04-08")


def test_pause_inside_the_extension_is_not_counted() -> None:
    # Extended to 04-28; a consultation 04-20..04-24 (5 days) moves it to 05-11 (劳动节 01–05, 05-09 调休).
    events = (Extension(20, D("2026-03-20")), Consultation(D("2026-04-20"), D("2026-04-24")))
    # After 04-28: 04-29 (1), 04-30 (2), 05-06 (3), 05-07 (4), 05-08 (5)
    assert due("2026-03-02", *events) == D("2026-05-08")


# ---------------------------------------------------------------------------------------------
# Fee notice (spec §2.4)
# ---------------------------------------------------------------------------------------------


def test_fee_period_suspends_by_default() -> None:
    fee = FeeNotice(D("2026-03-09"), paid_on=D("2026-03-13"))
    result = compute_deadline(D("2026-03-02"), [fee], calendar=CAL)
    assert result.due_on == D("2026-04-07")
    # 20 working days from the day after the notice: Mar 10 … Apr 7 (清明 4–6)
    assert result.fee_payment_due == D("2026-04-07")


def test_fee_period_running_rule() -> None:
    fee = FeeNotice(D("2026-03-09"), paid_on=D("2026-03-13"))
    result = compute_deadline(D("2026-03-02"), [fee], calendar=CAL, fee_rule=FeeClockRule.RUNNING)
    assert result.due_on == D("2026-03-30")
    assert result.fee_payment_due == D("2026-04-07")
    assert not result.pauses


def test_unpaid_fee_is_provisional_until_payment_due() -> None:
    result = compute_deadline(D("2026-03-02"), [FeeNotice(D("2026-03-09"))], calendar=CAL)
    assert result.provisional
    assert result.pauses[0].end == D("2026-04-07")


def test_late_payment_is_warned() -> None:
    result = compute_deadline(D("2026-03-02"), [FeeNotice(D("2026-03-09"), D("2026-04-08"))], calendar=CAL)
    assert any("视为放弃申请" in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# Art 35, 当场答复, validation
# ---------------------------------------------------------------------------------------------


def test_delayed_answer_replaces_the_art_33_date() -> None:
    result = compute_deadline(D("2026-03-02"), [DelayedAnswer(D("2026-03-20"), D("2026-05-29"))], calendar=CAL)
    assert result.due_on == D("2026-05-29")
    assert result.milestone(MilestoneKind.ANSWER_DUE_BEFORE_DELAY) == D("2026-03-30")


@pytest.mark.parametrize(
    ("delayed", "message"),
    [
        (DelayedAnswer(D("2026-03-20"), D("2026-03-25")), "早于第三十三条"),
        (DelayedAnswer(D("2026-03-20"), D("2026-03-20")), "应晚于决定日"),
    ],
)
def test_delayed_answer_refused(delayed: DelayedAnswer, message: str) -> None:
    with pytest.raises(DeadlineError, match=message):
        due("2026-03-02", delayed)


def test_answered_on_the_spot() -> None:
    result = compute_deadline(D("2026-03-01"), [AnsweredOnTheSpot()], calendar=CAL, explain=True)
    assert result.due_on == D("2026-03-01") and result.on_the_spot
    assert "当场答复" in result.trace[0].note
    with pytest.raises(DeadlineError, match="当场答复"):
        due("2026-03-02", AnsweredOnTheSpot(), Extension(5, D("2026-03-02")))


@pytest.mark.parametrize(
    "event",
    [
        CorrectionReceived(D("2026-03-01")),
        Consultation(D("2026-02-27"), D("2026-03-05")),
        Extension(5, D("2026-03-01")),
        FeeNotice(D("2026-02-01")),
    ],
)
def test_events_before_receipt_are_refused(event: ClockEvent) -> None:
    with pytest.raises(DeadlineError, match="早于收到申请之日"):
        due("2026-03-02", event)


def test_correction_received_before_requested_is_refused() -> None:
    with pytest.raises(DeadlineError):
        due("2026-03-02", CorrectionRequested(D("2026-03-06")), CorrectionReceived(D("2026-03-05")))


# ---------------------------------------------------------------------------------------------
# Unloaded years
# ---------------------------------------------------------------------------------------------


def test_due_date_in_an_unloaded_year_raises() -> None:
    with pytest.raises(CalendarYearMissing) as info:
        due("2026-12-21")
    assert info.value.year == 2027


def test_an_intermediate_date_in_an_unloaded_year_raises() -> None:
    # The answer would be due in 2026 without the consultation, but its reply date is in 2027.
    with pytest.raises(CalendarYearMissing):
        due("2026-11-20", Consultation(D("2026-12-15"), D("2026-12-16")))


def test_loading_2027_answers() -> None:
    cal = WorkingCalendar([year_2027()])
    assert due("2026-12-21", calendar=cal) == D("2027-01-19")


# ---------------------------------------------------------------------------------------------
# Receipt date (art 31)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "kwargs", "expected"),
    [
        (Channel.IN_PERSON, {"submitted_on": D("2026-03-02")}, "2026-03-02"),
        (Channel.ORAL, {"submitted_on": D("2026-03-02")}, "2026-03-02"),
        (Channel.POST_SIGNED, {"submitted_on": D("2026-02-27"), "signed_on": D("2026-03-03")}, "2026-03-03"),
        (Channel.POST_UNSIGNED, {"confirmed_on": D("2026-03-04")}, "2026-03-04"),
        (Channel.INTERNET, {"submitted_on": D("2026-02-28"), "confirmed_on": D("2026-03-02")}, "2026-03-02"),
        (Channel.FAX, {"confirmed_on": D("2026-03-05")}, "2026-03-05"),
    ],
)
def test_receipt_date(channel: Channel, kwargs: dict[str, date], expected: str) -> None:
    assert receipt_date(channel, **kwargs) == D(expected)


@pytest.mark.parametrize(
    ("channel", "kwargs", "message"),
    [
        (Channel.POST_SIGNED, {"submitted_on": D("2026-03-02")}, "签收日期"),
        (Channel.INTERNET, {"submitted_on": D("2026-03-02")}, "确认日期"),
        (Channel.IN_PERSON, {}, "提交日期"),
        (Channel.FAX, {"submitted_on": D("2026-03-02"), "confirmed_on": D("2026-03-01")}, "早于提交日期"),
    ],
)
def test_receipt_date_needs_its_date(channel: Channel, kwargs: dict[str, date], message: str) -> None:
    with pytest.raises(DeadlineError, match=message):
        receipt_date(channel, **kwargs)


def test_channels_needing_confirmation() -> None:
    assert {c for c in Channel if c.needs_confirmation} == {Channel.POST_UNSIGNED, Channel.INTERNET, Channel.FAX}


# ---------------------------------------------------------------------------------------------
# The explanation
# ---------------------------------------------------------------------------------------------


def test_trace_explains_every_day() -> None:
    events = (Consultation(D("2026-03-02"), D("2026-03-03"), ConsultedParty.THIRD_PARTY), Extension(2, D("2026-03-10")))
    result = compute_deadline(D("2026-02-13"), events, calendar=CAL, explain=True)
    trace = {t.day: t for t in result.trace}
    assert result.trace[0].day == D("2026-02-13") and "不计入" in result.trace[0].note
    assert result.trace[-1].day == result.due_on
    assert len(result.trace) == (result.due_on - D("2026-02-13")).days + 1  # type: ignore[operator]
    assert trace[D("2026-02-14")].note.startswith("调休上班（春节），第1个工作日")
    assert trace[D("2026-02-16")].note == "春节，不计"
    assert trace[D("2026-02-16")].kind is DayKind.HOLIDAY
    assert trace[D("2026-03-01")].note == "周末，不计"
    assert "征求第三方意见期间" in trace[D("2026-03-03")].note and trace[D("2026-03-03")].counted is None
    assert result.trace[-1].counted == 22 and "延长期限第2个" in result.trace[-1].note
    assert "答复期限届满" in result.trace[-1].note
    counted = [t.counted for t in result.trace if t.counted is not None]
    assert counted == list(range(1, 23))


def test_trace_names_fee_and_correction_days() -> None:
    events = (CorrectionReceived(D("2026-03-04")), FeeNotice(D("2026-03-06"), D("2026-03-06")))
    result = compute_deadline(D("2026-03-02"), events, calendar=CAL, explain=True)
    notes = {t.day: t.note for t in result.trace}
    assert notes[D("2026-03-03")] == "等待申请人补正，不计"
    assert "收到补正之日" in notes[D("2026-03-04")]
    assert notes[D("2026-03-05")] == "第1个工作日"
    assert notes[D("2026-03-06")].startswith("缴费期间，不计")
    text = result.explain()
    assert text.splitlines()[0] == "答复期限：2026年4月2日"
    assert "逐日计算：" in text and "2026年3月6日 周五" in text


def test_days_before_the_correction_notice_are_the_agencys_review_not_the_applicants() -> None:
    """A 补正 sent on 03-05: 03-03 and 03-04 are review days; 03-05 … 03-09 wait for the applicant."""
    events = (CorrectionRequested(D("2026-03-05")), CorrectionReceived(D("2026-03-10")))
    notes = {t.day: t.note for t in compute_deadline(D("2026-03-02"), events, calendar=CAL, explain=True).trace}
    assert notes[D("2026-03-03")].startswith("补正告知发出前的审查期间") and "条例第三十条" in notes[D("2026-03-03")]
    assert notes[D("2026-03-05")].startswith("等待申请人补正，不计") and "发出补正告知" in notes[D("2026-03-05")]
    assert notes[D("2026-03-09")].startswith("等待申请人补正")
    assert "收到补正之日" in notes[D("2026-03-10")] and notes[D("2026-03-11")].startswith("第1个工作日")


@pytest.mark.parametrize(
    ("received", "extension", "expected", "base"),
    [
        ("2019-05-14", None, "2019-06-04", 15),  # 2008 条例 art 24 ¶2: 15 working days
        ("2019-05-15", None, "2019-06-13", 20),  # 2019 条例 art 33 ¶2 from its first day (端午 06-07 skipped)
        ("2018-03-01", 15, "2018-04-13", 15),  # 15 + 15 (清明 04-05..04-07, 04-08 Sun 上班)
    ],
)
def test_2008_regulation_periods_by_receipt_date(
    received: str, extension: int | None, expected: str, base: int
) -> None:
    events = [Extension(extension, D(received))] if extension else []
    assert answer_periods(D(received)).base_days == base
    assert compute_deadline(D(received), events, calendar=CAL).due_on == D(expected)


def test_2008_regulation_caps_the_extension_at_15_and_cites_art_24() -> None:
    with pytest.raises(DeadlineError, match="最长不得超过15个工作日（2008年条例第二十四条第二款）"):
        compute_deadline(D("2018-03-01"), [Extension(16, D("2018-03-01"))], calendar=CAL)
    result = compute_deadline(D("2018-03-01"), calendar=CAL)
    assert result.correction_notice_due is None  # the 7-day 补正 notice period came in 2019 (art 30)


def test_trace_agrees_with_the_count_in_random_cases() -> None:
    import random

    rnd = random.Random(7)
    for _ in range(200):
        received = D("2025-01-01") + timedelta(days=rnd.randrange(600))
        events: list[ClockEvent] = []
        if rnd.random() < 0.5:
            start = received + timedelta(days=rnd.randrange(1, 30))
            events.append(Consultation(start, start + timedelta(days=rnd.randrange(0, 20))))
        if rnd.random() < 0.3:
            events.append(Extension(rnd.randrange(1, 21), received))
        result = compute_deadline(received, events, calendar=CAL, explain=True)
        assert result.trace[-1].day == result.due_on
        assert result.trace[-1].counted == 20 + sum(e.days for e in events if isinstance(e, Extension))


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

receipts = st.dates(D("2004-01-01"), D("2026-09-30"))


def naive_due(received: date, pauses: list[tuple[date, date]], n: int = 20) -> date:
    """Oracle: walk the days with chinesecalendar, skipping paused days."""
    d = received
    while n:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d) and not any(s <= d <= e for s, e in pauses):
            n -= 1
    return d


@st.composite
def pauses_after(draw: st.DrawFn, received: date) -> list[tuple[date, date]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        start = received + timedelta(days=draw(st.integers(0, 40)))
        out.append((start, start + timedelta(days=draw(st.integers(0, 25)))))
    return out


@settings(max_examples=200)
@given(st.data())
def test_due_matches_a_day_by_day_walk(data: st.DataObject) -> None:
    received = data.draw(st.dates(D("2005-01-01"), D("2026-06-30")))
    pauses = data.draw(pauses_after(received))
    events = [Consultation(s, e) for s, e in pauses]
    assert due(received.isoformat(), *events) == naive_due(received, pauses, answer_periods(received).base_days)


@settings(max_examples=200)
@given(receipts, receipts)
def test_a_later_receipt_never_gives_an_earlier_due_date(a: date, b: date) -> None:
    a, b = min(a, b), max(a, b)
    assert compute_deadline(a, calendar=CAL).due_on <= compute_deadline(b, calendar=CAL).due_on  # type: ignore[operator]


@settings(max_examples=200)
@given(st.data())
def test_a_pause_never_shortens_the_deadline(data: st.DataObject) -> None:
    received = data.draw(st.dates(D("2005-01-01"), D("2026-06-30")))
    pauses = data.draw(pauses_after(received))
    base = compute_deadline(received, calendar=CAL).due_on
    paused = compute_deadline(received, [Consultation(s, e) for s, e in pauses], calendar=CAL).due_on
    assert paused >= base  # type: ignore[operator]


_2026 = next(y for y in package_years() if y.year == 2026)


@settings(max_examples=60, deadline=None)
@given(st.dates(D("2026-01-01"), D("2026-10-31")), st.dates(D("2026-01-01"), D("2026-12-31")))
def test_an_extra_holiday_never_moves_a_due_date_earlier(received: date, extra: date) -> None:
    if _2026.entry(extra) is not None:
        return  # already declared
    entries = (*_2026.entries, CalendarEntry(extra, EntryKind.OFF, "测试假日"))
    cal = WorkingCalendar([CalendarYear(2026, _2026.source, entries, origin="test")])
    before = compute_deadline(received, calendar=CAL).due_on
    after = compute_deadline(received, calendar=cal).due_on
    assert after >= before  # type: ignore[operator]
    if extra.weekday() < 5 and received < extra <= before:  # type: ignore[operator]
        assert after > before  # type: ignore[operator]


def test_merge_ranges() -> None:
    r = merge_ranges(
        [(D("2026-03-05"), D("2026-03-06")), (D("2026-03-01"), D("2026-03-02")), (D("2026-03-03"), D("2026-03-03"))]
    )
    assert r == [(D("2026-03-01"), D("2026-03-03")), (D("2026-03-05"), D("2026-03-06"))]
