"""One agency-year's report tables from a database of 1,000,000 cases across 1,000 agencies.

Targets: one agency's tables 三 and 四 under 1 s and within 2× of the tightest hand-written SQL
over the same rows (printed; its numbers must equal the ORM's, asserted); the whole report
(``compute_report``: tables 二, 三, 四) within 2× of its four queries by hand, each timed in turn
with what it is compared with (``--budget`` seconds of warm runs each); a roll-up of 100
agencies (one query per table) under 2 s. Every run VACUUM ANALYZEs first (the state of a real
database: PostgreSQL answers from the covering index only when the visibility map is set), prints
the ORM query's plan (PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)), and times each query cold (first
run on a new connection) and warm (min and median of repetitions).

The database is built once (bulk_create in batches) and kept: a SQLite file under var/bench/
or the PostgreSQL database ``gongkai_bench`` (``BENCH_DATABASE_URL`` names another); a second
run only measures. Cases are spread over
2019–2024, each agency gets the same share, most close within two months; 5 % of the cases have
a review (复议/诉讼).

Run:
    .venv/bin/python bench/report_compute.py                      # SQLite, 1,000,000 cases
    .venv/bin/python bench/report_compute.py --db postgres        # PostgreSQL gongkai_bench
    .venv/bin/python bench/report_compute.py --cases 200000       # a smaller database
    .venv/bin/python bench/report_compute.py --cases 20000 --agencies 50 --budget 0.2   # make bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dbcache import create_pg_database, migrated_sqlite, migrations_key  # noqa: E402

YEAR = 2023
BATCH = 10_000
TARGET_ONE = 1.0
TARGET_RATIO = 2.0
TARGET_ROLLUP = 2.0
PG_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench"


def configure(db: str, cases: int) -> str:
    if db == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        # Named by the migrations' hash: a new migration builds a new database (bench/dbcache.py).
        path = folder / f"report_compute_{cases}_{migrations_key()}.sqlite3"
        migrated = migrated_sqlite(path)  # a copy of the cached migrated database
        url = f"sqlite:///{path}"
    else:
        migrated = False
        url = os.environ.get("BENCH_DATABASE_URL", PG_URL)
        create_pg_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # as in production: no query log kept (both sides of every ratio)

    if not migrated:
        call_command("migrate", verbosity=0)
    return url


def build(cases: int, agencies: int, seed: int = 2023) -> None:
    """The synthetic database, unless it is already there with ``cases`` cases."""
    from django.db import transaction
    from django.utils import timezone

    from gongkai.agencies.models import Agency, AgencyLevel
    from gongkai.cases.models import Case, Review
    from gongkai.core.case_flow import Status
    from gongkai.core.deadlines import Channel
    from gongkai.core.outcomes import Outcome
    from gongkai.core.report.taxonomy import ApplicantType, ReviewKind, ReviewResult

    existing = Case.objects.filter(agency__code__startswith="BENCH-").count()
    if existing == cases:
        print(f"database already holds {cases:,} cases")
        return
    if existing:
        sys.exit(f"database holds {existing:,} bench cases, not {cases:,}: delete it (or use --cases {existing})")
    started = time.perf_counter()
    with transaction.atomic():
        root = Agency.objects.create(code="BENCH-ROOT", name="基准测试区人民政府", level=AgencyLevel.COUNTY, path="")
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        made = Agency.objects.bulk_create(
            [
                Agency(
                    code=f"BENCH-{n:04d}",
                    name=f"基准测试第{n}街道办事处",
                    level=AgencyLevel.TOWNSHIP,
                    parent=root,
                    path="",
                )
                for n in range(agencies)
            ]
        )
        if made[0].pk is None:  # backends that do not return ids from bulk_create
            made = list(Agency.objects.filter(parent=root).order_by("code"))
        for agency in made:
            agency.path = f"{root.path}{agency.pk}/"
        Agency.objects.bulk_update(made, ["path"], batch_size=BATCH)

    rng = random.Random(seed)
    outcomes = [o.value for o in Outcome]
    types = [t.value for t in ApplicantType]
    channels = [c.value for c in Channel]
    first = dt.date(2019, 1, 1)
    span = (dt.date(2024, 12, 31) - first).days
    # Agencies differ in size as real ones do: weight 1/(rank+1)^0.8, so agency 0 gets about 5 % of
    # all cases and the median agency about 0.05 %.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(made))]
    owners = rng.choices(range(len(made)), weights=weights, k=cases)
    from django.db import connection

    if connection.vendor == "postgresql":
        # The same shape in SQL (generate_series, random()): a million rows in a minute, not hours.
        _fill_postgres(made, owners, first, span, outcomes, types, channels)
        print(f"built {cases:,} cases across {agencies:,} agencies in {time.perf_counter() - started:.0f} s")
        _analyze()
        return
    sequences = [0] * len(made)
    now = timezone.now()
    batch: list[Any] = []
    reviews: list[Any] = []
    done = 0
    for owner in owners:
        agency = made[owner]
        sequences[owner] += 1
        n = sequences[owner]
        received = first + dt.timedelta(days=rng.randrange(span + 1))
        closed: dt.date | None = received + dt.timedelta(days=rng.randrange(60))
        if rng.random() < 0.05:
            closed = None
        batch.append(
            Case(
                agency_id=agency.pk,
                number=f"B{agency.pk}-{n}",
                year=received.year,
                sequence=n,
                applicant_type=rng.choices(types, weights=[60, 15, 5, 5, 10, 5])[0],
                applicant_name="申请人",
                request_description="基准测试",
                channel=rng.choice(channels),
                submitted_at=now,
                received_on=received,
                status=Status.CLOSED.value if closed else Status.IN_PROGRESS.value,
                outcome=rng.choice(outcomes) if closed else None,
                closed_on=closed,
                created_at=now,
                updated_at=now,
            )
        )
        if rng.random() < 0.05:
            filed = received + dt.timedelta(days=rng.randrange(30, 90))
            concluded = filed + dt.timedelta(days=rng.randrange(30, 240)) if rng.random() < 0.85 else None
            reviews.append(
                Review(
                    agency_id=agency.pk,
                    kind=rng.choice(list(ReviewKind)).value,
                    filed_on=filed,
                    body="复议机关",
                    result=rng.choice([ReviewResult.UPHELD, ReviewResult.CORRECTED, ReviewResult.OTHER]).value
                    if concluded
                    else ReviewResult.PENDING.value,
                    concluded_on=concluded,
                    created_at=now,
                )
            )
        if len(batch) >= BATCH:
            done += _flush(batch, reviews)
            batch, reviews = [], []
            print(f"\r  {done:,} cases", end="", flush=True)
    done += _flush(batch, reviews)
    print(f"\rbuilt {done:,} cases across {agencies:,} agencies in {time.perf_counter() - started:.0f} s")
    _analyze()


def _fill_postgres(
    made: list[Any],
    owners: list[int],
    first: dt.date,
    span: int,
    outcomes: list[str],
    types: list[str],
    channels: list[str],
) -> None:
    """Cases and reviews by SQL: the Python builder's distributions (agency sizes from the same
    draw; dates, outcomes, applicant types, 5 % open, 5 % reviewed) with PostgreSQL's random()."""
    from collections import Counter

    from django.db import connection, transaction

    from gongkai.core.case_flow import Status
    from gongkai.core.report.taxonomy import ReviewKind, ReviewResult

    sizes = Counter(owners)
    agencies = ", ".join(f"({made[i].pk}, {n})" for i, n in sorted(sizes.items()))

    def array(values: list[str]) -> str:
        return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"

    weights = [60, 15, 5, 5, 10, 5]
    bounds = [sum(weights[: i + 1]) / sum(weights) for i in range(len(weights))]
    applicant = "CASE " + " ".join(f"WHEN r4 < {b} THEN '{t}'" for b, t in zip(bounds, types, strict=True)) + " END"
    cases_sql = f"""
        INSERT INTO cases_case (agency_id, number, year, sequence, applicant_type, applicant_name, id_type, id_number,
            applicant_key, phone, email, address, postal_code, org_credit_code, legal_representative, contact_person,
            request_description, document_number, provision_form, delivery_method, pieces, channel, submitted_at,
            received_on, status, outcome, closed_on, closing_note, answered_on_the_spot, due_is_provisional, due_note,
            correction_items, delay_reason, tracking_code, version, created_at, updated_at)
        SELECT agency_id, 'B' || agency_id || '-' || seq, extract(year FROM received)::int, seq, {applicant}, '申请人',
            'resident_id', '', '', '', '', '', '', '', '', '', '基准测试', '', 'paper', 'post', 1,
            ({array(channels)})[1 + floor(r5 * {len(channels)})::int], now(), received,
            CASE WHEN r1 < 0.05 THEN '{Status.IN_PROGRESS.value}' ELSE '{Status.CLOSED.value}' END,
            CASE WHEN r1 < 0.05 THEN NULL ELSE ({array(outcomes)})[1 + floor(r3 * {len(outcomes)})::int] END,
            CASE WHEN r1 < 0.05 THEN NULL ELSE received + floor(r2 * 60)::int END,
            '', false, false, '', '', '', 'B' || agency_id || '-' || seq, 1, now(), now()
        FROM (
            SELECT a.agency_id, s.seq, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                   random() AS r5, DATE '{first.isoformat()}' + floor(random() * {span + 1})::int AS received
            FROM (VALUES {agencies}) AS a(agency_id, n), generate_series(1, a.n) AS s(seq)
        ) AS drawn
    """
    results = [ReviewResult.UPHELD.value, ReviewResult.CORRECTED.value, ReviewResult.OTHER.value]
    reviews_sql = f"""
        INSERT INTO cases_review (agency_id, kind, filed_on, body, case_number, applicant_name, subject, result,
            result_note, concluded_on, created_at, decision_extended, simplified)
        SELECT agency_id, ({array([k.value for k in ReviewKind])})[1 + floor(k * {len(ReviewKind)})::int], filed,
            '复议机关', '', '', '', CASE WHEN c < 0.85 THEN ({array(results)})[1 + floor(r * 3)::int]
            ELSE '{ReviewResult.PENDING.value}' END, '',
            CASE WHEN c < 0.85 THEN filed + 30 + floor(d * 210)::int END, now(), false, false
        FROM (
            SELECT agency_id, received_on + 30 + floor(random() * 60)::int AS filed, random() AS k, random() AS c,
                   random() AS r, random() AS d
            FROM cases_case WHERE random() < 0.05
        ) AS drawn
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2023)")
        cursor.execute(cases_sql)
        cursor.execute(reviews_sql)


def _flush(cases: list[Any], reviews: list[Any]) -> int:
    from django.db import transaction

    from gongkai.cases.models import Case, Review

    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2000)
        Review.objects.bulk_create(reviews, batch_size=2000)
    return len(cases)


def _analyze() -> None:
    """The state of any real database: VACUUM (PostgreSQL: visibility map, so index-only scans
    skip the table) and fresh statistics. Run before every measurement, not only after a build."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE cases_case")
            cursor.execute("VACUUM ANALYZE cases_review")
        else:
            cursor.execute("VACUUM")
            cursor.execute("ANALYZE")


#: Seconds of warm runs per timed function (``--budget``): 1 s for the full figures, 0.2 s in
#: ``make bench`` (a sub-millisecond query still runs some hundreds of times).
BUDGET = [1.0]


def _new_connection() -> None:
    from django.db import connection

    connection.close()
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DISCARD ALL")


def timed_together(funcs: list[Callable[[], Any]], *, min_runs: int = 5) -> list[tuple[float, float, float, Any]]:
    """:func:`timed` of several functions whose times are compared: each cold on a new
    connection, then warm runs in turn (one of each, again and again) for ``budget`` seconds
    each, so a change of load on a shared machine hits them alike."""
    colds, results = [], []
    for func in funcs:
        _new_connection()
        started = time.perf_counter()
        results.append(func())
        colds.append(time.perf_counter() - started)
    times: list[list[float]] = [[] for _ in funcs]
    deadline = time.perf_counter() + BUDGET[0] * len(funcs)
    while len(times[0]) < min_runs or (time.perf_counter() < deadline and len(times[0]) < 1000):
        for func, spent in zip(funcs, times, strict=True):
            started = time.perf_counter()
            func()
            spent.append(time.perf_counter() - started)
    return [
        (cold, min(spent), statistics.median(spent), result)
        for cold, spent, result in zip(colds, times, results, strict=True)
    ]


def timed(
    func: Callable[[], Any], *, budget: float | None = None, min_runs: int = 5
) -> tuple[float, float, float, Any]:
    """(cold run, min and median of the warm runs, result) in seconds.

    The cold run is the first on a new database connection (PostgreSQL: ``DISCARD ALL`` too):
    empty catalogue and plan caches. The OS page cache and PostgreSQL's shared buffers are NOT
    emptied (that needs root and would slow every other user of the machine): "cold" here is a
    new connection, not a cold disk. Warm runs repeat for about ``budget`` seconds (at least
    ``min_runs`` times): a sub-millisecond query needs hundreds of runs for a stable median.
    """
    _new_connection()
    started = time.perf_counter()
    result = func()
    cold = time.perf_counter() - started
    times: list[float] = []
    deadline = time.perf_counter() + (BUDGET[0] if budget is None else budget)
    while len(times) < min_runs or (time.perf_counter() < deadline and len(times) < 1000):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return cold, min(times), statistics.median(times), result


#: The tightest hand-written SQL for table 三 of one agency: one pass over the covering index,
#: grouped by (applicant type, outcome), two filtered counts and a plain one (上年结转 = all −
#: 新收, 结转下年度 = all − 办结: the conditions split the rows in two).
TIGHT_SQL = """
SELECT applicant_type, outcome, COUNT(*),
       COUNT(*) FILTER (WHERE received_on >= %(first)s),
       COUNT(*) FILTER (WHERE closed_on <= %(last)s)
FROM cases_case
WHERE agency_id = %(agency)s AND received_on <= %(last)s AND (closed_on IS NULL OR closed_on >= %(first)s)
GROUP BY applicant_type, outcome
""".strip()


def hand_written_table3(agency_id: int, year: int) -> dict[str, list[int | None]]:
    """Table 三 of one agency by :data:`TIGHT_SQL` (the floor), in the ORM's table shape."""
    from django.db import connection

    from gongkai.cases.figures import table3_from_rows

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(TIGHT_SQL, {"first": first, "last": last, "agency": agency_id})
        rows = cursor.fetchall()
    return table3_from_rows(
        {
            "applicant_type": kind,
            "outcome": outcome,
            "n_new": new,
            "n_carried_over": everything - new,
            "n_closed": closed,
            "n_carried_forward": everything - closed,
        }
        for kind, outcome, everything, new, closed in rows
    )


#: The rest of the report by hand (the floor of the whole report, :func:`hand_written_report`):
#: table 四 as table 三, and table 二's register counts and 第二十条 figures.
TIGHT_REST_SQL = (
    """
SELECT kind, result,
       COUNT(*) FILTER (WHERE concluded_on <= %(last)s),
       COUNT(*) FILTER (WHERE concluded_on IS NULL OR concluded_on > %(last)s)
FROM cases_review
WHERE agency_id = %(agency)s AND filed_on <= %(last)s AND (concluded_on IS NULL OR concluded_on >= %(first)s)
GROUP BY kind, result
""".strip(),
    """
SELECT kind,
       COUNT(*) FILTER (WHERE issued_on >= %(first)s AND issued_on <= %(last)s),
       COUNT(*) FILTER (WHERE abolished_on >= %(first)s AND abolished_on <= %(last)s),
       COUNT(*) FILTER (WHERE issued_on <= %(last)s AND (abolished_on IS NULL OR abolished_on > %(last)s))
FROM publications_registerdocument WHERE agency_id = %(agency)s GROUP BY kind
""".strip(),
    """
SELECT licensing, punishment, coercion, fees_10k_yuan
FROM publications_article20figures WHERE agency_id = %(agency)s AND year = %(year)s
""".strip(),
)


def hand_written_report(agency_id: int, year: int) -> tuple[Any, Any]:
    """The whole report's four queries by hand (table 三 by :data:`TIGHT_SQL`, the rest by
    :data:`TIGHT_REST_SQL`), rows fetched; tables 三 and 四 folded as the report folds them."""
    from django.db import connection

    from gongkai.cases.figures import table4_from_rows

    table3 = hand_written_table3(agency_id, year)
    args = {"first": dt.date(year, 1, 1), "last": dt.date(year, 12, 31), "agency": agency_id, "year": year}
    with connection.cursor() as cursor:
        cursor.execute(TIGHT_REST_SQL[0], args)
        table4 = table4_from_rows(
            {"kind": k, "result": r, "n_concluded": c, "n_pending": p} for k, r, c, p in cursor.fetchall()
        )
        for sql in TIGHT_REST_SQL[1:]:
            cursor.execute(sql, args)
            cursor.fetchall()
    return table3, table4


def orm_sql(agency_id: int) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters the ORM sends for one agency's table 三."""
    from gongkai.cases.models import Case
    from gongkai.reports.compute import table3_rows

    sql, params = table3_rows(YEAR, Case.objects.filter(agency_id=agency_id)).query.sql_with_params()
    return sql, tuple(params)


def run_sql(sql: str, params: Any) -> list[Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def explain(agency_id: int) -> list[str]:
    """The ORM query's plan; on PostgreSQL run for real (ANALYZE, BUFFERS): heap fetches show."""
    from django.db import connection

    sql, params = orm_sql(agency_id)
    if connection.vendor == "sqlite":
        return [str(row[-1]).strip() for row in run_sql("EXPLAIN QUERY PLAN " + sql, params)]
    return [str(row[0]) for row in run_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)]


def measure_agency(agency: Any, label: str) -> bool:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from gongkai.cases.models import Case
    from gongkai.reports.compute import compute_report, compute_table3, compute_table4

    in_play = (
        Case.objects.filter(agency=agency, received_on__lte=dt.date(YEAR, 12, 31))
        .exclude(closed_on__lt=dt.date(YEAR, 1, 1))
        .count()
    )
    total = Case.objects.filter(agency=agency).count()
    print(f"\n  {label}: {agency.code}, {total:,} cases in all, {in_play:,} in play in {YEAR}")
    print("    plan of the ORM's query:")
    for line in explain(agency.pk):
        print(f"      {line}")
    sql, params = orm_sql(agency.pk)
    (cold3, min3, t3, table3), (cold_sql, min_sql, t_sql, by_hand), (_, min_db, t_db, _) = timed_together(
        [
            lambda: compute_table3(agency, YEAR),
            lambda: hand_written_table3(agency.pk, YEAR),
            lambda: run_sql(sql, params),
        ]
    )
    cold4, _, t4, _ = timed(lambda: compute_table4(agency, YEAR))
    (cold_all, min_all, t_all, report), (cold_hand, min_hand, t_hand, (hand3, hand4)) = timed_together(
        [lambda: compute_report(agency, YEAR), lambda: hand_written_report(agency.pk, YEAR)]
    )
    assert (report.table3, report.table4) == (hand3, hand4), f"{agency.code}: the report and the SQL disagree"
    reset_queries()  # the log holds at most 9,000 queries: a full one would capture none
    with CaptureQueriesContext(connection) as queries:
        compute_report(agency, YEAR)
    assert table3 == by_hand, f"table 三 of {agency.code}: the ORM and the hand-written SQL disagree"
    ratio, cold_ratio = t3 / t_sql, cold3 / cold_sql
    print(
        f"    table 三, ORM (1 query)     warm min {min3 * 1000:7.2f} ms, median {t3 * 1000:7.2f} ms;"
        f" cold {cold3 * 1000:7.2f} ms"
    )
    print(
        f"    table 三, tightest SQL      warm min {min_sql * 1000:7.2f} ms, median {t_sql * 1000:7.2f} ms;"
        f" cold {cold_sql * 1000:7.2f} ms"
    )
    print(
        f"    table 三, the ORM's SQL alone warm min {min_db * 1000:7.2f} ms, median {t_db * 1000:7.2f} ms"
        f" (database time; ORM's SQL / tightest: {t_db / t_sql:.2f}×)"
    )
    print(
        f"    ORM / tightest SQL: warm {ratio:.2f}× (by min {min3 / min_sql:.2f}×), cold {cold_ratio:.2f}×; numbers equal: yes (asserted)"
    )
    print(f"    table 四, ORM (1 query)     warm median {t4 * 1000:7.2f} ms; cold {cold4 * 1000:7.2f} ms")
    print(
        f"    whole report (二, 三, 四)   warm median {t_all * 1000:7.2f} ms; cold {cold_all * 1000:7.2f} ms;"
        f" {len(queries.captured_queries)} queries"
    )
    print(
        f"    whole report by hand (4 queries) warm min {min_hand * 1000:7.2f} ms, median {t_hand * 1000:7.2f} ms;"
        f" cold {cold_hand * 1000:7.2f} ms; compute_report / by hand: warm {t_all / t_hand:.2f}×"
        f" (by min {min_all / min_hand:.2f}×); tables 三 and 四 equal (asserted)"
    )
    one_ok = max(t_all, cold_all) < TARGET_ONE
    whole = t_all / t_hand
    print(
        f"    {label}: whole report under {TARGET_ONE:.0f} s {'✓' if one_ok else '✗'};"
        f" table 三 {ratio:.2f}× the tightest SQL (target ≤ {TARGET_RATIO:.0f}×) {'✓' if ratio <= TARGET_RATIO else '✗'};"
        f" whole report {whole:.2f}× by hand (target ≤ {TARGET_RATIO:.0f}×) {'✓' if whole <= TARGET_RATIO else '✗'}"
    )
    return one_ok and ratio <= TARGET_RATIO and whole <= TARGET_RATIO


def measure() -> bool:
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.reports.compute import table3_by_agency, table4_by_agency

    bench = list(Agency.objects.filter(code__startswith="BENCH-0").order_by("code"))
    print(f"\n{connection.vendor}, year {YEAR}; VACUUM ANALYZE first")
    _analyze()
    print(
        f"  the tightest hand-written SQL (table 三 of one agency):\n      {TIGHT_SQL.replace(chr(10), chr(10) + '      ')}"
    )
    rest = "\n".join(TIGHT_REST_SQL).replace(chr(10), chr(10) + "      ")
    print(f"  the rest of the whole report by hand (table 四, table 二's two queries):\n      {rest}")
    ok = measure_agency(bench[len(bench) // 2], "median agency")
    ok = measure_agency(bench[0], "largest agency") and ok

    hundred = [a.pk for a in bench[:100]]
    cold_r, _, t_r, rolled = timed(
        lambda: (table3_by_agency(hundred, YEAR), table4_by_agency(hundred, YEAR)), min_runs=3
    )
    received = sum(t["new"][6] or 0 for t in rolled[0].values())
    print(
        f"\n  roll-up of the 100 largest agencies (2 queries)  {t_r * 1000:8.2f} ms  (first run {cold_r * 1000:.2f} ms),"
        f" {received:,} applications received in {YEAR}"
    )
    rollup_ok = max(t_r, cold_r) < TARGET_ROLLUP
    print(f"    roll-up under {TARGET_ROLLUP:.0f} s {'✓' if rollup_ok else '✗'}")
    return ok and rollup_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=1_000)
    parser.add_argument(
        "--budget", type=float, default=1.0, help="seconds of warm runs per timed function, at least 5 runs (default 1)"
    )
    args = parser.parse_args()
    BUDGET[0] = args.budget
    url = configure(args.db, args.cases)
    print(f"database: {url}")
    build(args.cases, args.agencies)
    ok = measure()
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
