"""Load a calendar year into a database of open cases: the real command, timed as users wait for it.

When the 2027 holiday notice is published, an administrator runs ``gongkai calendar load
2027.toml``: the year is stored and every open case's due date recomputed, stored, audited and
(for those that moved) noticed. This bench builds N open cases (receipts spread over 2026, with
补正, consultations and approved extensions in realistic shares), settles their due dates, runs
VACUUM/ANALYZE, then times the command as a whole process and prints its peak memory. The floor
is the core's own computation of the same N cases' due dates in memory (no database), measured in
the same run.

Run: .venv/bin/python bench/calendar_reload.py [N]     (default 100,000; `make bench` uses 5,000)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/gk_bench .venv/bin/python bench/calendar_reload.py
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
OUT.mkdir(parents=True, exist_ok=True)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
if "DATABASE_URL" not in os.environ:
    db_file = OUT / f"calendar_reload_{N}.sqlite3"
    db_file.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
os.environ.setdefault("GONGKAI_VAR_DIR", str(OUT / "var"))
TARGET_SECONDS = 10.0
TARGET_MB = 300

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from gongkai.agencies.models import Agency, AgencyLevel  # noqa: E402
from gongkai.cases.clock import clock_events, clock_of, fee_clock_rule  # noqa: E402
from gongkai.cases.due_dates import recompute_due_dates  # noqa: E402
from gongkai.cases.models import Case, Consultation, Extension  # noqa: E402
from gongkai.core.calendar import DATA_DIR  # noqa: E402
from gongkai.core.case_flow import Status  # noqa: E402
from gongkai.core.deadlines import Channel, ConsultedParty  # noqa: E402
from gongkai.core.report.taxonomy import ApplicantType  # noqa: E402
from gongkai.workcalendar.provider import working_calendar  # noqa: E402


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


def floor_seconds() -> float:
    """The core alone: the same cases' due dates with 2027 in the calendar, in memory."""
    calendar = working_calendar()
    rule = fee_clock_rule()
    cases = list(
        Case.objects.open()
        .filter(received_on__isnull=False)
        .prefetch_related("consultations", "extensions", "fee_notices")
        .order_by("pk")
    )
    events = [(c.received_on, clock_events(c)) for c in cases]
    t0 = time.perf_counter()
    for received, evs in events:
        clock_of(received, evs, today=date(2026, 12, 1), calendar=calendar, rule=rule)
    return time.perf_counter() - t0


def main() -> int:
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build(N)
    print(f"database: {connection.vendor}, {N:,} open cases built in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    with transaction.atomic():
        recompute_due_dates(actor=None, today=date(2026, 12, 1), reason="基准测试：结算初始期限")
    print(f"settle: first recompute (2027 unknown, dates 暂定) {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
    connection.close()

    text = (DATA_DIR / "2027.example.toml").read_text(encoding="utf-8").replace("example = true", "example = false")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2027.toml"
        path.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        peak_kb, run = run_measured(
            [sys.executable, "-m", "gongkai", "calendar", "load", str(path)],
            # As an administrator runs it in production: DEBUG off (DEBUG keeps every query's SQL).
            env={
                **os.environ,
                "GONGKAI_DEBUG": "false",
                "SECRET_KEY": "bench-" + "x" * 50,
                "ALLOWED_HOSTS": "localhost",
            },
        )
        seconds = time.perf_counter() - t0
        peak_mb = peak_kb / 1024
    if run.returncode != 0:
        print(run.stdout[-2000:], run.stderr[-2000:])
        return 1
    summary = next((line for line in run.stdout.splitlines() if "重新计算" in line), run.stdout.strip()[:200])
    print(f"command: gongkai calendar load 2027.toml → {summary}")
    floor = floor_seconds()
    moved = Case.objects.filter(due_is_provisional=False, due_on__year=2027).count()
    print(f"  cases with a 2027 due date now final: {moved:,}")
    verdict = "OK" if seconds < TARGET_SECONDS and peak_mb < TARGET_MB else "OVER TARGET"
    print(
        f"calendar load: {seconds:.2f} s as a process, peak {peak_mb:.0f} MB; floor (core only, in memory) "
        f"{floor:.2f} s; ratio {seconds / floor:.1f}× — target < {TARGET_SECONDS:.0f} s and < {TARGET_MB} MB: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
