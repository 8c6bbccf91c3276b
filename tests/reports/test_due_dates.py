"""条例 art 49 deadlines per agency: each administrative level reports as its kind of body."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.agencies.models import AgencyLevel
from gongkai.core.report.due_dates import ReportTimeliness, due_date
from gongkai.reports import services
from gongkai.reports.selectors import REPORTING_BODIES, overview_for

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
def test_due_date_of_each_level(level: AgencyLevel, due: dt.date) -> None:
    assert due_date(REPORTING_BODIES[level], 2023) == due


@pytest.mark.django_db
def test_overview_per_agency(tree: Any, signed: Any) -> None:
    services.publish(actor=tree.officer_a, record=signed, now=dt.datetime(2024, 2, 3, 9, tzinfo=dt.UTC))
    rows = {r.agency.name: r for r in overview_for(tree.supervisor, 2023, today=D(2024, 4, 2))}
    assert set(rows) == {"测试区人民政府", "测试区甲街道办事处", "测试区乙街道办事处"}
    a, b, district = rows["测试区甲街道办事处"], rows["测试区乙街道办事处"], rows["测试区人民政府"]
    assert (a.stage, a.lateness.timeliness, a.lateness.days_late) == ("published", ReportTimeliness.LATE, 3)
    assert (b.stage, b.lateness.timeliness) == ("none", ReportTimeliness.OVERDUE)
    assert district.lateness.due == D(2024, 3, 31) and district.lateness.timeliness is ReportTimeliness.OVERDUE
    # An officer sees only their own agency.
    assert [r.agency for r in overview_for(tree.officer_a, 2023, today=D(2024, 4, 2))] == [tree.street_a]
