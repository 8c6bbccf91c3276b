"""The command line, the demo data, and production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_needs_no_database(capsys: pytest.CaptureFixture[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    out = subprocess.run(
        [sys.executable, "-m", "gongkai", "--help"], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    assert "gongkai" in out.stdout
    assert main([]) == 0


@pytest.mark.django_db
def test_demo_data_is_idempotent() -> None:
    from gongkai.backoffice.demo import load_foundation

    load_foundation()
    counts = (Agency.objects.count(), User.objects.count())
    load_foundation()
    assert (Agency.objects.count(), User.objects.count()) == counts
    gy = Agency.objects.get(name="北京市密云区果园街道办事处")
    assert gy.parent is not None and gy.parent.name == "北京市密云区人民政府"
    assert User.objects.get(username="gy_officer").check_password("gongkai-demo-2024")


def test_core_imports_no_django() -> None:
    for path in (ROOT / "gongkai" / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, path


def test_deploy_check_is_clean_with_production_settings() -> None:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright in this process; production never has it.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        GONGKAI_DEBUG="false",
        SECRET_KEY="x" * 20 + "production-secret-key-0123456789abcdef",
        ALLOWED_HOSTS="gongkai.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_requires_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(GONGKAI_DEBUG="false", ALLOWED_HOSTS="gongkai.example")
    result = subprocess.run([sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
