"""The public portal as visitors get it: pages served by gunicorn, requested over HTTP at a fixed
concurrency, against a bare Django view ("hello", through the same middleware) in the same run.

Targets (issue 19): the catalogue, an agency's home, an item and the portal home ≥ 50 % of the
bare view's requests per second; search ≥ 25 %. The database is bench/portal.py's (built once
and kept, N published items in one agency). gunicorn runs the production settings (DEBUG off,
static files collected) with 3 sync workers; the load generator is this process (asyncio,
keep-alive connections), on the same 2-core machine: its own CPU is part of every figure, the
bare view's included. After a warm-up of each page, the pages and the bare view take turns in
several rounds (so a change of load on a shared machine hits them alike); each figure is the sum
over the rounds.

Run: .venv/bin/python bench/portal_http.py [--items N] [--seconds S] [--concurrency C] [--db postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PORT = 8105
TARGETS = {"home": 0.5, "agency": 0.5, "catalogue": 0.5, "item": 0.5, "search": 0.25}


async def _one_connection(host: str, port: int, path: str, until: float, latencies: list[float]) -> int:
    """Requests on ``path`` until ``until``, one at a time, on a keep-alive connection; a new one
    when the server closes it (gunicorn's sync workers close after every response, so each
    request's time includes its connection, as a browser's first request to them does)."""
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Proto: https\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    done = 0
    while time.perf_counter() < until:
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                if status != 200:
                    raise RuntimeError(f"{path}: HTTP {status}")
                latencies.append(time.perf_counter() - started)
                done += 1
                if b"connection: close" in head.lower() or time.perf_counter() >= until:
                    break
                started = time.perf_counter()
        finally:
            writer.close()
    return done


async def _load(path: str, seconds: float, concurrency: int, latencies: list[float] | None = None) -> tuple[int, float]:
    """(requests done, seconds taken) on ``path`` for ``seconds``; latencies appended."""
    latencies = [] if latencies is None else latencies
    start = time.perf_counter()
    until = start + seconds
    counts = await asyncio.gather(
        *(_one_connection("127.0.0.1", PORT, path, until, latencies) for _ in range(concurrency))
    )
    return sum(counts), time.perf_counter() - start


def measure(pages: dict[str, str], seconds: float, concurrency: int, rounds: int) -> dict[str, tuple[float, float]]:
    """{page: (requests per second, median latency ms)}, the pages taking turns for ``rounds``."""
    for path in pages.values():
        asyncio.run(_load(path, 0.5, concurrency))  # warm-up (fills the caches)
    done = dict.fromkeys(pages, 0)
    spent = dict.fromkeys(pages, 0.0)
    latencies: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(rounds):
        for name, path in pages.items():
            n, elapsed = asyncio.run(_load(path, seconds / rounds, concurrency, latencies[name]))
            done[name] += n
            spent[name] += elapsed
    return {name: (done[name] / spent[name], statistics.median(latencies[name]) * 1000) for name in pages}


def _static_key() -> str:
    """A hash of what collectstatic reads: the project's static files, Django's and WhiteNoise's versions."""
    import hashlib

    import django
    import whitenoise

    digest = hashlib.sha256(f"{django.__version__} {getattr(whitenoise, '__version__', '')}".encode())
    for path in sorted((ROOT / "gongkai").glob("**/static/**/*")):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def collected_static(env: dict[str, str], var: Path) -> None:
    """``var/static``: the production static files (collected, compressed, hashed), collected once
    per version of them into ``bench/out/static-<hash>/`` and copied from there (collectstatic
    compresses every file: seconds on a loaded machine, and no part of serving a page)."""
    cached = ROOT / "bench" / "out" / f"static-{_static_key()}"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix="static-", dir=cached.parent))
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
            env={**env, "GONGKAI_VAR_DIR": str(building)},
            check=True,
        )
        try:
            os.replace(building / "static", cached)
        except OSError:  # another run collected them meanwhile
            if not cached.exists():
                raise
        shutil.rmtree(building, ignore_errors=True)
    shutil.rmtree(var / "static", ignore_errors=True)
    shutil.copytree(cached, var / "static")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=10.0, help="per page (default 10)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5, help="turns each page takes (default 5)")
    args = parser.parse_args()

    import portal as portal_bench  # bench/portal.py: the same database

    url = portal_bench.configure(args.db, args.items)
    agency = portal_bench.build(args.items)
    from gongkai.publications.models import Item

    item = Item.objects.published().filter(agency=agency).order_by("-published_on", "-id").first()
    assert item is not None
    pages = {
        "bare": "/__bare__/",
        "home": "/",
        "agency": f"/a/{agency.code}/",
        "catalogue": f"/a/{agency.code}/catalogue/",
        "item": f"/items/{item.pk}/",
        "search": "/search/?q=%E9%A2%84%E7%AE%97",  # 预算
    }
    var = Path(tempfile.mkdtemp(prefix="gk-bench-http-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "http_settings",
        "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
        "GONGKAI_DEBUG": "false",
        "GONGKAI_VAR_DIR": str(var),
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    collected_static(env, var)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        [str(gunicorn), "-w", str(args.workers), "-b", f"127.0.0.1:{PORT}", "--log-level", "warning",
         "gongkai.wsgi:application"],
        env=env,
        cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                asyncio.run(_load("/__bare__/", 0.05, 1, []))
                break
            except OSError:
                time.sleep(0.2)
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"gunicorn {args.workers} workers, {args.concurrency} connections, {args.seconds:g} s a page; "
            f"{url.split('@')[-1]}; load average before {load} (a shared machine: compare the ratios)"
        )
        rows = measure(pages, args.seconds, args.concurrency, args.rounds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)
    floor, floor_p50 = rows.pop("bare")
    print(f"{'page':<12}{'req/s':>9}{'p50 ms':>9}{'% of bare':>11}  target")
    print(f"{'bare':<12}{floor:>9.0f}{floor_p50:>9.1f}")
    ok = True
    for name, (rate, p50) in rows.items():
        share = rate / floor
        good = share >= TARGETS[name]
        ok = ok and good
        print(f"{name:<12}{rate:>9.0f}{p50:>9.1f}{share:>10.0%}  ≥ {TARGETS[name]:.0%} {'✓' if good else '✗'}")
    print("all pages met their target ✓" if ok else "some pages missed their target ✗")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
