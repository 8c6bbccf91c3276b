"""The demo tells the sample's story: 果园街道's 2023 report, computed from records, equals the sample."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.agencies.models import Agency
from gongkai.backoffice.demo import DEMO_AGENCY_NAME, load_all
from gongkai.cases.models import Case, FeeNotice
from gongkai.cli import main
from gongkai.core.report.checks import check_report, has_errors
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.readers import read_report
from gongkai.reports.compute import compute_report
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.narrative import fee_sentence
from gongkai.reports.selectors import report_facts

pytestmark = pytest.mark.django_db

SAMPLE = Path("/work/shared/samples/miyun-guoyuan-2023.txt")
TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def demo() -> Agency:
    load_all(today=TODAY, log=lambda _: None)
    return Agency.objects.get(name=DEMO_AGENCY_NAME)


def _cells(report: Any) -> dict[str, Any]:
    data = report.to_dict(include_extras=False)
    return {"table2": data["table2"], "table3": data["table3"], "table4": data["table4"]}


def test_computed_2023_report_reproduces_the_sample_cell_by_cell(demo: Agency, capsysbinary: Any) -> None:
    sample = read_report(SAMPLE)
    computed = compute_report(demo, 2023)
    expected = _cells(sample)
    mismatches = [
        (table, row, value, expected[table][row])
        for table, rows in _cells(computed).items()
        for row, value in rows.items()
        if expected[table][row] != value
    ]
    assert mismatches == []
    assert computed.same_numbers(sample)
    assert not has_errors(check_report(computed))
    # The command line prints the same numbers.
    assert main(["report", "--agency", DEMO_AGENCY_NAME, "--year", "2023"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert {k: data[k] for k in ("table2", "table3", "table4")} == expected


def test_the_story_is_in_the_records_and_the_demo_is_idempotent(demo: Agency) -> None:
    cases = Case.objects.filter(agency=demo, received_on__year=2023)
    assert cases.count() == 29 and not cases.filter(closed_on__isnull=True).exists()
    assert cases.filter(channel="internet").count() == 11
    fees = FeeNotice.objects.filter(case__in=cases)  # 2023 only: the live demo has a 收费通知 of its own
    assert sorted(fees.values_list("amount", flat=True)) == [3580, 34700]
    assert not fees.filter(paid_on__isnull=False).exists()
    facts = report_facts(demo, 2023)
    assert (facts.published_items, facts.staff, facts.new, facts.closed) == (325, 1, 29, 29)

    load_all(today=TODAY, log=lambda _: None)
    assert Case.objects.filter(agency=demo, received_on__year=2023).count() == 29
    assert report_facts(demo, 2023) == facts
    record = AnnualReportRecord.objects.get(agency=demo, year=2023)
    # Signed off and published on the date the sample bears, from the computed, checked tables.
    assert record.status == ReportStatus.PUBLISHED
    assert record.signed_by is not None and record.signed_by.username == "gy_leader"
    assert record.published_at is not None and record.published_at.date().isoformat() == "2024-01-06"
    assert AnnualReport.from_dict(record.snapshot).same_numbers(compute_report(demo, 2023))
    assert "本年度主动公开信息325条" in record.narrative["overview"]
    # The narrative's fee sentence is the one the records give (the sample's section 六).
    assert record.narrative["other"] == fee_sentence(facts)
    assert fee_sentence(facts).endswith("发出收费通知2件，总金额38280元，实际收取的总金额0元。")
    assert record.snapshot_report().same_numbers(compute_report(demo, 2023))


def test_the_demo_has_the_work_records_the_2023_report_tells_of(demo: Agency) -> None:
    from gongkai.reports.work_models import (
        AccountabilityCase,
        ContactCheck,
        SelfInspection,
        StaffMember,
        TrainingSession,
    )

    assert TrainingSession.objects.filter(agency=demo, on__year=2023).count() == 2  # 定期召开培训会
    assert SelfInspection.objects.filter(agency=demo, on__year=2023).count() == 2  # 不定期开展自查
    assert not AccountabilityCase.objects.filter(agency=demo).exists()  # 本年度无相关责任追究
    assert {c.kind for c in ContactCheck.objects.filter(agency=demo, on__year=2023)} == {"phone", "guide"}
    assert not StaffMember.objects.filter(agency=demo, full_time=True).exists()  # 办公室人员兼职
    this_year = ContactCheck.objects.filter(agency=demo, on__year=TODAY.year)
    assert this_year.count() == 2 and not TrainingSession.objects.filter(on__gt=TODAY).exists()  # none ahead
    load_all(today=TODAY, log=lambda _: None)
    assert TrainingSession.objects.filter(agency=demo).count() == 2  # idempotent; 2026's April one is ahead
