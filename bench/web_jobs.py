"""What the background-job benches share: a real gunicorn (production settings, DEBUG off, the
stock 30 s worker timeout) on a loopback port, optionally a Celery worker on Redis, and a
browser-like client (cookies, CSRF, multipart upload) that follows a job's progress the way its
page does (``status.json`` every half second) and probes other pages' latency meanwhile.

Used by ``bench/ledger_import.py --web`` and ``bench/supervision_batch.py``.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The loopback port of the bench server: ``BENCH_PORT`` (or a bench's ``--port``), so two benches never collide.
PORT = int(os.environ.get("BENCH_PORT", "8108"))
WORKER_TIMEOUT = 30  # gunicorn's default, stated so the bench shows what it proves


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """Cookies and CSRF like a browser; redirects are returned, not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None, timeout: float = 120
    ) -> Answer:
        url = path if path.startswith("http") else self.base + path
        req = urllib.request.Request(url, data=data, headers={"Referer": self.base + "/", **(headers or {})})  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=timeout) as response:
                body = response.read()
                status, hdrs = response.status, dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            body, status, hdrs = exc.read(), exc.code, dict(exc.headers.items())
        return Answer(status, {k.lower(): v for k, v in hdrs.items()}, body, time.perf_counter() - started)

    def get(self, path: str, timeout: float = 120) -> Answer:
        return self.request(path, timeout=timeout)

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None) -> Answer:
        if not self._csrf():
            self.get(path)
        fields = {"csrfmiddlewaretoken": self._csrf(), **fields}
        if not files:
            body = urllib.parse.urlencode(fields).encode()
            return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in files.items():
            parts.append(  # the file name as a browser sends it: UTF-8, unquoted
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def login(self, username: str, password: str) -> None:
        self.get("/login/")
        answer = self.post("/login/", {"username": username, "password": password})
        assert answer.status == 302, f"login failed: {answer.status}"


def job_path(location: str) -> str:
    found = re.search(r"/office/jobs/([0-9a-f-]{36})/", location)
    assert found, f"not a job page: {location!r}"
    return f"/office/jobs/{found.group(1)}/"


@dataclass
class Followed:
    seconds: float
    status: dict[str, Any]
    percents: list[int]
    poll_seconds: list[float]


def follow(browser: Browser, job: str, limit: float = 3600) -> Followed:
    """Poll the job's ``status.json`` every 0.5 s (what its page's script does) until it ends."""
    started = time.perf_counter()
    percents: list[int] = []
    polls: list[float] = []
    while True:
        answer = browser.get(job + "status.json")
        assert answer.status == 200, f"status.json answered {answer.status}: {answer.text()[:500]}"
        polls.append(answer.seconds)
        status = json.loads(answer.body)
        if os.environ.get("BENCH_VERBOSE"):
            print(f"  {time.perf_counter() - started:6.1f} s  {answer.seconds * 1000:6.0f} ms  {status}")
        if not percents or percents[-1] != status["percent"]:
            percents.append(status["percent"])
        if status["finished"]:
            return Followed(time.perf_counter() - started, status, percents, polls)
        if time.perf_counter() - started > limit:
            raise TimeoutError(f"job still running after {limit:.0f} s: {status}")
        time.sleep(0.5)


@dataclass
class Probe:
    """Other pages requested in turn, one at a time, while a job runs: their latencies."""

    browser: Browser
    paths: list[str]
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.is_set():
            for path in self.paths:
                answer = self.browser.get(path)
                if answer.status >= 400:
                    self.errors.append(f"{path}: {answer.status}")
                self.latencies.setdefault(path, []).append(answer.seconds)
                time.sleep(0.2)

    def __enter__(self) -> Probe:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)


def measure_pages(browser: Browser, paths: list[str], rounds: int = 5) -> dict[str, list[float]]:
    """Each page ``rounds`` times, idle (the baseline of :class:`Probe`)."""
    out: dict[str, list[float]] = {}
    for _ in range(rounds):
        for path in paths:
            answer = browser.get(path)
            assert answer.status < 400, f"{path}: {answer.status}"
            out.setdefault(path, []).append(answer.seconds)
    return out


@dataclass
class JobRun:
    """One upload through the web, followed to its end: what both job benches print."""

    upload: Answer
    followed: Followed
    seconds: float  # upload sent to job done
    result: Answer  # the job's ``next_url``
    idle: dict[str, list[float]]  # the probed pages before the upload (empty without ``idle_rounds``)
    probe: Probe
    worker_timeouts: int
    server_errors: list[str]

    @property
    def ok(self) -> bool:
        """No worker timeout, no 5xx, no probed page failed, the result page answered."""
        return not (self.worker_timeouts or self.server_errors or self.probe.errors) and self.result.status == 200

    peak_mb: dict[str, float] = field(default_factory=dict)  # peak resident memory (VmHWM) by process role
    after: dict[str, Answer] = field(default_factory=dict)  # pages under the result's URL, fetched when done

    def server_line(self) -> str:
        return (
            f"gunicorn WORKER TIMEOUT lines: {self.worker_timeouts}; 5xx lines in the log: {len(self.server_errors)};"
            f" load after {load()}"
        )

    def memory_line(self) -> str:
        return "peak memory (VmHWM): " + ", ".join(f"{k} {v:.0f} MB" for k, v in self.peak_mb.items())


def where_jobs_ran(redis_url: str) -> str:
    return f"a Celery worker on {redis_url}" if redis_url else "a thread of the gunicorn worker (no broker)"


def upload_and_follow(
    database_url: str,
    *,
    redis_url: str,
    username: str,
    password: str,
    form: str,
    fields: dict[str, str],
    files: dict[str, tuple[str, bytes]],
    probe_paths: list[str],
    idle_rounds: int = 0,
    after: tuple[str, ...] = (),
) -> JobRun:
    """Start a server, log in twice (the uploader and another tab probing ``probe_paths``), post
    ``files`` to ``form``, check the answer is the job's page with a progress bar, follow the job
    until it is done and fetch its result page."""
    with Server(database_url, redis_url=redis_url) as server:
        browser = Browser(server.base)
        browser.login(username, password)
        other = Browser(server.base)  # the same user on another tab
        other.login(username, password)
        assert browser.get(form).status == 200, f"{form} did not answer 200"
        idle = measure_pages(other, probe_paths, idle_rounds) if idle_rounds else {}
        started = time.perf_counter()
        with Probe(other, probe_paths) as probe:
            upload = browser.post(form, fields, files)
            assert upload.status == 302, f"upload answered {upload.status}: {upload.text()[:300]}"
            job = job_path(upload.location)
            page = browser.get(job)
            assert page.status == 200 and "<progress" in page.text(), "the job page has no progress bar"
            followed = follow(browser, job)
        seconds = time.perf_counter() - started
        assert followed.status["status"] == "done", followed.status
        result = browser.get(followed.status["next_url"])
        pages = {suffix: browser.get(followed.status["next_url"] + suffix) for suffix in after}
        return JobRun(
            upload, followed, seconds, result, idle, probe, server.worker_timeouts(), server.server_errors(),
            server.peak_memory(), pages,
        )  # fmt: skip


def summary(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"n={len(values):>3}  p50 {statistics.median(values) * 1000:7.0f} ms  p95 {p95 * 1000:7.0f} ms  max {ordered[-1] * 1000:7.0f} ms"


class Server:
    """gunicorn (``workers`` sync workers, timeout 30 s) on 127.0.0.1:PORT over ``database_url``;
    with ``redis_url`` also one Celery worker, and the jobs go to it instead of a thread pool."""

    def __init__(self, database_url: str, *, workers: int = 3, redis_url: str = "", threads: int = 2) -> None:
        self.var = Path(tempfile.mkdtemp(prefix="gk-bench-jobs-"))
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "jobs_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
            "GONGKAI_DEBUG": "false",
            "GONGKAI_VAR_DIR": str(self.var),
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "JOBS_THREADS": str(threads),
            "ACCESS_LOG": "true",
            "REDIS_URL": redis_url,
            "CELERY_QUEUE": f"gk-bench-{os.getpid()}",
            "CACHE_KEY_PREFIX": f"gk-bench-{os.getpid()}",
        }
        self.workers = workers
        self.redis_url = redis_url
        self.log = self.var / "gunicorn.log"
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Server:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], env=self.env, check=True
        )
        bindir = Path(sys.executable).parent
        gunicorn = shutil.which("gunicorn", path=str(bindir))
        log = self.log.open("wb")
        self.processes.append(
            subprocess.Popen(
                [str(gunicorn), "-w", str(self.workers), "-b", f"127.0.0.1:{PORT}", "--timeout", str(WORKER_TIMEOUT),
                 "--log-level", "info", "gongkai.wsgi:application"],
                env=self.env, cwd=ROOT, stdout=log, stderr=log,
            )
        )  # fmt: skip
        if self.redis_url:
            celery = shutil.which("celery", path=str(bindir))
            self.processes.append(
                subprocess.Popen(
                    [str(celery), "-A", "gongkai.jobs.celery", "worker", "-l", "WARNING", "-c", "1",
                     "-Q", self.env["CELERY_QUEUE"]],
                    env=self.env, cwd=ROOT, stdout=log, stderr=log,
                )
            )  # fmt: skip
        browser = Browser(self.base)
        for _ in range(150):
            try:
                if browser.get("/healthz", timeout=5).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"the server did not start; see {self.log}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{PORT}"

    def worker_timeouts(self) -> int:
        return self.log.read_text(errors="replace").count("WORKER TIMEOUT")

    def peak_memory(self) -> dict[str, float]:
        """The largest peak resident set (``VmHWM``, MB) among each started process and its children:
        ``gunicorn`` (its workers run the thread-pool jobs) and ``celery`` (the prefork child runs them)."""
        out: dict[str, float] = {}
        for name, process in zip(("gunicorn", "celery"), self.processes, strict=False):
            pids = [process.pid, *_children(process.pid)]
            out[name] = max((_hwm_mb(pid) for pid in pids), default=0.0)
        return out

    def server_errors(self) -> list[str]:
        return [line for line in self.log.read_text(errors="replace").splitlines() if '"status": 5' in line]

    def __exit__(self, *exc: Any) -> None:
        for process in reversed(self.processes):
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if os.environ.get("BENCH_KEEP_LOG"):
            print(f"server log kept: {self.log}")
        else:
            shutil.rmtree(self.var, ignore_errors=True)


def _children(pid: int) -> list[int]:
    try:
        found = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [p for c in found for p in (c, *_children(c))]


def _hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())
