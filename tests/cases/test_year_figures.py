"""Random case histories over two years: tables 三 and 四 counted with one query each, consistent
by construction (the checks of ``gongkai.core.report.checks`` find nothing), and equal to a
count done case by case in Python."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.forms import ANSWER_OUTCOME_CHOICES
from gongkai.cases.models import Case, Review
from gongkai.cases.selectors import table3_counts, table4_counts, year_figures
from gongkai.core.deadlines import Channel, ConsultedParty
from gongkai.core.fees import FeeMethod
from gongkai.core.outcomes import Outcome
from gongkai.core.report.checks import check_report, has_errors
from gongkai.core.report.taxonomy import APPLICANT_COLUMNS, OUTCOME_ROWS, ApplicantType, ReviewKind, ReviewResult

pytestmark = pytest.mark.django_db

D = dt.date
START, HORIZON = D(2025, 1, 2), D(2026, 11, 20)
ANSWER_OUTCOMES = [Outcome(value) for value, _ in ANSWER_OUTCOME_CHOICES]


def _history(rng: random.Random, officer: User, leader: User, agency: Agency, n: int) -> None:
    """One random application: registration, then a path through the statute until an outcome or the horizon."""
    received = START + dt.timedelta(days=rng.randrange((HORIZON - START).days))
    applicant = rng.choice(list(ApplicantType))
    common = {
        "applicant": Applicant(applicant, f"申请人{n}", id_number=f"ID{n:06d}"),
        "request_description": f"随机申请{n}：第{rng.randrange(1000)}号文件",
    }
    if rng.random() < 0.05:  # never confirmed: never received, counted nowhere
        services.submit_online_application(
            agency=agency,
            client_ip="10.0.0.1",
            **common,
            submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10))),
        )
        return
    case = services.register_application(actor=officer, today=received, channel=Channel.IN_PERSON, **common)
    day = received

    def step(days: int) -> dt.date | None:
        nonlocal day
        nxt = day + dt.timedelta(days=days)
        if nxt > HORIZON:
            return None
        day = nxt
        return day

    def close(outcome: Outcome | None = None) -> None:
        nonlocal case
        if step(rng.randrange(1, 40)) is not None:
            case = services.close_case(
                actor=leader, case=case, outcome=outcome or rng.choice(ANSWER_OUTCOMES), today=day
            )

    path = rng.choice(["answer", "answer", "spot", "correction", "consult", "extend", "fee", "withdraw", "open"])
    if path == "spot":
        services.answer_on_the_spot(actor=leader, case=case, outcome=rng.choice(ANSWER_OUTCOMES), today=received)
        return
    if path == "open":
        return
    if path == "correction":
        case = services.request_correction(
            actor=officer, case=case, items="请补正", today=day, reply_by=day + dt.timedelta(days=15)
        )
        if rng.random() < 0.4:
            if step(16) is not None:
                services.lapse_correction(actor=officer, case=case, today=day)
            return
        if step(rng.randrange(1, 15)) is None:
            return
        case = services.receive_correction(actor=officer, case=case, today=day)
        close()
        return
    case = services.start_processing(actor=officer, case=case, today=day)
    if path == "withdraw":
        if step(rng.randrange(1, 20)) is not None:
            services.withdraw_application(actor=officer, case=case, today=day)
        return
    if path == "consult":
        if step(2) is None:
            return
        case = services.start_consultation(
            actor=officer, case=case, party=ConsultedParty.THIRD_PARTY, party_name="第三方", today=day
        )
        if step(rng.randrange(1, 20)) is None:
            return
        case = services.record_consultation_reply(actor=officer, case=case, today=day)
        close(rng.choice([Outcome.WITHHELD_THIRD_PARTY, Outcome.PARTIAL, Outcome.GRANTED]))
        return
    if path == "extend":
        if step(5) is None:
            return
        case = services.request_extension(actor=officer, case=case, days=rng.randrange(1, 21), reason="复杂", today=day)
        if step(1) is None:
            return
        case = services.approve_extension(actor=leader, case=case, today=day)
        close()
        return
    if path == "fee":
        if step(3) is None:
            return
        case = services.send_fee_notice(
            actor=officer, case=case, method=FeeMethod.BY_VOLUME, pages=rng.randrange(31, 300), today=day
        )
        if rng.random() < 0.5:
            if step(35) is not None:
                services.lapse_fee(actor=officer, case=case, today=day)
            return
        if step(rng.randrange(1, 20)) is None:
            return
        case = services.record_fee_payment(actor=officer, case=case, today=day)
        close()
        return
    close()


def _reviews(rng: random.Random, officer: User, count: int) -> None:
    for _ in range(count):
        filed = START + dt.timedelta(days=rng.randrange((HORIZON - START).days))
        review = services.record_review(
            actor=officer, kind=rng.choice(list(ReviewKind)), filed_on=filed, body="测试区人民政府", today=filed
        )
        concluded = filed + dt.timedelta(days=rng.randrange(20, 200))
        if concluded <= HORIZON and rng.random() < 0.8:
            services.conclude_review(
                actor=officer,
                review=review,
                concluded_on=concluded,
                today=concluded,
                result=rng.choice([ReviewResult.UPHELD, ReviewResult.CORRECTED, ReviewResult.OTHER]),
            )


def _expected_table3(agency: Agency, year: int) -> dict[str, list[int]]:
    """The same counts, case by case in Python (the definitions of spec §3.5 and §3.7 V8)."""
    first, last = D(year, 1, 1), D(year, 12, 31)
    counts: Counter[tuple[str, str]] = Counter()
    for case in Case.objects.filter(agency=agency, received_on__isnull=False):
        t = case.applicant_type
        assert case.received_on is not None
        if first <= case.received_on <= last:
            counts["new", t] += 1
        open_at_start = case.closed_on is None or case.closed_on >= first
        open_at_end = case.closed_on is None or case.closed_on > last
        if case.received_on < first and open_at_start:
            counts["carried_over", t] += 1
        if case.received_on <= last and open_at_end:
            counts["carried_forward", t] += 1
        if case.closed_on is not None and first <= case.closed_on <= last:
            counts[str(case.outcome), t] += 1
    table = {}
    for key in ["new", "carried_over", "carried_forward", *(r.key for r in OUTCOME_ROWS)]:
        row = [counts[key, a.value] for a in APPLICANT_COLUMNS]
        table[key] = [*row, sum(row)]
    table["total"] = [sum(table[r.key][i] for r in OUTCOME_ROWS) for i in range(7)]
    return table


@pytest.mark.parametrize("seed", [7, 2026])
def test_random_histories_balance(tree, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    agency = tree.street_a
    for n in range(90):
        _history(rng, tree.officer_a, tree.leader_a, agency, n)
    _reviews(rng, tree.officer_a, 12)
    services.register_application(
        actor=tree.officer_b,
        today=D(2026, 3, 2),
        channel=Channel.IN_PERSON,
        applicant=Applicant(ApplicantType.NATURAL_PERSON, "别的机关"),
        request_description="不计入甲街道",
    )

    reports = {}
    for year in (2025, 2026):
        with CaptureQueriesContext(connection) as three:
            table3 = table3_counts(agency, year)
        with CaptureQueriesContext(connection) as four:
            table4_counts(agency, year)
        assert (len(three), len(four)) == (1, 1)  # one aggregate query per table
        assert table3 == _expected_table3(agency, year)
        for column in range(7):  # V1: 一 + 二 = （七）总计 + 四
            assert table3["new"][column] + table3["carried_over"][column] == (
                table3["total"][column] + table3["carried_forward"][column]
            )
        reports[year] = year_figures(agency, year).to_report()

    assert sum(reports[2026].table3["new"]) > 0 and reports[2026].table3["carried_over"][6] > 0
    assert reports[2026].table3["carried_over"] == reports[2025].table3["carried_forward"]  # V6
    for year, previous in ((2025, None), (2026, reports[2025])):
        findings = check_report(reports[year], previous)
        assert not has_errors(findings), [f.message for f in findings if f.is_error]
    received = Case.objects.filter(agency=agency, received_on__isnull=False).count()
    assert reports[2025].table3["new"][6] + reports[2026].table3["new"][6] == received  # never-confirmed: nowhere


def test_table4_counts_reviews_pending_during_the_year(tree) -> None:  # type: ignore[no-untyped-def]
    officer = tree.officer_a

    def review(
        kind: ReviewKind, filed: dt.date, result: ReviewResult | None = None, concluded: dt.date | None = None
    ) -> Review:
        r = services.record_review(actor=officer, kind=kind, filed_on=filed, body="法院", today=filed)
        if result is not None and concluded is not None:
            r = services.conclude_review(
                actor=officer, review=r, result=result, concluded_on=concluded, today=concluded
            )
        return r

    review(ReviewKind.RECONSIDERATION, D(2025, 11, 1), ReviewResult.UPHELD, D(2026, 1, 20))  # 2025 pending, 2026 维持
    review(ReviewKind.RECONSIDERATION, D(2026, 3, 1), ReviewResult.CORRECTED, D(2026, 5, 1))
    review(ReviewKind.LITIGATION_DIRECT, D(2026, 6, 1))  # still pending
    review(ReviewKind.LITIGATION_AFTER_RECONSIDERATION, D(2024, 6, 1), ReviewResult.OTHER, D(2024, 12, 1))  # not 2026
    review(ReviewKind.LITIGATION_AFTER_RECONSIDERATION, D(2025, 2, 1))  # pending since 2025: counted again
    t2026 = table4_counts(tree.street_a, 2026)
    assert t2026["reconsideration"] == {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
    assert t2026["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert t2026["litigation_after_reconsideration"]["pending"] == 1
    assert t2026["litigation_after_reconsideration"]["total"] == 1
    t2025 = table4_counts(tree.street_a, 2025)
    assert t2025["reconsideration"]["pending"] == 1
