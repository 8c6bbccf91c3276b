"""Migrated databases for the benches, built once per version of the migrations.

Migrating a new SQLite file runs every migration (8-9 s of CPU, about 20 s at load 4): the
benches that need an empty migrated database copy a cached one instead. The cache is keyed by a
hash of every migration file (``gongkai/*/migrations/*.py``), so a new or changed migration
builds a new one; a database a bench builds and keeps (the report, portal and calendar benches)
carries the same key in its name, so it is rebuilt, not reused with an old schema.

    from dbcache import migrations_key, migrated_sqlite
    migrated_sqlite(path)   # path: a migrated copy (unless it already exists)

``BENCH_NO_DBCACHE=1`` migrates every time (the cold figures); ``bench/out/dbcache/`` holds the
cache (delete it to start over).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "out" / "dbcache"


@functools.cache
def migrations_key() -> str:
    """12 hex digits of the SHA-256 of every migration file (path and content), in order."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "gongkai").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def enabled() -> bool:
    return os.environ.get("BENCH_NO_DBCACHE", "") in ("", "0")


def _migrate(target: Path) -> None:
    """``manage.py migrate`` into a new SQLite file ``target`` (a process of its own: this one may
    already have Django set up on another database)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}", "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], env=env, check=True)


def cached_migrated() -> Path:
    """The cached migrated SQLite file of the current migrations (built when missing)."""
    cached = CACHE / f"migrated-{migrations_key()}.sqlite3"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
            built = Path(tmp) / "migrated.sqlite3"
            _migrate(built)
            # The settings open SQLite in WAL mode: fold any write-ahead log into the file, so
            # the one file holds everything (a copy never misses a -wal beside it).
            with contextlib.closing(sqlite3.connect(built)) as db:
                db.execute("PRAGMA journal_mode=DELETE")
                if not db.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]:
                    raise RuntimeError(f"{built}: migrate left no migrations recorded")
            os.replace(built, cached)  # atomic: a concurrent bench never copies half a file
    return cached


def migrated_sqlite(path: Path) -> bool:
    """Make ``path`` a migrated SQLite database unless it exists; True when it was copied.

    With the cache off (``BENCH_NO_DBCACHE=1``) nothing is copied: the bench's own ``migrate``
    builds the schema, as before."""
    if path.exists() or not enabled():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached_migrated(), path)
    return True


def create_pg_database(url: str) -> None:
    """The PostgreSQL database of ``url``, created if it does not exist (empty: the bench migrates)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
