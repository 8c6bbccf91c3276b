"""Working calendar: package data, data files, unknown years (legal spec §5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.calendar import (
    ASSUMED_SOURCE,
    DATA_DIR,
    MAX_ASSUMED_YEARS,
    CalendarEntry,
    CalendarSource,
    CalendarYear,
    DayKind,
    EntryKind,
    WorkingCalendar,
    assumed_year,
    default_calendar,
    load_calendar_file,
    package_years,
    parse_calendar_file,
    shipped_years,
    with_assumed_years,
)
from gongkai.core.errors import CalendarDataError, CalendarYearMissing
from gongkai.core.statutory_holidays import statutory_holidays

D = date.fromisoformat
CAL = WorkingCalendar()

HEADER = """year = {year}
days = \"\"\"
{days}
\"\"\"

[source]
title = "国务院办公厅关于{year}年部分节假日安排的通知"
number = "国办发明电〔{prev}〕1号"
url = "https://www.gov.cn/test"
published = {prev}-11-01
"""


def calendar_text(days: str, year: int = 2027) -> str:
    return HEADER.format(year=year, prev=year - 1, days=days)


#: A made-up 2027 arrangement for tests (the real notice is not published, spec §5.4).
TEST_2027_DAYS = """2027-01-01, 放假, 元旦
2027-02-05, 放假, 春节
2027-02-06, 放假, 春节
2027-02-07, 放假, 春节
2027-02-08, 放假, 春节
2027-02-09, 放假, 春节
2027-02-20, 上班, 春节"""


def year_2027() -> CalendarYear:
    return parse_calendar_file(calendar_text(TEST_2027_DAYS), "2027.toml")


# ---------------------------------------------------------------------------------------------
# Counting: spec §5.2 test vectors
# ---------------------------------------------------------------------------------------------

SPEC_VECTORS = [
    ("2026-03-02", 20, "2026-03-30"),  # Monday, working day
    ("2026-03-01", 20, "2026-03-27"),  # Sunday: find_workday pitfall gives 03-30
    ("2026-02-28", 20, "2026-03-27"),  # Saturday 调休上班
    ("2026-02-13", 7, "2026-03-02"),  # before 春节, 补正 notice
    ("2026-02-13", 20, "2026-03-19"),  # before 春节
    ("2025-09-26", 20, "2025-10-30"),  # before 国庆
    ("2026-09-24", 7, "2026-10-12"),  # before 中秋/国庆
    ("2025-12-31", 20, "2026-01-29"),  # across the year boundary
    ("2026-03-30", 20, "2026-04-28"),  # the extension vector: 03-30 + 20
]


@pytest.mark.parametrize(("start", "n", "expected"), SPEC_VECTORS)
def test_spec_vectors(start: str, n: int, expected: str) -> None:
    assert CAL.nth_working_day_after(D(start), n) == D(expected)


def test_find_workday_pitfall_is_avoided() -> None:
    # chinese_calendar.find_workday counts the start day when it is a rest day (spec §5.2).
    assert chinese_calendar.find_workday(20, D("2026-03-01")) == D("2026-03-30")
    assert CAL.nth_working_day_after(D("2026-03-01"), 20) == D("2026-03-27")


def test_zero_days_is_the_start_day_and_negative_is_refused() -> None:
    assert CAL.nth_working_day_after(D("2026-02-15"), 0) == D("2026-02-15")
    with pytest.raises(ValueError):
        CAL.nth_working_day_after(D("2026-03-02"), -1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2026-03-02", "2026-03-02", 0),
        ("2026-03-02", "2026-03-30", 20),
        ("2026-03-30", "2026-03-02", -20),
        ("2026-02-14", "2026-02-23", 0),  # (02-14, 02-23]: all 春节
        ("2026-02-13", "2026-02-14", 1),  # 02-14 is 调休上班
        ("2025-12-31", "2026-12-31", 248),
    ],
)
def test_working_days_between(a: str, b: str, expected: int) -> None:
    assert CAL.working_days_between(D(a), D(b)) == expected


# ---------------------------------------------------------------------------------------------
# Kinds of days
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind", "name", "label"),
    [
        ("2026-03-03", DayKind.WORKDAY, "", "工作日"),
        ("2026-03-07", DayKind.WEEKEND, "", "周末"),
        ("2026-02-16", DayKind.HOLIDAY, "春节", "春节"),
        ("2026-02-21", DayKind.HOLIDAY, "春节", "春节"),  # a Saturday inside the 春节 block
        ("2026-02-28", DayKind.SHIFTED_WORKDAY, "春节", "调休上班（春节）"),
        ("2026-01-04", DayKind.SHIFTED_WORKDAY, "元旦", "调休上班（元旦）"),
        ("2026-10-01", DayKind.HOLIDAY, "国庆节", "国庆节"),
        ("2026-09-20", DayKind.SHIFTED_WORKDAY, "国庆节", "调休上班（国庆节）"),
        ("2026-04-06", DayKind.HOLIDAY, "清明节", "清明节"),
        ("2025-10-06", DayKind.HOLIDAY, "中秋节", "中秋节"),
        ("2018-12-30", DayKind.HOLIDAY, "元旦", "元旦"),  # from the 2019 notice
        ("2004-01-17", DayKind.SHIFTED_WORKDAY, "春节", "调休上班（春节）"),
    ],
)
def test_day_kind(day: str, kind: DayKind, name: str, label: str) -> None:
    info = CAL.day_kind(D(day))
    assert (info.kind, info.name, info.label) == (kind, name, label)
    assert CAL.is_working_day(D(day)) is kind.is_working


def test_package_data_agrees_with_chinese_calendar_every_day() -> None:
    d = D("2004-01-01")
    while d <= D("2026-12-31"):
        assert CAL.is_working_day(d) is chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_package_years_are_read_once() -> None:
    assert package_years() is package_years()
    assert CAL.known_years == frozenset(range(2004, 2027))


# ---------------------------------------------------------------------------------------------
# Unknown years
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ask", "year"),
    [
        (lambda c: c.is_working_day(D("2027-01-04")), 2027),
        (lambda c: c.day_kind(D("2027-06-01")), 2027),
        (lambda c: c.nth_working_day_after(D("2026-12-20"), 20), 2027),
        (lambda c: c.nth_working_day_after(D("2026-12-31"), 1), 2027),
        (lambda c: c.working_days_between(D("2026-12-01"), D("2027-01-10")), 2027),
        (lambda c: c.is_working_day(D("2003-12-31")), 2003),
        (lambda c: c.nth_working_day_after(D("2003-06-01"), 5), 2003),
        (lambda c: c.year_data(2030), 2030),
    ],
)
def test_unknown_year_raises_naming_the_year(ask: object, year: int) -> None:
    with pytest.raises(CalendarYearMissing) as info:
        ask(CAL)  # type: ignore[operator]
    assert info.value.year == year
    assert str(year) in str(info.value)


def test_last_known_days_still_answer() -> None:
    assert CAL.nth_working_day_after(D("2026-12-01"), 22) == D("2026-12-31")
    assert CAL.nth_working_day_after(D("2003-12-31"), 1) == D("2004-01-02")  # 2004-01-01 is 元旦


def test_adding_a_year_makes_it_known() -> None:
    cal = WorkingCalendar()
    with pytest.raises(CalendarYearMissing):
        cal.nth_working_day_after(D("2026-12-21"), 20)
    cal.add_year(year_2027())
    assert 2027 in cal.known_years
    # Dec 22–25 (4), Dec 28–31 (8), 2027-01-01 元旦, Jan 4–8 (13), 11–15 (18), 18 (19), 19 (20)
    assert cal.nth_working_day_after(D("2026-12-21"), 20) == D("2027-01-19")
    assert cal.day_kind(D("2027-02-20")).kind is DayKind.SHIFTED_WORKDAY
    assert CAL.known_years == frozenset(range(2004, 2027))  # other calendars untouched


def test_a_gap_year_is_not_guessed() -> None:
    cal = WorkingCalendar([parse_calendar_file(calendar_text("2028-01-03, 放假, 元旦", 2028), "2028.toml")])
    assert cal.is_working_day(D("2028-01-04"))
    with pytest.raises(CalendarYearMissing) as info:
        cal.nth_working_day_after(D("2026-12-21"), 20)
    assert info.value.year == 2027
    with pytest.raises(CalendarYearMissing) as info:
        cal.working_days_between(D("2026-12-21"), D("2028-01-10"))
    assert info.value.year == 2027


def test_without_package_data_only_given_years_are_known() -> None:
    cal = WorkingCalendar([year_2027()], package_data=False)
    assert cal.known_years == frozenset({2027})
    with pytest.raises(CalendarYearMissing):
        cal.is_working_day(D("2026-06-01"))


def test_a_loaded_year_replaces_the_package_year() -> None:
    extra = calendar_text("2026-03-03, 放假, 测试假日", 2026)
    cal = WorkingCalendar([parse_calendar_file(extra, "2026.toml")])
    assert not cal.is_working_day(D("2026-03-03"))
    assert cal.is_working_day(D("2026-02-16"))  # the package's 春节 is gone with the package year
    assert cal.year_data(2026).origin == "2026.toml"


def test_december_spill_over_overrides_the_old_year() -> None:
    text = calendar_text("2026-12-31, 放假, 元旦\n" + TEST_2027_DAYS)
    cal = WorkingCalendar([parse_calendar_file(text, "2027.toml")])
    assert cal.day_kind(D("2026-12-31")).name == "元旦"
    assert not cal.is_working_day(D("2026-12-31"))


# ---------------------------------------------------------------------------------------------
# Data files
# ---------------------------------------------------------------------------------------------


def test_parse_a_valid_file() -> None:
    y = year_2027()
    assert y.year == 2027
    assert y.source == CalendarSource(
        "国务院办公厅关于2027年部分节假日安排的通知",
        "国办发明电〔2026〕1号",
        "https://www.gov.cn/test",
        D("2026-11-01"),
    )
    assert y.entries[0] == CalendarEntry(D("2027-01-01"), EntryKind.OFF, "元旦", 3)
    assert y.entries[-1].kind is EntryKind.WORK
    assert len(y.entries) == 7


def test_comments_blank_lines_and_full_width_commas() -> None:
    y = parse_calendar_file(calendar_text("# 注释\n\n2027-01-01，放假，元旦  # 行尾注释\n"), "f.toml")
    assert y.entries == (CalendarEntry(D("2027-01-01"), EntryKind.OFF, "元旦", 5),)


def test_weekend_holiday_is_allowed_and_named() -> None:
    y = parse_calendar_file(calendar_text("2027-02-06, 放假, 春节"), "f.toml")  # a Saturday
    cal = WorkingCalendar([y])
    assert cal.day_kind(D("2027-02-06")).label == "春节"


def test_december_of_previous_year_is_allowed() -> None:
    y = parse_calendar_file(calendar_text("2026-12-31, 放假, 元旦\n2027-01-01, 放假, 元旦"), "f.toml")
    assert [e.day for e in y.entries] == [D("2026-12-31"), D("2027-01-01")]


# (days text, expected message fragments). Line 3 is the first line inside `days`.
BAD_DAYS = [
    ("2027-02-30, 放假, 春节", ["f.toml 第3行", "无效日期", "2027-02-30"]),
    ("2027/01/01, 放假, 元旦", ["第3行", "无效日期"]),
    ("20270101, 放假, 元旦", ["第3行", "无效日期"]),
    ("2026-05-01, 放假, 劳动节", ["第3行", "不属于 2027 年"]),
    ("2028-01-01, 放假, 元旦", ["第3行", "不属于 2027 年"]),
    ("2027-01-01, 放假, 元旦\n2027-01-01, 放假, 元旦", ["第4行", "重复", "第3行"]),
    ("2027-01-01, 放假, 元旦\n2027-01-04, 上班, 元旦", ["第4行", "周一", "不能列为调休上班"]),
    ("2027-01-01, 休息, 元旦", ["第3行", "“放假”或“上班”"]),
    ("2027-01-01, 放假", ["第3行", "三项"]),
    ("2027-01-01, 放假, 元旦, 多余", ["第3行", "三项"]),
    ("2027-01-01, 放假, ", ["第3行", "缺少节日名称"]),
    ("# only a comment", ["没有任何日期"]),
]


@pytest.mark.parametrize(("days", "fragments"), BAD_DAYS)
def test_bad_days_name_file_and_line(days: str, fragments: list[str]) -> None:
    with pytest.raises(CalendarDataError) as info:
        parse_calendar_file(calendar_text(days), "f.toml")
    for fragment in fragments:
        assert fragment in str(info.value)


GOOD = calendar_text("2027-01-01, 放假, 元旦")

BAD_FILES = [
    (GOOD.replace("year = 2027", 'year = "2027"'), "year"),
    (GOOD.replace("year = 2027\n", ""), "year"),
    (GOOD.replace("published = 2026-11-01", 'published = "2026-11-01"'), "published"),
    (GOOD.replace('number = "国办发明电〔2026〕1号"\n', ""), "number"),
    (GOOD.replace('url = "https://www.gov.cn/test"', 'url = ""'), "url"),
    (GOOD.split("[source]")[0], "[source]"),
    (GOOD.replace("year = 2027", "year = 2027\ndays_extra = 1"), "未知的键"),
    (GOOD.replace("year = 2027", 'year = 2027\nformat = "other/9"'), "format"),
    (GOOD + "\n[[[", "TOML"),
    ("year = 2027\n" + GOOD[GOOD.index("[source]") :], "缺少 days"),
]


@pytest.mark.parametrize(("text", "fragment"), BAD_FILES)
def test_bad_files_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(CalendarDataError) as info:
        parse_calendar_file(text, "f.toml")
    assert "f.toml" in str(info.value)
    assert fragment in str(info.value)


def test_years_built_from_rows_are_validated_too() -> None:
    src = CalendarSource("通知")
    with pytest.raises(CalendarDataError) as info:
        CalendarYear(2027, src, (CalendarEntry(D("2027-03-03"), EntryKind.WORK, "x"),), origin="数据库")
    assert "数据库（2027-03-03）" in str(info.value)


def test_example_files_are_refused_unless_asked() -> None:
    path = DATA_DIR / "2027.example.toml"
    with pytest.raises(CalendarDataError) as info:
        load_calendar_file(path)
    assert "示例" in str(info.value)
    example = load_calendar_file(path, allow_example=True)
    assert example.example and example.year == 2027


def test_the_example_is_not_shipped_as_data() -> None:
    assert all(not y.example for y in shipped_years())
    assert 2027 not in default_calendar().known_years


def test_unreadable_file(tmp_path: object) -> None:
    with pytest.raises(CalendarDataError) as info:
        load_calendar_file("/nonexistent/2027.toml")
    assert "/nonexistent/2027.toml" in str(info.value)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

days_2004_2026 = st.dates(D("2004-01-01"), D("2026-10-31"))


def naive_nth(d: date, n: int) -> date:
    """Oracle: walk day by day with chinesecalendar's own is_workday."""
    while n:
        d += timedelta(days=1)
        n -= chinese_calendar.is_workday(d)
    return d


@settings(max_examples=300)
@given(days_2004_2026, st.integers(0, 40))
def test_nth_matches_a_day_by_day_walk(d: date, n: int) -> None:
    assert CAL.nth_working_day_after(d, n) == naive_nth(d, n)


@settings(max_examples=300)
@given(days_2004_2026, st.integers(0, 40))
def test_between_inverts_nth(d: date, n: int) -> None:
    assert CAL.working_days_between(d, CAL.nth_working_day_after(d, n)) == n


@settings(max_examples=200)
@given(days_2004_2026, days_2004_2026, st.integers(1, 30))
def test_nth_is_monotonic_in_the_start(a: date, b: date, n: int) -> None:
    a, b = min(a, b), max(a, b)
    assert CAL.nth_working_day_after(a, n) <= CAL.nth_working_day_after(b, n)


# ---------------------------------------------------------------------------------------------
# Assumed years (spec §5.4): a count into an unpublished year is provisional, never silent
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected", "assumed"),
    [
        ("2026-03-02", 20, "2026-03-30", ()),  # inside the known years: final
        ("2026-12-21", 20, "2027-01-19", (2027,)),  # 2027: 元旦 (Fri 01-01) and weekends off
        # two years past the last known one: 2027's 7 weekday holidays, 2028's 春节 (01-25..01-28)
        ("2026-12-30", 280, "2028-02-10", (2027, 2028)),
    ],
)
def test_with_assumed_years(start: str, n: int, expected: str, assumed: tuple[int, ...]) -> None:
    result = with_assumed_years(CAL, lambda c: c.nth_working_day_after(D(start), n))
    assert result == (D(expected), assumed)
    assert 2027 not in CAL.known_years  # the given calendar is left as it was


def test_assumed_years_hold_only_the_statutory_days_and_say_so() -> None:
    year = assumed_year(2027)
    assert year.source is ASSUMED_SOURCE and "暂定" in year.source.title and "调休未知" in year.source.title
    assert {e.day for e in year.entries} == {d for d, _ in statutory_holidays(2027)}
    assert year.origin == "2027年（暂定）"


@pytest.mark.parametrize(
    "compute",
    [
        pytest.param(lambda c: c.nth_working_day_after(D("2026-12-30"), 800), id="more than two years assumed"),
        pytest.param(lambda c: c.nth_working_day_after(D("2003-06-02"), 5), id="before the known years"),
    ],
)
def test_with_assumed_years_refuses(compute: Callable[[WorkingCalendar], date]) -> None:
    assert MAX_ASSUMED_YEARS == 2
    with pytest.raises(CalendarYearMissing):
        with_assumed_years(CAL, compute)


# ---------------------------------------------------------------------------------------------
# The provisional plan of an unpublished year: the 放假办法's certain holidays (spec §5.1, §5.4)
# ---------------------------------------------------------------------------------------------

PROVISIONAL_2027 = assumed_year(2027)
PLAN_2027 = WorkingCalendar(
    [*(CAL.year_data(y) for y in sorted(CAL.known_years)), PROVISIONAL_2027], package_data=False
)


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        ("2027-01-01", DayKind.HOLIDAY, "元旦（暂定）"),  # Friday
        ("2027-02-05", DayKind.HOLIDAY, "春节（暂定）"),  # 除夕, Friday
        ("2027-02-06", DayKind.HOLIDAY, "春节（暂定）"),  # 初一
        ("2027-02-08", DayKind.HOLIDAY, "春节（暂定）"),  # 初三, Monday
        ("2027-02-09", DayKind.WORKDAY, ""),  # 初四: no 补假 known
        ("2027-04-05", DayKind.HOLIDAY, "清明节（暂定）"),  # the solar term
        ("2027-05-01", DayKind.HOLIDAY, "劳动节（暂定）"),
        ("2027-05-02", DayKind.HOLIDAY, "劳动节（暂定）"),
        ("2027-06-09", DayKind.HOLIDAY, "端午节（暂定）"),
        ("2027-09-15", DayKind.HOLIDAY, "中秋节（暂定）"),
        ("2027-10-03", DayKind.HOLIDAY, "国庆节（暂定）"),
        ("2027-10-04", DayKind.WORKDAY, ""),  # Monday: a likely 补假, still unknown
        ("2027-02-20", DayKind.WEEKEND, ""),  # a Saturday that may become 调休上班: unknown, weekend
    ],
)
def test_provisional_2027_plan(day: str, kind: DayKind, name: str) -> None:
    info = PLAN_2027.day_kind(D(day))
    assert (info.kind, info.name) == (kind, name)


def test_provisional_year_is_marked_and_has_the_13_statutory_days() -> None:
    assert PROVISIONAL_2027.source.title.startswith("暂定")
    assert len(PROVISIONAL_2027.entries) == 13
    assert all(e.kind is EntryKind.OFF for e in PROVISIONAL_2027.entries)
    # a count that runs into 2027 is flagged as assumed (暂定) even though it skips the holidays
    due, assumed = with_assumed_years(CAL, lambda c: c.nth_working_day_after(D("2026-12-31"), 1))
    assert (due, assumed) == (D("2027-01-04"), (2027,))


@pytest.mark.parametrize(
    ("year", "chuxi", "qingming", "duanwu", "zhongqiu"),
    [
        (2025, "2025-01-28", "2025-04-04", "2025-05-31", "2025-10-06"),  # as in the 2025 notice
        (2026, "2026-02-16", "2026-04-05", "2026-06-19", "2026-09-25"),  # as in the 2026 notice
        (2027, "2027-02-05", "2027-04-05", "2027-06-09", "2027-09-15"),  # spec §5.4
    ],
)
def test_statutory_lunar_dates(year: int, chuxi: str, qingming: str, duanwu: str, zhongqiu: str) -> None:
    days = dict(statutory_holidays(year))
    assert next(d for d, n in statutory_holidays(year) if n == "春节") == D(chuxi)
    assert (days[D(qingming)], days[D(duanwu)], days[D(zhongqiu)]) == ("清明节", "端午节", "中秋节")


def test_mid_autumn_inside_national_day_is_one_date() -> None:
    # 2031: 中秋 is 10-01 (lunar-python); one entry carrying both names, no duplicate date
    names = dict(statutory_holidays(2031))
    assert names[D("2031-10-01")] == "中秋节、国庆节"
    assert len(names) == 12
