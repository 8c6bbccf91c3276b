"""A supervisor's batch of ``--files`` published reports (default 1,000) uploaded THROUGH THE WEB
as one .zip to a real gunicorn on 127.0.0.1:8108 (3 sync workers, 30 s worker timeout;
``bench/web_jobs.py``), read and checked in the background while other pages are used.

The reports are those of ``bench/audit_dir.py`` (the Miyun sample varied per agency and year,
written as text, web page and Word in turn). Prints the upload's answer time (it stores the files
and queues the job), the batch's time to done with the progress values its page showed, and the
latency of other pages — the supervisor's desk, the batch list, the portal's home — idle first,
then while the batch runs (a second browser requesting them in turn), with the worker timeouts
and 5xx lines in gunicorn's log (both must be 0).

    .venv/bin/python bench/supervision_batch.py [--files 1000] [--db sqlite|postgres] [--redis redis://127.0.0.1:6379/9]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ledger_import import configure  # noqa: E402  (bench/ is on the path: run as a script)
from web_jobs import WORKER_TIMEOUT, load, summary, upload_and_follow, where_jobs_ran  # noqa: E402

PASSWORD = "bench-password-123"  # noqa: S105 - a throw-away bench user


def reports_zip(files: int) -> bytes:
    from audit_dir import build

    years = 4
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        count = build(folder, agencies=-(-files // years), years=years, pdf_copies=0)
        names = sorted(folder.iterdir())[:files]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in names:
                archive.write(path, path.name)
        assert count >= files
        return buffer.getvalue()


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
    parser.add_argument("--redis", default="", help="a Redis URL: the batch runs on a Celery worker")
    args = parser.parse_args(argv)
    configure(args.db)
    t0 = time.perf_counter()
    data = reports_zip(args.files)
    print(
        f"{args.files} report files (text/HTML/Word), zipped {len(data) / 2**20:.1f} MB in {time.perf_counter() - t0:.1f} s"
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
    print(f"batch page {run.result.status}; HTTP errors of other pages: {len(run.probe.errors)} {run.probe.errors[:3]}")
    print(run.server_line())
    print("OK" if run.ok else "FAILED")
    return 0 if run.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
