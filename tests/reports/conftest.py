"""Fixtures of the report tests: documents stored under a temporary media root, a signable draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType
from gongkai.reports import services
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.narrative import NARRATIVE_SECTIONS
from tests.reports.history import CaseSpec, add_cases

TODAY = dt.date(2024, 1, 10)


#: A finished narrative (no 【待填写】 marks), different each year so no copy warning fires.
def finished_narrative(year: int) -> dict[str, str]:
    return {key: f"{year}年度{key}部分的正文，据实撰写。" for key in NARRATIVE_SECTIONS}


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def history_a(tree: Any) -> list[Any]:
    """A small 2023 history of agency A: 5 received, 4 closed in the year, one carried forward."""
    return add_cases(
        tree.street_a,
        [
            CaseSpec(dt.date(2023, 2, 1), dt.date(2023, 2, 20), Outcome.GRANTED),
            CaseSpec(dt.date(2023, 3, 1), dt.date(2023, 3, 15), Outcome.PARTIAL, ApplicantType.COMMERCIAL_ENTERPRISE),
            CaseSpec(dt.date(2023, 5, 1), dt.date(2023, 5, 9), Outcome.UNAVAILABLE_NOT_HELD),
            CaseSpec(
                dt.date(2023, 8, 1), dt.date(2023, 8, 30), Outcome.OTHER_FEE_UNPAID, ApplicantType.LEGAL_SERVICE_ORG
            ),
            CaseSpec(dt.date(2023, 12, 20)),
        ],
    )


def start(tree: Any, year: int = 2023, narrative: dict[str, str] | None = None) -> AnnualReportRecord:
    record = services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=year, today=TODAY)
    return services.save_narrative(actor=tree.officer_a, record=record, sections=narrative or finished_narrative(year))


@pytest.fixture
def draft(tree: Any, history_a: Any) -> AnnualReportRecord:
    return start(tree)


@pytest.fixture
def signed(tree: Any, draft: AnnualReportRecord) -> AnnualReportRecord:
    return services.sign_off(actor=tree.leader_a, record=draft)
