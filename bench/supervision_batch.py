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
from web_jobs import (  # noqa: E402
    WORKER_TIMEOUT,
    Browser,
    Probe,
    Server,
    follow,
    job_path,
    load,
    measure_pages,
    summary,
)

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
    with Server(os.environ["DATABASE_URL"], redis_url=args.redis) as server:
        browser = Browser(server.base)
        browser.login(username, PASSWORD)
        other = Browser(server.base)
        other.login(username, PASSWORD)
        idle = measure_pages(other, pages)
        t0 = time.perf_counter()
        with Probe(other, pages) as probe:
            upload = browser.post(
                "/office/supervision/", {"title": "基准测试批次"}, {"documents": ("reports.zip", data)}
            )
            assert upload.status == 302, f"upload answered {upload.status}: {upload.text()[:300]}"
            job = job_path(upload.location)
            page = browser.get(job)
            assert page.status == 200 and "<progress" in page.text(), "the job page has no progress bar"
            followed = follow(browser, job)
        total = time.perf_counter() - t0
        status = followed.status
        assert status["status"] == "done", status
        result = browser.get(status["next_url"])
        timeouts = server.worker_timeouts()
        errors = server.server_errors()
    where = f"a Celery worker on {args.redis}" if args.redis else "a thread of the gunicorn worker (no broker)"
    print(f"batch ran in: {where}")
    print(
        f"upload request (store {args.files} files, queue the job): {upload.seconds:6.2f} s  (worker timeout {WORKER_TIMEOUT} s)"
    )
    print(f"upload to batch done:  {total:6.1f} s  {args.files / total:5.1f} files/s")
    print(f"progress bar values seen: {' '.join(f'{p}%' for p in followed.percents)}")
    print(f"status.json during the batch: {summary(followed.poll_seconds)}")
    for path in pages:
        print(f"{path:<22} idle:         {summary(idle[path])}")
        print(f"{path:<22} during batch: {summary(probe.latencies.get(path, []))}")
    print(f"batch page {result.status}; HTTP errors of other pages: {len(probe.errors)} {probe.errors[:3]}")
    print(f"gunicorn WORKER TIMEOUT lines: {timeouts}; 5xx lines in the log: {len(errors)}; load after {load()}")
    ok = timeouts == 0 and not errors and not probe.errors and result.status == 200
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
