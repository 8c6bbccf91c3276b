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


@pytest.mark.django_db
def test_a_township_s_own_due_date_is_used_and_shown(tree: Any, client: Any) -> None:
    """A 街道's date is whatever its supervising government sets; art 49 fixes the others."""
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    tree.street_b.report_due = "2-28"
    tree.street_b.full_clean()
    tree.street_b.save()
    tree.district.report_due = "6-30"  # ignored: 县级以上地方人民政府 report by 31 March (art 49)
    tree.district.save()
    rows = {r.agency.name: r for r in overview_for(tree.supervisor, 2023, today=D(2024, 2, 10))}
    b, a, district = rows["测试区乙街道办事处"], rows["测试区甲街道办事处"], rows["测试区人民政府"]
    assert (b.lateness.due, b.lateness.timeliness, b.due_basis) == (
        D(2024, 2, 28),
        ReportTimeliness.NOT_DUE,
        "上级政府规定",
    )
    assert (a.lateness.due, a.lateness.timeliness, a.due_basis) == (
        D(2024, 1, 31),
        ReportTimeliness.OVERDUE,
        "默认（未设置）",
    )
    assert (district.lateness.due, district.due_basis) == (D(2024, 3, 31), "条例第四十九条")
    client.force_login(tree.supervisor)
    page = client.get(reverse("reports:overview") + "?year=2023").content.decode()
    assert "2024年2月28日" in page and "上级政府规定" in page
    tree.street_b.report_due = "2-30"
    with pytest.raises(ValidationError, match="月-日"):
        tree.street_b.full_clean()
