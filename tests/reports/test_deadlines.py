"""Lateness against 条例 art 49: 31 January (部门, 乡镇街道), 31 March (县级以上地方人民政府)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.agencies.models import AgencyLevel
from gongkai.reports import services
from gongkai.reports.deadlines import Timeliness, due_date, lateness
from gongkai.reports.selectors import overview_for

D = dt.date


@pytest.mark.parametrize(
    ("level", "due"),
    [
        (AgencyLevel.DEPARTMENT, D(2024, 1, 31)),
        (AgencyLevel.TOWNSHIP, D(2024, 1, 31)),
        (AgencyLevel.COUNTY, D(2024, 3, 31)),
        (AgencyLevel.CITY, D(2024, 3, 31)),
        (AgencyLevel.PROVINCE, D(2024, 3, 31)),
    ],
)
def test_due_date(level: str, due: dt.date) -> None:
    assert due_date(level, 2023) == due


@pytest.mark.parametrize(
    ("published", "today", "timeliness", "days"),
    [
        (D(2024, 1, 6), D(2024, 5, 1), Timeliness.ON_TIME, 0),
        (D(2024, 1, 31), D(2024, 5, 1), Timeliness.ON_TIME, 0),
        (D(2024, 2, 1), D(2024, 5, 1), Timeliness.LATE, 1),
        (None, D(2024, 1, 31), Timeliness.NOT_DUE, 0),
        (None, D(2024, 2, 10), Timeliness.OVERDUE, 10),
    ],
)
def test_lateness_of_a_department(published: dt.date | None, today: dt.date, timeliness: Timeliness, days: int) -> None:
    result = lateness(AgencyLevel.DEPARTMENT, 2023, published_on=published, today=today)
    assert (result.timeliness, result.days_late) == (timeliness, days)


def test_county_government_is_not_late_in_february() -> None:
    assert lateness(AgencyLevel.COUNTY, 2023, published_on=None, today=D(2024, 2, 10)).timeliness is Timeliness.NOT_DUE


@pytest.mark.django_db
def test_overview_per_agency(tree: Any, signed: Any) -> None:
    services.publish(actor=tree.officer_a, record=signed, now=dt.datetime(2024, 2, 3, 9, tzinfo=dt.UTC))
    rows = {r.agency.name: r for r in overview_for(tree.supervisor, 2023, today=D(2024, 4, 2))}
    assert set(rows) == {"测试区人民政府", "测试区甲街道办事处", "测试区乙街道办事处"}
    a, b, district = rows["测试区甲街道办事处"], rows["测试区乙街道办事处"], rows["测试区人民政府"]
    assert (a.stage, a.lateness.timeliness, a.lateness.days_late) == ("published", Timeliness.LATE, 3)
    assert (b.stage, b.lateness.timeliness) == ("none", Timeliness.OVERDUE)
    assert district.lateness.due == D(2024, 3, 31) and district.lateness.timeliness is Timeliness.OVERDUE
    # An officer sees only their own agency.
    assert [r.agency for r in overview_for(tree.officer_a, 2023, today=D(2024, 4, 2))] == [tree.street_a]
