"""Two gunicorn nodes over one PostgreSQL and one Redis, with one Celery worker (issue 16 item 4):
a bounded burst on loopback at both nodes gives no 5xx, the online-application limit holds across
both nodes together, case numbers stay unique, and a batch started on node A shows its progress on
node B."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from gongkai.cases.models import Case
from gongkai.jobs.models import Job
from gongkai.portal.ratelimit import DEFAULT_LIMITS
from tests.supervision.conftest import as_text, consistent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
REDIS = os.environ.get("GONGKAI_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")
BURST_SECONDS = float(os.environ.get("GONGKAI_BURST_SECONDS", "20"))
CLIENTS = int(os.environ.get("GONGKAI_BURST_CLIENTS", "50"))
PASSWORD = "many-nodes-Pass-2026"
APPLICATION = {
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "email": "zhangsan@example.cn",
    "address": "北京市密云区果园街道某小区1号楼",
    "postal_code": "101500",
    "request_description": "请公开2023年老旧小区综合整治项目的实施方案及资金预算。",
    "document_number": "",
    "provision_form": "electronic",
    "delivery_method": "email",
    "website": "",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path, queue: str) -> dict[str, str]:
    db = connection.settings_dict
    return dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=REDIS,
        CACHE_KEY_PREFIX=queue,
        CELERY_QUEUE=queue,
        GONGKAI_VAR_DIR=str(tmp / "var"),
        GONGKAI_MEDIA_ROOT=str(tmp / "media"),
        SMS_BACKEND="disabled",
        DJANGO_SETTINGS_MODULE="gongkai.settings",
        LOGIN_THROTTLING="false",
    )


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True, stdout=handle, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _wait_healthy(base: str) -> None:
    for _ in range(150):
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not come up")


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, f"no CSRF token on {url} ({page.status_code})"
    return found.group(1)


@pytest.fixture
def nodes(tree: Any, tmp_path: Path) -> Any:
    queue = f"nodes-{uuid.uuid4().hex[:8]}"
    env = _env(tmp_path, queue)
    (tmp_path / "var").mkdir()
    ports = [_free_port(), _free_port()]
    processes = [
        _start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "gongkai.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "8",
                "--timeout",
                "60",
            ],
            env,
            tmp_path / f"node{port}.log",
        )
        for port in ports
    ]
    processes.append(
        _start(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "gongkai.jobs.celery",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                f"w-{queue}@localhost",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
            ],
            env,
            tmp_path / "worker.log",
        )
    )
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait_healthy(base)
        yield bases
    finally:
        for process in processes:
            _stop(process)


def test_two_nodes_under_a_burst(tree: Any, nodes: list[str]) -> None:
    agency = tree.street_a
    supervisor = tree.supervisor
    # The nodes check passwords with the production hashers (the suite's own are faster ones).
    supervisor.password = PBKDF2PasswordHasher().encode(PASSWORD, "manynodes0salt", iterations=1000)
    supervisor.save()
    node_a, node_b = nodes

    # A supervision batch started on node A …
    staff_a = requests.Session()
    token = _csrf(staff_a, f"{node_a}/login/")
    login = staff_a.post(
        f"{node_a}/login/",
        {"username": supervisor.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        timeout=30,
    )
    assert login.status_code == 200 and "/login/" not in login.url, login.text[:300]
    token = _csrf(staff_a, f"{node_a}/office/supervision/")
    text = as_text(consistent(agency.name, 2023))
    files = [("documents", (f"{i:03d}.txt", text, "text/plain")) for i in range(60)]
    started = staff_a.post(
        f"{node_a}/office/supervision/",
        data={"title": "两个节点", "csrfmiddlewaretoken": token},
        files=files,
        timeout=60,
        allow_redirects=False,
    )
    assert started.status_code == 302 and "/office/jobs/" in started.headers["Location"], started.text[:300]
    job_path = started.headers["Location"]

    # … while a burst of citizens hits both nodes.
    deadline = time.monotonic() + BURST_SECONDS
    statuses: Counter[int] = Counter()
    applied = Counter()

    def client(index: int) -> None:
        base = nodes[index % 2]
        session = requests.Session()
        while time.monotonic() < deadline:
            for path in ("/", f"/a/{agency.code}/", "/search/?q=%E5%85%AC%E5%BC%80"):
                statuses[session.get(base + path, timeout=60).status_code] += 1
            token = _csrf(session, f"{base}/a/{agency.code}/apply/")
            answer = session.post(
                f"{base}/a/{agency.code}/apply/",
                {**APPLICATION, "csrfmiddlewaretoken": token},
                timeout=60,
                allow_redirects=False,
            )
            statuses[answer.status_code] += 1
            if answer.status_code == 302:
                applied[base] += 1

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))

    # … and node B shows the batch's progress, through the shared session and database.
    staff_b = requests.Session()
    staff_b.cookies.update(staff_a.cookies)
    progress = staff_b.get(f"{node_b}{job_path}status.json", timeout=30)
    assert progress.status_code == 200 and progress.json()["total"] == 120, progress.text[
        :300
    ]  # 60 reads, then 60 checks
    job = Job.objects.get()
    for _ in range(300):
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.status == "done", (job.status, job.error)
    assert staff_b.get(f"{node_b}{job_path}status.json", timeout=30).json()["percent"] == 100

    print(
        f"\nburst {BURST_SECONDS:.0f} s × {CLIENTS} clients on 2 nodes: {dict(sorted(statuses.items()))}, cases {dict(applied)}"
    )
    assert not [code for code in statuses if code >= 500], statuses
    limit = DEFAULT_LIMITS["apply_hour"][0]
    cases = Case.objects.filter(agency=agency)
    assert cases.count() == sum(applied.values()) == limit, (applied, statuses)  # both nodes together
    assert set(applied) == set(nodes) or sum(applied.values()) == limit
    numbers = list(cases.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert statuses[429] > 0
