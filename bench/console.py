"""The supervisor's console for 3,000 agencies on PostgreSQL: the publication board and the roll-up.

Builds (once, kept) a county with 3,000 agencies under it (in 30 parents of 100), each with a
signed-off or published report for YEAR (a full snapshot: tables 二/三/四), a share published late,
some only signed, 10 % with a report uploaded by the supervisor instead, 10 % with nothing; and one
催报 per missing agency. Then requests, through Django's test Client (middleware, view, selectors,
template, as the supervisor):

- the board for YEAR (3,000 tiles, the first 200 rows of the list, counts, chart);
- the roll-up of tables 二/三/四 over all 3,000 for YEAR (each agency's best source);
- the board's and the roll-up's .xlsx exports;

and prints min / median of RUNS runs, with the floor measured in the same run: the tightest
hand-written SQL for the same answer (the board: one query grouping the reports per agency; the
roll-up: the table 三 sums computed inside PostgreSQL from the JSON snapshots; JIT off for both, as
the console's query). Target < 1 s each.

Run:
    .venv/bin/python bench/console.py                  # PostgreSQL gk_console_bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/console.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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

from dbcache import create_pg_database  # noqa: E402

YEAR = 2024
TODAY = dt.date(2025, 12, 3)
TARGET = 1.0
PG_URL = "postgres://postgres@127.0.0.1:5432/gk_console_bench"
COUNTY_CODE = "BENCH-COUNTY"


def configure() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", PG_URL)
    create_pg_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log
    return url


def build(n: int) -> Any:
    """The county, its ``n`` agencies and their reports (unless already there); the supervisor."""
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.accounts.models import Role, User
    from gongkai.accounts.services import create_user
    from gongkai.agencies.models import Agency, AgencyLevel
    from gongkai.agencies.services import create_agency
    from gongkai.core.report.lifecycle import ReportStatus
    from gongkai.dashboards.demo_console import demo_report
    from gongkai.dashboards.models import Reminder
    from gongkai.reports.models import AnnualReportRecord
    from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch

    county = Agency.objects.filter(code=COUNTY_CODE).first()
    if county is not None and Agency.objects.subtree_of(county).count() >= n + 1:
        return User.objects.get(username="bench_supervisor")
    t0 = time.perf_counter()
    with transaction.atomic():
        county = county or create_agency(
            actor=None,
            code=COUNTY_CODE,
            name="基准测试县人民政府",
            short_name="基准县",
            level=AgencyLevel.COUNTY,
            parent=None,
        )
        supervisor = User.objects.filter(username="bench_supervisor").first() or create_user(
            actor=None,
            username="bench_supervisor",
            password="bench-pass-123",  # noqa: S106 - a bench user
            role=Role.SUPERVISOR,
            agency=county,
        )
        parents = [
            create_agency(
                actor=None,
                code=f"BENCH-P{p:02d}",
                name=f"基准测试县第{p}片区",
                level=AgencyLevel.TOWNSHIP,
                parent=county,
            )
            for p in range(n // 100)
        ]
        agencies = Agency.objects.bulk_create(
            [
                Agency(
                    code=f"BENCH-A{i:05d}",
                    name=f"基准测试县第{i}号机构",
                    short_name=f"第{i}号",
                    level=AgencyLevel.DEPARTMENT if i % 3 else AgencyLevel.TOWNSHIP,
                    parent=parents[i % len(parents)],
                    path="",
                )
                for i in range(n - len(parents))
            ]
        )
        parent_by_id = {p.pk: p for p in parents}
        for agency in agencies:
            agency.path = f"{parent_by_id[agency.parent_id].path}{agency.pk}/"
        Agency.objects.bulk_update(agencies, ["path"], batch_size=1000)
        everyone = [*parents, *agencies]
        batch = ReportBatch.objects.create(agency=county, uploaded_by=supervisor, title="基准：上传")
        records, reads, reminders = [], [], []
        tz = timezone.get_current_timezone()
        for i, agency in enumerate(everyone):
            due = dt.date(YEAR + 1, 1, 31)
            snapshot = demo_report(agency.name, YEAR, i % 17).to_dict()
            kind = i % 10
            if kind == 0:  # missing, reminded
                reminders.append(
                    Reminder(
                        agency=agency,
                        year=YEAR,
                        channels=["notice"],
                        sent_by=supervisor,
                        sent_at=timezone.now(),
                        message="催报",
                    )
                )
            elif kind == 1:  # uploaded
                reads.append(
                    ReadReport(
                        batch=batch,
                        position=i,
                        file_name=f"{i}.docx",
                        sha256=f"{i:064d}",
                        year=YEAR,
                        matched_agency=agency,
                        report=snapshot,
                        status=ReadStatus.CONSISTENT,
                    )
                )
            else:
                on = due + dt.timedelta(days=(i % 30) - 20)  # a third published late
                at = dt.datetime(on.year, on.month, on.day, 10, tzinfo=tz)
                signed_only = kind == 2
                records.append(
                    AnnualReportRecord(
                        agency=agency,
                        year=YEAR,
                        version=1,
                        status=ReportStatus.SIGNED_OFF if signed_only else ReportStatus.PUBLISHED,
                        snapshot=snapshot,
                        signed_by=supervisor,
                        signed_at=at,
                        published_at=None if signed_only else at,
                    )
                )
        AnnualReportRecord.objects.bulk_create(records, batch_size=500)
        ReadReport.objects.bulk_create(reads, batch_size=500)
        Reminder.objects.bulk_create(reminders, batch_size=500)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"built {len(everyone)} agencies, {len(records)} reports, {len(reads)} uploads in {time.perf_counter() - t0:.1f} s"
    )
    return supervisor


def _time(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


BOARD_FLOOR_SQL = """
SELECT a.id, a.level, a.report_due,
       min(r.published_at) FILTER (WHERE r.status = 'published'),
       bool_or(r.status = 'signed_off'),
       EXISTS (SELECT 1 FROM supervision_readreport rr WHERE rr.matched_agency_id = a.id AND rr.year = %s
               AND rr.report IS NOT NULL)
FROM agencies_agency a
LEFT JOIN reports_annualreportrecord r ON r.agency_id = a.id AND r.year = %s
WHERE a.path LIKE %s AND a.id <> %s
GROUP BY a.id ORDER BY a.path
"""

ROLLUP_FLOOR_SQL = """
SELECT t.key, e.idx, sum(NULLIF(e.val, 'null')::numeric)
FROM reports_annualreportrecord r
JOIN agencies_agency a ON a.id = r.agency_id,
     jsonb_each(r.snapshot->'table3') AS t(key, arr),
     jsonb_array_elements_text(t.arr) WITH ORDINALITY AS e(val, idx)
WHERE a.path LIKE %s AND r.year = %s AND r.status IN ('signed_off', 'published')
GROUP BY t.key, e.idx
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = configure()
    print(f"database: {url.rsplit('@', 1)[-1]}")
    supervisor = build(args.agencies)

    from unittest import mock

    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from gongkai import clock
    from gongkai.agencies.models import Agency

    county = Agency.objects.get(code=COUNTY_CODE)
    n = Agency.objects.subtree_of(county).count() - 1
    client = Client()
    client.force_login(supervisor)

    def get(url: str) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            if response.get("Content-Type", "").startswith("text/html"):
                response.content  # noqa: B018 - rendered
            return response

        return run

    def sql(query: str, params: list[Any]) -> Callable[[], Any]:
        def run() -> Any:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")  # as the console's own query: JIT compiling costs more
                cursor.execute(query, params)
                return cursor.fetchall()

        return run

    board_url = reverse("dashboards:console_board") + f"?year={YEAR}"
    rollup_url = reverse("dashboards:console_rollup") + f"?year={YEAR}"
    with mock.patch.object(clock, "today", lambda: TODAY):
        page = client.get(board_url).content.decode()
        assert page.count('class="tile ') == n, "every agency has a tile"
        board_floor = _time(sql(BOARD_FLOOR_SQL, [YEAR, YEAR, county.path + "%", county.pk]), args.runs)
        rollup_floor = _time(sql(ROLLUP_FLOOR_SQL, [county.path + "%", YEAR]), args.runs)
        rows = [
            ("发布情况看板（页面）", _time(get(board_url), args.runs), board_floor),
            (
                "发布情况看板（.xlsx）",
                _time(get(reverse("dashboards:console_board_xlsx") + f"?year={YEAR}"), args.runs),
                board_floor,
            ),
            ("报表汇总 表二三四（页面）", _time(get(rollup_url), args.runs), rollup_floor),
            (
                "报表汇总（.xlsx）",
                _time(get(reverse("dashboards:console_rollup_xlsx") + f"?year={YEAR}"), args.runs),
                rollup_floor,
            ),
        ]
    print(f"{n} agencies under the supervisor, year {YEAR}, {args.runs} runs each (after one warm-up)")
    print(f"{'request':<28}{'min s':>8}{'median s':>10}{'floor min s':>13}{'ratio':>8}  target < {TARGET:.0f} s")
    failed = False
    for name, (lo, med), (floor_lo, _) in rows:
        ok = med < TARGET
        failed |= not ok
        print(f"{name:<24}{lo:>8.3f}{med:>10.3f}{floor_lo:>13.4f}{lo / floor_lo:>8.1f}  {'ok' if ok else 'SLOW'}")
    print(f"peak RSS of the bench process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
