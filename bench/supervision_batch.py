"""A supervisor's batch of ``--files`` published reports (default 1,000) uploaded THROUGH THE WEB
as one .zip to a real gunicorn on 127.0.0.1:8108 (3 sync workers, 30 s worker timeout;
``bench/web_jobs.py``), read and checked in the background while other pages are used.

The reports are those of ``bench/audit_dir.py`` (the Miyun sample varied per agency and year,
written as text, web page and Word in turn). Prints the upload's answer time (it stores the files
and queues the job), the batch's time to done with the progress values its page showed, and the
latency of other pages — the supervisor's desk, the batch list, the portal's home — idle first,
then while the batch runs (a second browser requesting them in turn), with the worker timeouts
and 5xx lines in gunicorn's log (both must be 0).

``--bad N`` makes N of the files bad ones, in turn: random bytes named .pdf, a Word file cut
short, an empty file, a text that is no report, and a zip bomb member (5 MB of zeros packed to
~5 KB, refused alone); each must come out 无法读取 with its reason, the others read as usual.
The batch's statuses are printed with a digest of (file, status, errors, warnings) over all rows:
the same code and options give the same digest on either database. ``--port`` (or BENCH_PORT)
moves the server off 8108. Peak memory is the largest VmHWM of the gunicorn processes and of the
Celery worker's processes.

    .venv/bin/python bench/supervision_batch.py [--files 1000] [--bad 20] [--db sqlite|postgres]
        [--redis redis://127.0.0.1:6379/10] [--port 8108]
    .venv/bin/python bench/supervision_batch.py --checks-only --files 2000   # the checks alone, by size
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import web_jobs  # noqa: E402
from ledger_import import configure  # noqa: E402  (bench/ is on the path: run as a script)
from web_jobs import WORKER_TIMEOUT, load, summary, upload_and_follow, where_jobs_ran  # noqa: E402

PASSWORD = "bench-password-123"  # noqa: S105 - a throw-away bench user


def bad_file(index: int, good: bytes) -> tuple[str, bytes]:
    """The ``index``-th bad file, in turn: garbage, a cut docx, empty, not a report, a zip bomb."""
    rng = random.Random(index)
    kind = index % 5
    if kind == 0:
        return f"bad{index:04d}-garbage.pdf", bytes(rng.getrandbits(8) for _ in range(20_000))
    if kind == 1:
        return f"bad{index:04d}-cut.docx", good[: len(good) // 3]
    if kind == 2:
        return f"bad{index:04d}-empty.txt", b""
    if kind == 3:
        return f"bad{index:04d}-notes.txt", ("会议纪要：今天讨论了食堂的菜单。" * 200).encode()
    return f"bad{index:04d}-bomb.txt", b"\0" * 5_000_000


def reports_zip(files: int, bad: int = 0) -> bytes:
    """The batch as one .zip, built once per (files, bad) and kept in ``var/bench/``."""
    cached = ROOT / "var" / "bench" / f"supervision-{files}-{bad}.zip"
    if cached.exists():
        return cached.read_bytes()
    data = _build_zip(files, bad)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def _build_zip(files: int, bad: int) -> bytes:
    from audit_dir import build

    years = 4
    good_count = files - bad
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        count = build(folder, agencies=max(1, -(-good_count // years)), years=years, pdf_copies=0)
        names = sorted(folder.iterdir())[:good_count]
        docx = next(p for p in sorted(folder.iterdir()) if p.suffix == ".docx").read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in names:
                archive.write(path, path.name)
            for index in range(bad):
                archive.writestr(*bad_file(index, docx))
        assert count >= good_count
        return buffer.getvalue()


def batch_digest(batch_id: int) -> tuple[dict[str, int], str, int]:
    """The batch's files by status, a digest of (file, status, errors, warnings, reason) in order,
    and the number of rows."""
    from gongkai.supervision.models import ReadReport

    rows = list(
        ReadReport.objects.filter(batch_id=batch_id)
        .order_by("position")
        .values_list("file_name", "status", "error_count", "warning_count", "read_error")
    )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[1]] = counts.get(row[1], 0) + 1
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    return counts, digest, len(rows)


def checks_only(sizes: list[int]) -> int:
    """The batch's checks alone, in process (no server, no database): ``audit_reports`` on n
    reports against the floor, the per-report checks (``check_report`` with its previous year,
    ``check_narrative``) that any version must run once per report. The ratio stays flat as n
    grows when matching a report to its previous year and twins is linear."""
    import random as _random

    from audit_dir import SAMPLES, varied

    from gongkai.core.report.checks import check_report
    from gongkai.core.report.crosscheck import Entry, audit_reports, check_narrative
    from gongkai.core.report.readers import read_report

    base = read_report(SAMPLES / "miyun-guoyuan-2023.txt")
    check_narrative(base)  # warm up (regular expressions compiled once)
    for n in sizes:
        rng = _random.Random(n)
        entries: list[Entry] = []
        for a in range(-(-n // 4)):
            carried = 0
            for y in range(4):
                report = varied(base, f"测试市测试区第{a}街道办事处", 2021 + y, carried, rng)
                carried = report.table3["carried_forward"][6] or 0
                entries.append(Entry(f"a{a:04d}-{2021 + y}", report))
        entries = entries[:n]
        floors = []
        for _ in range(2):  # the better of two
            started = time.perf_counter()
            for i, entry in enumerate(entries):
                check_report(entry.report, entries[i - 1].report if i % 4 else None)
                check_narrative(entry.report)
            floors.append(time.perf_counter() - started)
        floor = min(floors)
        started = time.perf_counter()
        results = audit_reports(entries)
        took = time.perf_counter() - started
        paired = sum(r.previous is not None for r in results)
        print(
            f"checks of {n:>5} reports: {took:6.2f} s  floor {floor:6.2f} s  ratio {took / floor:4.2f}"
            f"  ({paired} paired with their previous year)"
        )
    return 0


def supervisor() -> str:
    from gongkai.accounts.models import Role
    from gongkai.accounts.services import create_user
    from gongkai.agencies.models import AgencyLevel
    from gongkai.agencies.services import create_agency

    stamp = f"{time.time_ns() % 10**9}"
    agency = create_agency(
        actor=None, code=f"BENCH-S{stamp}", name=f"基准测试{stamp}区人民政府", level=AgencyLevel.COUNTY
    )
    user = create_user(actor=None, username=f"bench_s{stamp}", password=PASSWORD, role=Role.SUPERVISOR, agency=agency)
    return str(user.username)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--bad", type=int, default=0, help="how many of the files are bad (garbage, cut, empty, bomb)")
    parser.add_argument("--redis", default="", help="a Redis URL: the batch runs on a Celery worker")
    parser.add_argument(
        "--port", type=int, default=web_jobs.PORT, help="the server's port (default BENCH_PORT or 8108)"
    )
    parser.add_argument("--checks-only", action="store_true", help="time the checks alone at 250…--files reports")
    args = parser.parse_args(argv)
    if args.checks_only:
        return checks_only(sorted({min(n, args.files) for n in (250, 500, 1000, 2000)} | {args.files}))
    web_jobs.PORT = args.port
    configure(args.db)
    t0 = time.perf_counter()
    data = reports_zip(args.files, args.bad)
    print(
        f"{args.files} report files (text/HTML/Word, {args.bad} bad), zipped {len(data) / 2**20:.1f} MB"
        f" in {time.perf_counter() - t0:.1f} s"
    )
    username = supervisor()
    pages = ["/office/", "/office/supervision/", "/"]
    print(f"database {os.environ['DATABASE_URL'].split('@')[-1]}; load before {load()}")
    run = upload_and_follow(
        os.environ["DATABASE_URL"],
        redis_url=args.redis,
        username=username,
        password=PASSWORD,
        form="/office/supervision/",
        fields={"title": "基准测试批次"},
        files={"documents": ("reports.zip", data)},
        probe_paths=pages,
        idle_rounds=5,
        after=("?page=10", "findings.xlsx"),
    )
    print(f"batch ran in: {where_jobs_ran(args.redis)}")
    print(
        f"upload request (store {args.files} files, queue the job): {run.upload.seconds:6.2f} s  (worker timeout {WORKER_TIMEOUT} s)"
    )
    print(f"upload to batch done:  {run.seconds:6.1f} s  {args.files / run.seconds:5.1f} files/s")
    print(f"progress bar values seen: {' '.join(f'{p}%' for p in run.followed.percents)}")
    print(f"status.json during the batch: {summary(run.followed.poll_seconds)}")
    for path in pages:
        print(f"{path:<22} idle:         {summary(run.idle[path])}")
        print(f"{path:<22} during batch: {summary(run.probe.latencies.get(path, []))}")
    for suffix, answer in run.after.items():
        print(
            f"batch page {suffix:<14} {answer.status}  {answer.seconds * 1000:7.0f} ms  {len(answer.body) / 1024:7.0f} KB"
        )
    print(
        f"batch page {run.result.status} {run.result.seconds * 1000:.0f} ms; HTTP errors of other pages: {len(run.probe.errors)} {run.probe.errors[:3]}"
    )
    print(run.server_line())
    print(run.memory_line())
    batch_id = int(re.search(r"/batches/(\d+)/", run.followed.status["next_url"]).group(1))  # type: ignore[union-attr]
    counts, digest, rows = batch_digest(batch_id)
    print(f"rows {rows} (files {args.files}); by status {counts}; digest {digest}")
    ok = (
        run.ok
        and all(a.status == 200 for a in run.after.values())
        and rows == args.files
        and counts.get("unreadable", 0) >= args.bad
        and not counts.get("pending")
    )
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
