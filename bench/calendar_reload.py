"""Load a calendar year into a database of open cases: the real command, timed as users wait for it.

When the 2027 holiday notice is published, an administrator runs ``gongkai calendar load
2027.toml``: the year is stored and every open case's due date recomputed, stored, audited and
(for those that moved) noticed. This bench builds N open cases once (receipts spread over 2026,
with 补正, consultations and approved extensions in realistic shares), settles their due dates and
runs VACUUM ANALYZE: that settled database is kept as a template (a SQLite file under bench/out/,
or the PostgreSQL database ``<name>_tpl<N>_<hash>``; named by the migrations' hash, so a new
migration builds a new one: bench/dbcache.py) and reused by later runs. Each repetition copies the
template (``CREATE DATABASE … TEMPLATE``), then times the command as a whole process and reads
its peak memory. The floor is the core's own computation of the same N cases' due dates in memory
(no database), measured in the same run; the moved count the command prints must equal the
count the floor finds (the numbers stay exact).

Run: .venv/bin/python bench/calendar_reload.py [N] [--reps R]   (default 100,000; `make bench` 2,000)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_bench .venv/bin/python bench/calendar_reload.py
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dbcache import migrated_sqlite, migrations_key  # noqa: E402

OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)
TARGET_SECONDS = 10.0
TARGET_MB = 300

_cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
_cli.add_argument("n", nargs="?", type=int, default=100_000, help="open cases (default 100,000)")
_cli.add_argument("--reps", type=int, default=3, help="timed runs of the command (default 3)")
_cli.add_argument("--rebuild", action="store_true", help="build the settled template again")
ARGS = _cli.parse_args()
N = ARGS.n
RUN_URL = os.environ.get("DATABASE_URL", f"sqlite:///{OUT / f'calendar_reload_{N}.sqlite3'}")
IS_PG = RUN_URL.startswith("postgres")
# The template is named by the migrations' hash (bench/dbcache.py): a new migration builds a new one.
KEY = migrations_key()
if IS_PG:
    _base, _, RUN_DB = RUN_URL.rpartition("/")
    TEMPLATE_DB = f"{RUN_DB}_tpl{N}_{KEY}"
    TEMPLATE_URL = f"{_base}/{TEMPLATE_DB}"
else:
    RUN_FILE = Path(RUN_URL.removeprefix("sqlite:///"))
    TEMPLATE_FILE = OUT / f"calendar_reload_tpl_{N}_{KEY}.sqlite3"
    TEMPLATE_URL = f"sqlite:///{TEMPLATE_FILE}"
# This process works on the template (build, floor); the command runs on a fresh copy of it.
os.environ["DATABASE_URL"] = TEMPLATE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_VAR_DIR", str(OUT / "var"))

import django  # noqa: E402
import psycopg  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from gongkai.agencies.models import Agency, AgencyLevel  # noqa: E402
from gongkai.cases.clock import clock_events, clock_of, fee_clock_rule  # noqa: E402
from gongkai.cases.due_dates import recompute_due_dates  # noqa: E402
from gongkai.cases.models import Case, Consultation, Extension  # noqa: E402
from gongkai.core.calendar import DATA_DIR, default_calendar, parse_calendar_file  # noqa: E402
from gongkai.core.case_flow import Status  # noqa: E402
from gongkai.core.deadlines import Channel, ConsultedParty  # noqa: E402
from gongkai.core.report.taxonomy import ApplicantType  # noqa: E402

#: The command computes as of today (``timezone.localdate()``): so do the settling and the floor.
TODAY = timezone.localdate()
CALENDAR_TEXT = (
    (DATA_DIR / "2027.example.toml").read_text(encoding="utf-8").replace("example = true", "example = false")
)


def build(n: int) -> None:
    rnd = random.Random(2026)
    agency, _ = Agency.objects.get_or_create(
        code="BENCH", defaults={"name": "基准测试街道办事处", "short_name": "基准街道", "level": AgencyLevel.TOWNSHIP}
    )
    if agency.path == "":
        agency.path = f"/{agency.pk}/"
        agency.save(update_fields=["path"])
    start = date(2026, 1, 1)
    batch: list[Case] = []
    extras: list[tuple[int, str, date, date | None]] = []
    for i in range(1, n + 1):
        received = start + timedelta(days=rnd.randrange(365))
        case = Case(
            agency=agency,
            number=f"基准街道〔2026〕第{i:06d}号",
            year=2026,
            sequence=i,
            applicant_type=ApplicantType.NATURAL_PERSON,
            applicant_name="测试申请人",
            request_description="基准测试",
            channel=Channel.INTERNET,
            submitted_at=django.utils.timezone.now(),
            received_on=received,
            status=Status.IN_PROGRESS,
            tracking_code=f"B{i:011d}",
        )
        if rnd.random() < 0.20:
            asked = received + timedelta(days=rnd.randint(1, 6))
            case.correction_requested_on, case.correction_reply_by = asked, asked + timedelta(days=15)
            if rnd.random() < 0.85:
                case.correction_received_on = asked + timedelta(days=rnd.randint(1, 12))
            else:
                case.status = Status.AWAITING_CORRECTION
        clock = case.correction_received_on or received
        if case.status == Status.IN_PROGRESS and rnd.random() < 0.15:
            sent = clock + timedelta(days=rnd.randint(1, 20))
            extras.append((i, "consultation", sent, None if rnd.random() < 0.3 else sent + timedelta(days=9)))
        elif case.status == Status.IN_PROGRESS and rnd.random() < 0.10:
            extras.append((i, "extension", clock + timedelta(days=rnd.randint(0, 10)), None))
        batch.append(case)
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    ids = dict(Case.objects.filter(agency=agency).values_list("sequence", "pk"))
    Consultation.objects.bulk_create(
        Consultation(
            case_id=ids[i],
            party=ConsultedParty.THIRD_PARTY,
            party_name="第三方",
            sent_on=sent,
            reply_due_on=sent + timedelta(days=15),
            ended_on=ended,
        )
        for i, kind, sent, ended in extras
        if kind == "consultation"
    )
    Extension.objects.bulk_create(
        Extension(case_id=ids[i], days=20, reason="基准测试", requested_on=on, decision="approved", decided_on=on)
        for i, kind, on, _ in extras
        if kind == "extension"
    )


def run_measured(argv: list[str], env: dict[str, str]) -> tuple[int, subprocess.CompletedProcess[str]]:
    """Run ``argv``; its own peak memory (kB) read from /proc while it runs (VmHWM).

    Not ``RUSAGE_CHILDREN``: Linux carries the high-water mark across exec, so a child forked from
    this big process would report this process's memory.
    """
    # Output to files, not pipes: the command prints a line per moved case, which would fill a
    # pipe nobody reads while this loop polls.
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        with subprocess.Popen(argv, env=env, stdout=out_file, stderr=err_file, text=True) as proc:
            peak = 0
            status = Path(f"/proc/{proc.pid}/status")
            while proc.poll() is None:
                try:
                    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
                    peak = max(peak, int(line.split()[1]))
                except (OSError, StopIteration):
                    pass
                time.sleep(0.02)
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    return peak, subprocess.CompletedProcess(argv, proc.returncode, out, err)


def floor() -> tuple[float, int]:
    """The core alone: the cases' due dates with 2027 known, in memory; and how many move."""
    calendar = default_calendar([parse_calendar_file(CALENDAR_TEXT, "2027.toml")])
    rule = fee_clock_rule()
    cases = list(
        Case.objects.open()
        .filter(received_on__isnull=False)
        .prefetch_related("consultations", "extensions", "fee_notices")
        .order_by("pk")
    )
    events = [(c.received_on, clock_events(c)) for c in cases]
    t0 = time.perf_counter()
    clocks = [clock_of(received, evs, today=TODAY, calendar=calendar, rule=rule) for received, evs in events]
    seconds = time.perf_counter() - t0
    moved = sum(
        (c.due_on, c.due_is_provisional, c.due_note) != (k.due_on, k.provisional, k.note)
        for c, k in zip(cases, clocks, strict=True)
    )
    return seconds, moved


def _admin(sql: str) -> None:
    """One statement on the PostgreSQL server (CREATE/DROP DATABASE run outside a transaction)."""
    with psycopg.connect(f"{_base}/postgres", autocommit=True) as admin:
        admin.execute(sql)


def template_ready() -> bool:
    if not IS_PG:
        return TEMPLATE_FILE.exists() and not ARGS.rebuild
    with psycopg.connect(f"{_base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE_DB]).fetchone()
    if exists and not ARGS.rebuild:
        return True
    _admin(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}"')
    _admin(f'CREATE DATABASE "{TEMPLATE_DB}"')
    return False


def build_template() -> None:
    """N open cases, their due dates settled (2027 unknown: the late ones 暂定), vacuumed."""
    connection.close()
    if not IS_PG:
        TEMPLATE_FILE.unlink(missing_ok=True)
    if IS_PG or not migrated_sqlite(TEMPLATE_FILE):  # SQLite: a copy of the cached migrated database
        call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build(N)
    with transaction.atomic():
        recompute_due_dates(actor=None, today=TODAY, reason="基准测试：结算初始期限")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
    print(f"template: {N:,} open cases built, settled and vacuumed in {time.perf_counter() - t0:.1f} s")


def fresh_copy() -> None:
    """The run database: a copy of the settled template (same pages, same statistics)."""
    connection.close()
    if IS_PG:
        _admin(f'DROP DATABASE IF EXISTS "{RUN_DB}"')
        _admin(f'CREATE DATABASE "{RUN_DB}" TEMPLATE "{TEMPLATE_DB}"')
    else:
        shutil.copyfile(TEMPLATE_FILE, RUN_FILE)


def main() -> int:
    if not template_ready():
        build_template()
    else:
        print(f"template: reused ({TEMPLATE_URL.rpartition('/')[2]}; --rebuild to build it again)")
    env = {
        **os.environ,
        "DATABASE_URL": RUN_URL,
        # As an administrator runs it in production: DEBUG off (DEBUG keeps every query's SQL).
        "GONGKAI_DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "localhost",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times: list[float] = []
    cpus: list[float] = []  # the command's own CPU seconds (user + system): fair on a loaded machine
    peaks: list[float] = []
    summary = ""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2027.toml"
        path.write_text(CALENDAR_TEXT, encoding="utf-8")
        for _ in range(ARGS.reps):
            fresh_copy()
            t0, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            peak_kb, run = run_measured([sys.executable, "-m", "gongkai", "calendar", "load", str(path)], env)
            times.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            peaks.append(peak_kb / 1024)
            if run.returncode != 0:
                print(run.stdout[-2000:], run.stderr[-2000:])
                return 1
            summary = next((line for line in run.stdout.splitlines() if "重新计算" in line), run.stdout[:200])
    floor_s, expected = floor()
    found = re.search(r"(\d+)件案件的期限有变化", summary)
    reported = int(found.group(1)) if found else -1
    assert reported == expected, f"the command moved {reported} cases, the core alone finds {expected}"
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"database: {connection.vendor}, {N:,} open cases; command: gongkai calendar load 2027.toml → {summary}")
    best, median = min(times), statistics.median(times)
    ok = median < TARGET_SECONDS and max(peaks) < TARGET_MB
    verdict = "✓" if ok else "✗"
    print(
        f"calendar load as a process over {len(times)} runs: min {best:.2f} s, median {median:.2f} s, "
        f"peak {max(peaks):.0f} MB; floor (core only, in memory) {floor_s:.2f} s; "
        f"ratio {median / floor_s:.1f}× — target < {TARGET_SECONDS:.0f} s and < {TARGET_MB} MB: {verdict}"
    )
    # The database server's own work (PostgreSQL) is not in the command's CPU time.
    print(
        f"the command's CPU time (user + system): min {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s; "
        f"load average {load}"
    )
    print(f"(moved cases {expected:,}, equal to the core's own count)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
