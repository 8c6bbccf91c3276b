"""The statutory holidays that are certain before a year's 放假安排 notice (legal spec §5.1, §5.4).

《全国年节及纪念日放假办法》 (2024-11-10 revision) 第二条: 元旦 1 day (1月1日); 春节 4 days (农历除夕、
正月初一至初三); 清明节 1 day (农历清明当日); 劳动节 2 days (5月1日、2日); 端午节 1 day (农历五月初五);
中秋节 1 day (农历八月十五); 国庆节 3 days (10月1日至3日). Lunar dates and the 清明 solar term come
from lunar-python (6tail's lunar, pure Python). Which weekdays become 补假 (第六条) or 调休 (第七条)
is only known from the 国务院办公厅 notice, so a calendar built from these dates stays 暂定.
"""

from __future__ import annotations

from datetime import date

from lunar_python import Lunar  # ships no stubs: typed as Any (ignore_missing_imports)

#: The 2024 revision applies from 2025 (legal spec §5.1).
FIRST_YEAR = 2025


def _solar(lunar: object) -> date:
    solar = lunar.getSolar()  # type: ignore[attr-defined]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def statutory_holidays(year: int) -> tuple[tuple[date, str], ...]:
    """The 13 days of 全体公民放假 in ``year``: 全国年节及纪念日放假办法 (2024) 第二条.

    Returns (date, holiday name) in date order. Only the days themselves: no 补假, no 调休.
    """
    if year < FIRST_YEAR:
        raise ValueError(f"{year}: 2024年修订的放假办法自2025年起适用")
    new_year_lunar = Lunar.fromYmd(year, 1, 1)
    chuxi = _solar(new_year_lunar.next(-1))
    qingming_solar = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    qingming = date(qingming_solar.getYear(), qingming_solar.getMonth(), qingming_solar.getDay())
    days: list[tuple[date, str]] = [(date(year, 1, 1), "元旦")]
    days += [(date.fromordinal(chuxi.toordinal() + i), "春节") for i in range(4)]
    days += [
        (qingming, "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        (_solar(Lunar.fromYmd(year, 5, 5)), "端午节"),
        (_solar(Lunar.fromYmd(year, 8, 15)), "中秋节"),
    ]
    days += [(date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    names: dict[date, str] = {}
    for day, name in days:  # 中秋 may fall in 国庆 (2020-10-01): one date, both names
        names[day] = f"{names[day]}、{name}" if day in names else name
    return tuple(sorted(names.items()))
