"""A province on one database (issue 16 item 7): 3,000 agencies, up to 10,000,000 cases and
1,000,000 published items on PostgreSQL, and what users wait for at each size.

Figures, after VACUUM ANALYZE, cold (first run on a new connection, ``DISCARD ALL``; the OS page
cache is not emptied) and warm (min / median of repetitions), with peak memory:

(a) one agency-year's tables 二/三/四 of the largest agency, through the report page's code path
    (``gongkai.reports.compute.compute_report``) — target < 1 s and ≤ 2× the hand-written SQL
    aggregate (``report_compute.TIGHT_SQL``, printed; the numbers are asserted equal);
(b) the roll-up of all 3,000 agencies for one year (``table3_by_agency`` + ``table4_by_agency``,
    what a supervisor's batch reads) — target < 2 s. They read the summary rows of tables 三/四
    (``gongkai.cases.tally``, kept by triggers; rebuilt in bulk after each build step and checked
    equal to the records, timed); the floor, one hand-written GROUP BY agency over the cases; the
    same roll-up counted from the cases (the path before the summary rows) runs once, its tables
    asserted equal;
(c) the desk (/office/cases/, the real view through Django's test client, logged in as the
    largest agency's 负责人/officer) — target < 100 ms; its floor, the desk's own SQL over cases
    (captured from the view, replayed alone);
(d) portal search over 1,000,000 published items (/portal/search/?q=…, the real view; the cache
    is cleared before every request so each one computes) — target < 50 ms median; floor, the
    bigram index query alone.

The database is built in bulk by SQL (``INSERT … SELECT … generate_series``), never row by row,
and RESUMABLY: each step adds the cases from what exists up to the next size, in chunks of one
transaction each; re-running continues where it stopped. Sizes: ``--steps`` (default 1M, 2M, 5M,
10M up to ``--cases``); the figures are printed after each step, then a table of how they grow.

The tree: 1 province (省政府) with 23 departments, 16 cities with 25 departments each, 10 counties
per city with 8 streets (乡镇街道) and 7 departments each: 3,000 agencies. Cases go to agencies
with Zipf-like weights (1/(rank+1)^0.8, the largest about 5 %), received evenly from 2019-01-01
to the bench's today (2025-06-30); those received in the last 30 days are open (in progress, due
20 working days on), 0.3 % of the older ones are still open (overdue); the rest closed within 40
days with table 三's outcomes in a realistic mix (60 % 予以公开, …); applicant kinds 80 % natural
persons; 3 % of the cases have a 复议/诉讼 (table 四). Items: 300 agencies (cities, counties,
province) publish 1,000,000 items over 2014–2025 with the texts of bench/portal.py.

Build times seen on the shared 2-core machine (load average 12–20): 500,000 cases per 180–240 s.
Items: the bigram GIN index is dropped for the bulk insert (100,000 items per 15–30 s at load
11–13) and built once at the end (``ensure_search_index``; it computes ``gongkai_bigrams`` of
every text, ~0.7 ms each since migration publications 0005, ~30 min for 1,000,000 items at load
12); a build stopped half-way resumes without the index and builds it when the items are there.

Run (PostgreSQL only; the database ``gk_province_bench`` or ``BENCH_DATABASE_URL``):
    .venv/bin/python bench/province.py --cases 1000000 --items 100000     # first sizes
    nohup .venv/bin/python bench/province.py --cases 10000000 > var/province.log 2>&1 &
    .venv/bin/python bench/province.py --cases 10000000 --measure-only  # figures of what exists
    .venv/bin/python bench/province.py --cases 10000000 --measure-only --parts c,d  # the desk and search only
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PG_URL = "postgres://postgres@127.0.0.1:5432/gk_province_bench"
TODAY = dt.date(2025, 6, 30)
FIRST_DAY = dt.date(2019, 1, 1)
YEAR = 2024
CHUNK = 500_000
CODE = "PROV"
TARGETS = {"a": 1.0, "b": 2.0, "c": 0.100, "d": 0.050}
RATIO = 2.0
PUBLISHERS = 300
POOL = 20_000

#: table 三's outcomes as a real year's mix (per mille): most granted, then not held, partial …
OUTCOME_MIX = {
    "granted": 470,
    "partial": 60,
    "withheld_state_secret": 2,
    "withheld_prohibited_by_law": 3,
    "withheld_security_stability": 2,
    "withheld_third_party": 8,
    "withheld_internal_affairs": 15,
    "withheld_process_information": 25,
    "withheld_enforcement_file": 10,
    "withheld_administrative_query": 20,
    "unavailable_not_held": 150,
    "unavailable_needs_creation": 20,
    "unavailable_still_unclear": 30,
    "rejected_petition_complaint": 25,
    "rejected_repeated": 20,
    "rejected_publication": 10,
    "rejected_excessive": 5,
    "rejected_confirm_existing": 5,
    "other_no_correction": 20,
    "other_fee_unpaid": 2,
    "other_other": 28,
}
APPLICANT_MIX = {
    "natural_person": 80,
    "commercial_enterprise": 12,
    "research_institution": 1,
    "public_welfare_org": 1,
    "legal_service_org": 4,
    "other_org": 2,
}


def configure(url: str) -> None:
    from dbcache import create_pg_database

    create_pg_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DEBUG = False


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


def constants(model: Any, **overrides: Any) -> dict[str, Any]:
    """Every concrete column of ``model`` with the value a new instance stores (its defaults),
    prepared for the database: the bulk INSERTs list them, so a new column with a default never
    breaks the bench."""
    from django.db import connection

    instance = model(**overrides)
    out = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = getattr(instance, field.attname)
        out[field.column] = field.get_db_prep_save(value, connection)
    return out


def insert_select(table: str, fixed: dict[str, Any], varying: dict[str, str], source: str, params: list[Any]) -> int:
    """``INSERT INTO table (…) SELECT <varying SQL, fixed values> FROM source``; the row count."""
    from django.db import connection

    columns = [c for c in fixed if c not in varying] + list(varying)
    values = ["%s"] * (len(columns) - len(varying)) + list(varying.values())
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [fixed[c] for c in columns if c not in varying] + params)
        return int(cursor.rowcount)


def build_agencies() -> list[int]:
    """The 3,000 agencies (ids ordered by creation), created once by bulk_create level by level."""
    from django.db import transaction

    from gongkai.agencies.models import Agency, AgencyLevel

    have = list(Agency.objects.filter(code__startswith=f"{CODE}-").order_by("pk").values_list("pk", flat=True))
    if have:
        return have
    started = time.perf_counter()
    counter = iter(range(10**6))

    def level(parents: list[Any], per_parent: list[tuple[int, str, str]]) -> list[Any]:
        made = []
        for parent in parents:
            for count, lvl, label in per_parent:
                for i in range(count):
                    n = next(counter)
                    made.append(
                        Agency(
                            code=f"{CODE}-{n:05d}",
                            name=f"{parent.name if parent else ''}{label}{i + 1}",
                            level=lvl,
                            parent=parent,
                            path="",
                        )
                    )
        made = Agency.objects.bulk_create(made)
        for agency in made:
            agency.path = f"{agency.parent.path if agency.parent else '/'}{agency.pk}/"
        Agency.objects.bulk_update(made, ["path"], batch_size=2000)
        return made

    with transaction.atomic():
        province = level([None], [(1, AgencyLevel.PROVINCE, "基准省人民政府")])
        level(province, [(23, AgencyLevel.DEPARTMENT, "厅")])
        cities = level(province, [(16, AgencyLevel.CITY, "市")])
        level(cities, [(25, AgencyLevel.DEPARTMENT, "局")])
        counties = level(cities, [(10, AgencyLevel.COUNTY, "县")])
        level(counties, [(8, AgencyLevel.TOWNSHIP, "街道"), (7, AgencyLevel.DEPARTMENT, "科局")])
    ids = list(Agency.objects.filter(code__startswith=f"{CODE}-").order_by("pk").values_list("pk", flat=True))
    print(f"built {len(ids):,} agencies in {time.perf_counter() - started:.1f} s", flush=True)
    return ids


def _weights(agency_ids: list[int]) -> list[float]:
    """Zipf-like sizes over a fixed shuffle of the agencies (the largest gets about 5 %)."""
    order = list(range(len(agency_ids)))
    random.Random(16).shuffle(order)
    raw = [0.0] * len(agency_ids)
    for rank, i in enumerate(order):
        raw[i] = 1 / (rank + 1) ** 0.8
    total = sum(raw)
    return [w / total for w in raw]


def _shares(weights: list[float], total: int) -> list[int]:
    """``total`` split by ``weights`` exactly (largest remainders)."""
    exact = [w * total for w in weights]
    out = [int(x) for x in exact]
    rest = total - sum(out)
    for i in sorted(range(len(weights)), key=lambda i: exact[i] - out[i], reverse=True)[:rest]:
        out[i] += 1
    return out


def _pick(mix: dict[str, int], var: str) -> str:
    """A CASE expression choosing a key of ``mix`` by the uniform draw ``var``."""
    total, acc, parts = sum(mix.values()), 0, []
    for key, weight in mix.items():
        acc += weight
        parts.append(f"WHEN {var} < {acc / total!r} THEN '{key}'")
    return "CASE " + " ".join(parts[:-1]) + f" ELSE '{key}' END"


def add_cases(agency_ids: list[int], upto: int, *, fast: bool = False) -> None:
    """Cases from what exists up to ``upto``, one transaction per chunk: resumable. Row n (1-based,
    global) goes to the agency whose share of the chunk covers it; its number is unique.

    ``fast``: the chunk's transaction runs with ``session_replication_role = replica``, so the
    summary-row triggers (and foreign-key checks) do not fire; :func:`fill_tally` rebuilds the
    rows and checks them equal to the records after the step. It halves a chunk's time; the
    triggers' own agreement at scale is what the build without ``fast`` shows."""
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.cases.models import Case, Review
    from gongkai.core.case_flow import Status
    from gongkai.core.outcomes import Outcome
    from gongkai.core.receipt import Channel
    from gongkai.core.report.taxonomy import ApplicantType, ReviewKind

    assert set(OUTCOME_MIX) == {o.value for o in Outcome}, "OUTCOME_MIX must name every outcome"
    assert set(APPLICANT_MIX) == {t.value for t in ApplicantType}, "APPLICANT_MIX must name every applicant kind"
    weights = _weights(agency_ids)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        have = cursor.fetchone()[0]
    if have % CHUNK and have < upto:
        sys.exit(f"{have:,} cases is not a whole number of chunks of {CHUNK:,}: not a bench database?")
    now = timezone.now()
    fixed = constants(
        Case,
        agency_id=agency_ids[0],
        number="",
        year=2019,
        sequence=1,
        applicant_type=ApplicantType.NATURAL_PERSON.value,
        applicant_name="申请人",
        request_description="关于本辖区内某道路改扩建工程征地补偿标准的政府信息",
        channel=Channel.INTERNET.value,
        submitted_at=now,
        status=Status.CLOSED.value,
        tracking_code="",
        created_at=now,
        updated_at=now,
    )
    review_fixed = constants(
        Review,
        agency_id=agency_ids[0],
        kind=ReviewKind.RECONSIDERATION.value,
        filed_on=FIRST_DAY,
        body="基准省人民政府",
        created_at=now,
    )
    span = (TODAY - FIRST_DAY).days
    open_from = TODAY - dt.timedelta(days=30)
    kinds = [k.value for k in ReviewKind]
    while have < upto:
        size = min(CHUNK, upto - have)
        started = time.perf_counter()
        shares = _shares(weights, size)
        rows, base = [], have
        for pk, n in zip(agency_ids, shares, strict=True):
            if n:
                rows.append(f"({pk},{base},{n})")
                base += n
        source = f"""(
            SELECT a.agency_id, a.base + s AS n, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                   random() AS r5, DATE '{FIRST_DAY}' + floor(random() * {span + 1})::int AS received
            FROM (VALUES {",".join(rows)}) AS a(agency_id, base, cnt), generate_series(1, a.cnt) AS s
        ) AS drawn,
        LATERAL (SELECT received >= DATE '{open_from}' OR r1 < 0.003 AS still_open) AS o"""
        closed = "received + floor(r2 * 41)::int"
        varying = {
            "agency_id": "agency_id",
            "number": f"'{CODE}' || agency_id || '-' || n",
            "year": "extract(year FROM received)::int",
            "sequence": "n",
            "applicant_type": _pick(APPLICANT_MIX, "r4"),
            "channel": f"CASE WHEN r5 < 0.55 THEN '{Channel.INTERNET.value}' WHEN r5 < 0.85 THEN '{Channel.POST_SIGNED.value}'"
            f" ELSE '{Channel.IN_PERSON.value}' END",
            "received_on": "received",
            "status": f"CASE WHEN still_open THEN '{Status.IN_PROGRESS.value}' ELSE '{Status.CLOSED.value}' END",
            "outcome": f"CASE WHEN still_open THEN NULL ELSE {_pick(OUTCOME_MIX, 'r3')} END",
            "closed_on": f"CASE WHEN still_open THEN NULL ELSE {closed} END",
            "due_on": "received + 28",
            "tracking_code": f"'{CODE}' || n",
            "submitted_at": "received::timestamptz",
            "created_at": "received::timestamptz",
            "updated_at": "received::timestamptz",
        }
        review_source = f"""(
            SELECT agency_id, closed_on + 10 + floor(random() * 50)::int AS filed, random() AS k, random() AS c,
                   random() AS r, random() AS d
            FROM cases_case WHERE sequence > {have} AND closed_on IS NOT NULL AND random() < 0.03
        ) AS drawn"""
        review_varying = {
            "agency_id": "agency_id",
            "kind": f"(ARRAY{kinds})[1 + floor(k * {len(kinds)})::int]",
            "filed_on": "filed",
            "result": "CASE WHEN c < 0.85 THEN (ARRAY['upheld','corrected','other'])[1 + floor(r * 3)::int]"
            " ELSE 'pending' END",
            "concluded_on": "CASE WHEN c < 0.85 THEN filed + 30 + floor(d * 150)::int END",
        }
        with transaction.atomic():
            if fast:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = replica")
            added = insert_select("cases_case", fixed, varying, source, [])
            reviews = insert_select("cases_review", review_fixed, review_varying, review_source, [])
        have += added
        print(
            f"  cases {have:,} (+{added:,}, {reviews:,} reviews) in {time.perf_counter() - started:.0f} s",
            flush=True,
        )


def fill_tally() -> None:
    """The summary rows of tables 三/四 recomputed from the cases (``manage.py case_tally
    --rebuild``; the triggers kept them during the bulk INSERTs, the rebuild must agree), checked."""
    from gongkai.cases.tally import differences, rebuild

    started = time.perf_counter()
    rows = rebuild()
    built = time.perf_counter() - started
    started = time.perf_counter()
    wrong = differences()
    assert not any(wrong.values()), f"summary rows differ from the records: {wrong}"
    print(
        f"  summary rows rebuilt in {built:.1f} s ({', '.join(f'{t} {n:,}' for t, n in rows.items())});"
        f" checked equal to the records in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


def build_people(largest: int) -> Any:
    """The officer of the largest agency (the desk) and the publishers' clerk (items' author)."""
    from gongkai.accounts.models import Role, User
    from gongkai.accounts.services import create_user
    from gongkai.agencies.models import Agency

    officer = User.objects.filter(username="prov_officer").first()
    if officer is None:
        agency = Agency.objects.get(pk=largest)
        officer = create_user(
            actor=None, username="prov_officer", password=os.urandom(16).hex(), role=Role.OFFICER, agency=agency
        )
    if not User.objects.filter(username="prov_clerk").exists():
        create_user(
            actor=None,
            username="prov_clerk",
            password=os.urandom(16).hex(),
            role=Role.CLERK,
            agency=Agency.objects.get(pk=largest),
        )
    return officer


def build_items(agency_ids: list[int], items: int) -> None:
    """``items`` published items over the first :data:`PUBLISHERS` agencies' catalogues, in
    chunks (resumable). Texts come from a pool made by bench/portal.py's generator; search_text
    is what ``refresh_search_text`` stores (checked on a sample)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from portal import _text

    from gongkai.agencies.models import Agency
    from gongkai.core.publication_flow import ItemStatus
    from gongkai.publications.models import Category, Item
    from gongkai.publications.services import refresh_search_text, seed_catalogue
    from gongkai.publications.text import normalize, plain_text

    have = Item.objects.count()
    if have >= items:
        ensure_search_index()
        return
    from gongkai.accounts.models import User

    author = User.objects.get(username="prov_clerk")
    reviewer = User.objects.get(username="prov_officer")
    publishers = list(Agency.objects.filter(pk__in=agency_ids).exclude(level="department").order_by("pk")[:PUBLISHERS])
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_text_pool (k int PRIMARY KEY, title text, body text, norm text)"
        )
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_publisher (k int PRIMARY KEY, agency_id int, code text, issuer text,"
            " issuer_norm text, categories int[])"
        )
        cursor.execute("SELECT count(*) FROM bench_publisher")
        if cursor.fetchone()[0] < len(publishers):
            cursor.execute("TRUNCATE bench_publisher")
            for k, agency in enumerate(publishers):
                leaves = [
                    c.pk
                    for c in seed_catalogue(actor=None, agency=agency)
                    if not Category.objects.filter(parent=c).exists()
                ]
                cursor.execute(
                    "INSERT INTO bench_publisher VALUES (%s, %s, %s, %s, %s, %s)",
                    [k, agency.pk, agency.code, agency.name, normalize(agency.name), leaves],
                )
        cursor.execute("SELECT count(*) FROM bench_text_pool")
        if cursor.fetchone()[0] < POOL:
            cursor.execute("TRUNCATE bench_text_pool")
            rnd = random.Random(2025)
            pool = []
            for k in range(POOL):
                title, body = _text(rnd, 2014 + k % 12)
                pool.append((k, title, body, normalize(title) + "\n{ix}\n{issuer}\n" + normalize(plain_text(body))))
            cursor.executemany("INSERT INTO bench_text_pool VALUES (%s, %s, %s, %s)", pool)
    print(f"  catalogues and text pool ready in {time.perf_counter() - started:.0f} s", flush=True)
    now = timezone.now()
    fixed = constants(
        Item,
        agency_id=publishers[0].pk,
        index_number="",
        category_id=1,
        title="",
        issuer="",
        formed_on=TODAY,
        status=ItemStatus.PUBLISHED.value,
        author=author,
        reviewed_by=reviewer,
        reviewed_at=now,
        published_by=reviewer,
        created_at=now,
        updated_at=now,
    )
    # The GIN index computes gongkai_bigrams of every text: kept during a row-by-row insert it costs
    # ~6 ms an item; dropped for the bulk and built once after, each chunk is a plain INSERT.
    # Dropping is idempotent, so a build stopped half-way resumes without it and builds it at the end.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    while have < items:
        size = min(CHUNK // 5, items - have)
        started = time.perf_counter()
        # Item n: publisher n % 300, text (n * 7919) % POOL, formed over 2014–2025 growing with n.
        source = f"""(
            SELECT n, p.*, t.title AS t_title, t.body AS t_body, t.norm AS t_norm,
                   DATE '2014-01-01' + ((n::bigint * 4380) / {items} + floor(random() * 20))::int AS formed,
                   lower('{CODE}-I' || n) AS ix, random() AS r
            FROM generate_series({have + 1}, {have + size}) AS n
            JOIN bench_publisher p ON p.k = mod(n, {len(publishers)})
            JOIN bench_text_pool t ON t.k = mod(n::bigint * 7919, {POOL})
        ) AS drawn"""
        varying = {
            "agency_id": "agency_id",
            "index_number": "upper(ix)",
            "category_id": "categories[1 + floor(r * array_length(categories, 1))::int]",
            "title": "t_title",
            "issuer": "issuer",
            "formed_on": "formed",
            "published_on": "formed + 3",
            "body": "t_body",
            "search_text": "replace(replace(t_norm, '{ix}', ix), '{issuer}', issuer_norm)",
        }
        with transaction.atomic():
            added = insert_select("publications_item", fixed, varying, source, [])
        have += added
        print(f"  items {have:,} (+{added:,}) in {time.perf_counter() - started:.0f} s", flush=True)
    ensure_search_index()
    for item in Item.objects.order_by("?")[:20]:
        stored = item.search_text
        refresh_search_text(item)
        assert item.search_text == stored, f"item {item.pk}: search_text differs from refresh_search_text"


SEARCH_INDEX = "pub_item_search_bigrams"


def ensure_search_index() -> None:
    """(Re)build the bigram GIN index of items if a bulk build left it dropped: the migration's own
    statement (gongkai/publications/migrations/0002_search_index.py), with a large
    maintenance_work_mem so that GIN sorts its entries in memory."""
    from importlib import import_module

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [SEARCH_INDEX])
        if cursor.fetchone():
            return
        started = time.perf_counter()
        statement = import_module("gongkai.publications.migrations.0002_search_index").PG_INDEX
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute(statement)
        cursor.execute("RESET maintenance_work_mem")
    print(f"  search index {SEARCH_INDEX} built in {time.perf_counter() - started:.0f} s", flush=True)


def snapshot(url: str, size: int) -> None:
    """A copy of the bench database as it stands (``CREATE DATABASE … TEMPLATE``), named
    ``<database>_<size>``, so that every size can be measured again later with
    ``--measure-only`` on the copy (how the figures grow, measured by one version of the code)."""
    import psycopg
    from django.db import connections

    name = url.rsplit("/", 1)[1]
    copy = f"{name}_{size}"
    connections.close_all()
    started = time.perf_counter()
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    print(f"  snapshot {copy} in {time.perf_counter() - started:.0f} s", flush=True)


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("cases_case", "cases_review", "publications_item", "agencies_agency"):
            cursor.execute(f"VACUUM ANALYZE {table}")


# ---------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------


def timed(func: Callable[[], Any], *, budget: float = 2.0, min_runs: int = 5) -> tuple[float, float, float, Any]:
    from report_compute import timed as rc_timed

    return rc_timed(func, budget=budget, min_runs=min_runs)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f}"


#: The floor of (b): every agency's table 三 by hand, one pass grouped by agency.
ROLLUP_SQL = """
SELECT agency_id, applicant_type, outcome, COUNT(*),
       COUNT(*) FILTER (WHERE received_on >= %(first)s),
       COUNT(*) FILTER (WHERE closed_on <= %(last)s)
FROM cases_case
WHERE received_on <= %(last)s AND (closed_on IS NULL OR closed_on >= %(first)s)
GROUP BY agency_id, applicant_type, outcome
""".strip()


def measure(agency_ids: list[int], largest: int, officer: Any, with_items: bool, parts: str = "abcd") -> dict[str, Any]:
    """The figures named in ``parts`` (any of a, b, c, d)."""
    from django.db import connection
    from report_compute import TIGHT_SQL, hand_written_table3

    from gongkai.agencies.models import Agency
    from gongkai.cases.models import Case
    from gongkai.publications.models import Item
    from gongkai.reports.compute import compute_report

    vacuum()
    print("the hand-written floors:\n  (a) " + TIGHT_SQL.replace("\n", "\n      "))
    print("  (b) " + ROLLUP_SQL.replace("\n", "\n      "))
    fig: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        fig["cases"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_total_relation_size('cases_case'), pg_database_size(current_database())")
        fig["case_bytes"], fig["db_bytes"] = cursor.fetchone()
    fig["items"] = Item.objects.count()
    agency = Agency.objects.get(pk=largest)
    fig["largest_cases"] = Case.objects.filter(agency_id=largest).count()
    print(
        f"\n== {fig['cases']:,} cases ({fig['largest_cases']:,} in the largest agency), {fig['items']:,} items;"
        f" cases_case {fig['case_bytes'] / 2**30:.2f} GB, database {fig['db_bytes'] / 2**30:.2f} GB;"
        f" load {' / '.join(f'{x:.1f}' for x in os.getloadavg())}",
        flush=True,
    )

    if "a" in parts:
        report = _measure_a(fig, agency, largest, compute_report, hand_written_table3)
    if "b" in parts:
        _measure_b(fig, agency_ids, largest, report if "a" in parts else None)
    if "c" in parts:
        _measure_c(fig, officer)
    if with_items and "d" in parts:
        _measure_d(fig)
    fig["peak_mb"] = peak_mb()
    print(f"peak memory of this process: {fig['peak_mb']:.0f} MB", flush=True)
    return fig


def _measure_a(fig: dict[str, Any], agency: Any, largest: int, compute_report: Any, hand_written_table3: Any) -> Any:
    # (a) one agency-year: the report page's compute_report, against the hand-written aggregate.
    cold_a, min_a, med_a, report = timed(lambda: compute_report(agency, YEAR))
    cold_s, min_s, med_s, by_hand = timed(lambda: hand_written_table3(largest, YEAR))
    assert report.table3 == by_hand, "table 三: compute_report and the hand-written SQL disagree"
    fig["a"] = (cold_a, min_a, med_a, cold_s, min_s, med_s)
    print(
        f"(a) tables 二/三/四, largest agency, {YEAR}: compute_report cold {ms(cold_a)} ms, warm min {ms(min_a)},"
        f" median {ms(med_a)} | hand-written SQL cold {ms(cold_s)}, min {ms(min_s)}, median {ms(med_s)}"
        f" | ratio warm {med_a / med_s:.2f}×, cold {cold_a / cold_s:.2f}× (numbers equal, asserted)",
        flush=True,
    )
    return report


def _measure_b(fig: dict[str, Any], agency_ids: list[int], largest: int, report: Any) -> None:
    from django.db import connection

    from gongkai.cases.figures import table3_by_agency, table3_by_agency_live, table4_by_agency, table4_by_agency_live

    # (b) the roll-up of every agency for the year: from the summary rows (gongkai.cases.tally),
    # against the hand-written GROUP BY over the cases (the floor of counting the cases) and the
    # same roll-up counted from the cases (the old path; its tables are asserted equal).

    with connection.cursor() as cursor:
        for table in ("cases_casetally", "cases_reviewtally"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("SELECT count(*) FROM cases_casetally")
        fig["tally_rows"] = cursor.fetchone()[0]

    def rollup() -> tuple[Any, Any]:
        return table3_by_agency(agency_ids, YEAR), table4_by_agency(agency_ids, YEAR)

    def rollup_live() -> tuple[Any, Any]:
        return table3_by_agency_live(agency_ids, YEAR), table4_by_agency_live(agency_ids, YEAR)

    def rollup_sql() -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(ROLLUP_SQL, {"first": dt.date(YEAR, 1, 1), "last": dt.date(YEAR, 12, 31)})
            return cursor.fetchall()

    cold_b, min_b, med_b, (t3, t4) = timed(rollup, budget=2.0, min_runs=5)
    cold_bs, min_bs, med_bs, _ = timed(rollup_sql, budget=0, min_runs=3)
    cold_bl, _, med_bl, (l3, l4) = timed(rollup_live, budget=0, min_runs=1)
    if report is not None:
        assert t3[largest] == report.table3, "the roll-up's table 三 of the largest agency differs from (a)"
    assert (t3, t4) == (l3, l4), "the roll-up from the summary rows differs from the one counted from the records"
    fig["b"] = (cold_b, min_b, med_b, cold_bs, min_bs, med_bs)
    fig["b_live"] = (cold_bl, med_bl)
    print(
        f"(b) roll-up of {len(agency_ids):,} agencies, {YEAR}, from {fig['tally_rows']:,} summary rows: cold {ms(cold_b)} ms,"
        f" warm min {ms(min_b)}, median {ms(med_b)} | floor, hand-written GROUP BY agency over the cases:"
        f" cold {ms(cold_bs)}, median {ms(med_bs)} | counted from the cases (old path): cold {ms(cold_bl)},"
        f" median {ms(med_bl)} (tables 三/四 of every agency equal, asserted)",
        flush=True,
    )


def _measure_c(fig: dict[str, Any], officer: Any) -> None:
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    # (c) the desk of the largest agency, the real view.
    client = Client()
    client.force_login(officer)
    desk = reverse("cases:desk")
    with mock.patch("gongkai.clock.today", return_value=TODAY):
        assert client.get(desk).status_code == 200
        cold_c, min_c, med_c, _ = timed(lambda: client.get(desk))
        page2 = desk + "?page=20"
        _, _, med_c2, _ = timed(lambda: client.get(page2))
        with CaptureQueriesContext(connection) as captured:
            client.get(desk)
    # The floor: the desk's own SQL over cases (its buckets, loads, count and page), replayed as
    # captured, without Django, the template or the session; what any desk showing them waits for.
    case_sql = [q["sql"] for q in captured.captured_queries if '"cases_case"' in q["sql"]]

    def desk_sql() -> None:
        with connection.cursor() as cursor:
            for sql in case_sql:
                cursor.execute(sql)
                cursor.fetchall()

    _, min_cs, med_cs, _ = timed(desk_sql)
    fig["c"] = (cold_c, min_c, med_c, med_c2, med_cs)
    print(
        f"(c) desk /office/cases/ of the largest agency: cold {ms(cold_c)} ms, warm min {ms(min_c)},"
        f" median {ms(med_c)}; page 20 median {ms(med_c2)} | {len(captured.captured_queries)} queries; its"
        f" {len(case_sql)} over cases replayed alone: min {ms(min_cs)}, median {ms(med_cs)}",
        flush=True,
    )


def _measure_d(fig: dict[str, Any]) -> None:
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.urls import reverse

    # (d) portal search, the real view, nothing cached.
    from gongkai.publications.selectors import SEARCH_COUNT_CAP, clean_query, index_grams

    anon = Client()
    search = reverse("portal:search")
    words = ["预算", "老旧小区综合整治", "水源保护区界桩", "量子计算", "界桩"]
    lifted = override_settings(PORTAL_RATE_LIMITS={"search": (10**9, 60)})
    lifted.enable()
    try:
        rows = []
        for word in words:

            def request(word: str = word) -> None:
                cache.clear()
                response = anon.get(search, {"q": word})
                assert response.status_code == 200, response.status_code

            cold_d, min_d, med_d, _ = timed(request, budget=1.5)

            def floor(word: str = word) -> None:
                # Without JIT, as the search runs (gongkai.publications.selectors._without_jit).
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
                    cursor.execute(
                        # The search's one pass (selectors.search_page): the matches up to
                        # the count's cap, with the dates that order them (the index asked for
                        # the query's rarest bigrams, as the search asks it).
                        "SELECT published_on, id FROM publications_item WHERE gongkai_bigrams(search_text)"
                        " @> %s::text[] AND search_text LIKE %s AND status = 'published' LIMIT %s",
                        [index_grams(clean_query(word)), f"%{word}%", SEARCH_COUNT_CAP + 1],
                    )
                    cursor.fetchall()

            _, _, med_f, _ = timed(floor, budget=1.0)
            rows.append((word, cold_d, min_d, med_d, med_f))
            print(
                f"(d) search “{word}”: cold {ms(cold_d)} ms, warm min {ms(min_d)}, median {ms(med_d)}"
                f" | its match pass alone median {ms(med_f)}",
                flush=True,
            )
    finally:
        lifted.disable()
    fig["d"] = rows


def summary(figures: list[dict[str, Any]]) -> bool:
    """The table of how the figures grow (a figure not measured: "—") and the targets' checks."""
    nan = float("nan")
    print("\nHow the figures grow (warm median / cold, ms):")
    print(
        f"{'cases':>12} {'(a) report':>18} {'SQL floor':>10} {'ratio':>6} {'(b) roll-up':>18} {'floor':>8}"
        f" {'(c) desk':>16} {'SQL floor':>10} {'(d) search max':>15} {'floor max':>10}"
    )
    ok = True
    for f in figures:
        a = f.get("a", (nan,) * 6)
        b = f.get("b", (nan,) * 6)
        c = f.get("c", (nan,) * 5)
        d_med = max((r[3] for r in f.get("d", [])), default=nan)
        d_floor = max((r[4] for r in f.get("d", [])), default=nan)
        print(
            f"{f['cases']:>12,} {a[2] * 1000:>8.1f} / {a[0] * 1000:>7.1f} {a[5] * 1000:>10.1f} {a[2] / a[5]:>5.2f}×"
            f" {b[2] * 1000:>8.0f} / {b[0] * 1000:>7.0f} {b[5] * 1000:>8.0f} {c[2] * 1000:>7.1f} / {c[0] * 1000:>6.1f}"
            f" {c[4] * 1000:>10.1f} {d_med * 1000:>15.1f} {d_floor * 1000:>10.1f}"
        )
    last = figures[-1]
    checks = {}
    if "a" in last:
        checks[f"(a) < {TARGETS['a']:.0f} s"] = max(last["a"][0], last["a"][2]) < TARGETS["a"]
        checks[f"(a) ≤ {RATIO:.0f}× SQL"] = last["a"][2] / last["a"][5] <= RATIO
    if "b" in last:
        checks[f"(b) < {TARGETS['b']:.0f} s"] = max(last["b"][0], last["b"][2]) < TARGETS["b"]
    if "c" in last:
        checks[f"(c) < {TARGETS['c'] * 1000:.0f} ms"] = last["c"][2] < TARGETS["c"]
    if "d" in last:
        checks[f"(d) < {TARGETS['d'] * 1000:.0f} ms median"] = all(r[3] < TARGETS["d"] for r in last["d"])
    for label, passed in checks.items():
        print(f"  {label}: {'yes' if passed else 'NO'}")
        ok = ok and passed
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--steps", default="1000000,2000000,5000000,10000000", help="sizes to measure at")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--measure-only", action="store_true", help="measure what exists, build nothing")
    parser.add_argument("--build-only", action="store_true", help="build the steps, measure nothing")
    parser.add_argument(
        "--fast-build", action="store_true", help="summary-row triggers off during the bulk inserts (rebuilt after)"
    )
    parser.add_argument("--snapshots", action="store_true", help="copy the database after each step (<db>_<size>)")
    parser.add_argument(
        "--parts", default="a,b,c,d", help="the figures to measure, e.g. c,d (the others take minutes at 10M)"
    )
    args = parser.parse_args()
    parts = "".join(p.strip() for p in args.parts.split(","))
    if not parts or set(parts) - set("abcd"):
        parser.error("--parts: a comma-separated list of a, b, c, d")
    url = os.environ.get("BENCH_DATABASE_URL", PG_URL)
    configure(url)
    print(f"database: {url.split('@')[-1]}; year {YEAR}; today {TODAY}", flush=True)
    from django.db import connection

    agency_ids = build_agencies()
    largest = agency_ids[max(range(len(agency_ids)), key=_weights(agency_ids).__getitem__)]
    officer = build_people(largest)
    if not args.measure_only:
        build_items(agency_ids, args.items)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        have = cursor.fetchone()[0]
    steps = sorted({s for s in (int(x) for x in args.steps.split(",")) if s < args.cases} | {args.cases})
    figures = []
    for step in steps:
        if args.measure_only:
            if step != steps[-1]:
                continue
        elif step < have:
            continue
        else:
            add_cases(agency_ids, step, fast=args.fast_build)
            fill_tally()
            if args.snapshots:
                vacuum()
                snapshot(url, step)
        if not args.build_only:
            figures.append(measure(agency_ids, largest, officer, with_items=True, parts=parts))
    if figures and "b" in parts:
        print("\n(b) roll-up, ms (warm median / cold): summary rows | GROUP BY floor | counted from the cases")
        for f in figures:
            b, live = f["b"], f["b_live"]
            print(
                f"{f['cases']:>12,} {f['tally_rows']:>9,} rows {b[2] * 1000:>7.1f} / {b[0] * 1000:>7.1f}"
                f" | {b[5] * 1000:>7.0f} | {live[1] * 1000:>7.0f} / {live[0] * 1000:>7.0f}"
            )
    if args.build_only:
        return 0
    return 0 if figures and summary(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
