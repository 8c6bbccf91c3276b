"""``gongkai backup`` / ``gongkai restore``: a round trip of the database and the media files on the
database the suite runs on (SQLite or PostgreSQL), every digest checked, and the refusals."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection

from gongkai.audit.models import AuditEvent
from gongkai.cases.models import Case
from gongkai.cli import main
from gongkai.commands._backup import (
    MANIFEST,
    BackupError,
    Database,
    check_signed_documents,
    create_backup,
    engine_of,
    restore_backup,
    signed_document_rows,
)
from gongkai.reports.models import AnnualReportRecord

pytestmark = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[Database]:
    """A fresh, empty database of the suite's engine."""
    base = dict(connection.settings_dict)
    engine = engine_of(base)
    if engine == "sqlite":
        name: str = str(tmp_path / "restored.sqlite3")
    else:
        import psycopg

        name = f"gk_restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(
            dbname="postgres", host=base["HOST"], port=base["PORT"] or None, user=base["USER"], autocommit=True
        ) as db:
            db.execute(f'CREATE DATABASE "{name}"')
    yield Database(engine=engine, settings=dict(base, NAME=name))
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(
            dbname="postgres", host=base["HOST"], port=base["PORT"] or None, user=base["USER"], autocommit=True
        ) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def media_with_extra(settings: Any) -> Path:
    """The media root holds the signed documents plus a letter-like file with a Chinese name."""
    extra = Path(settings.MEDIA_ROOT) / "letters" / "D1-A" / "答复书（2023）1号.docx"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_bytes(b"PK\x03\x04 not really a docx, only bytes to carry")
    return Path(settings.MEDIA_ROOT)


TABLES = (Case._meta.db_table, AnnualReportRecord._meta.db_table, AuditEvent._meta.db_table, "accounts_user")


def _raw(target: Database) -> Any:
    """A plain DB-API connection to the restored database (Django's test case guards its own aliases)."""
    if target.engine == "sqlite":
        import sqlite3

        return sqlite3.connect(target.settings["NAME"])
    import psycopg

    s = target.settings
    return psycopg.connect(dbname=s["NAME"], host=s["HOST"], port=s["PORT"] or None, user=s["USER"])


def _counts(cursor: Any) -> dict[str, int]:
    out = {}
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — our own table names
        out[table] = cursor.fetchone()[0]
    return out


def test_round_trip_restores_database_and_media_with_every_digest(
    signed: AnnualReportRecord, media_with_extra: Path, empty_target: Database, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.zip"
    made = create_backup(archive, connection=connection, media_root=media_with_extra, now=NOW)
    assert made.media_files == 5  # four signed documents and the letter

    restored_media = tmp_path / "restored-media"
    summary = restore_backup(archive, target=empty_target, media_root=restored_media)
    assert summary.files == made.files
    restored = _raw(empty_target)
    try:
        with connection.cursor() as live:
            assert _counts(restored.cursor()) == _counts(live)
        rows = signed_document_rows(restored.cursor())
        (stamp,) = restored.cursor().execute("SELECT signed_at FROM reports_annualreportrecord").fetchone()
    finally:
        restored.close()
    assert len(rows) == 1 and rows[0][2] == signed.file_digests
    assert check_signed_documents(rows, restored_media) == 4
    assert stamp is not None
    letter = restored_media / "letters" / "D1-A" / "答复书（2023）1号.docx"
    assert letter.read_bytes() == (media_with_extra / "letters" / "D1-A" / "答复书（2023）1号.docx").read_bytes()


def test_a_changed_byte_in_the_archive_is_refused_before_anything_is_written(
    signed: AnnualReportRecord, media_with_extra: Path, empty_target: Database, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.zip"
    create_backup(archive, connection=connection, media_root=media_with_extra, now=NOW)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".pdf"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            dst.writestr(info, data)
    restored_media = tmp_path / "restored-media"
    with pytest.raises(BackupError, match="SHA-256 与清单不符"):
        restore_backup(tampered, target=empty_target, media_root=restored_media)
    assert not restored_media.exists()
    if empty_target.engine == "sqlite":
        assert not Path(empty_target.settings["NAME"]).exists()
    else:
        with _raw(empty_target) as db:
            assert db.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone() == (0,)


def test_a_signed_document_changed_after_sign_off_fails_the_check(
    signed: AnnualReportRecord, media_with_extra: Path, tmp_path: Path
) -> None:
    """The manifest can be consistent while a document no longer matches what the leader signed."""
    pdf = Path(signed.file_pdf.path)
    pdf.write_bytes(pdf.read_bytes() + b"%")
    with pytest.raises(BackupError, match="与签发时的摘要不符"), connection.cursor() as cursor:
        check_signed_documents(signed_document_rows(cursor), media_with_extra)


def test_restore_refuses_a_database_that_is_not_empty(
    signed: AnnualReportRecord, media_with_extra: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.zip"
    assert main(["backup", "-o", str(archive)]) == 0
    assert AuditEvent.objects.filter(action="system.backup").exists()
    empty_media = tmp_path / "m"
    live = dict(connection.settings_dict)
    if engine_of(live) == "sqlite":
        # The suite's own database file (with every table) is the live database; an in-memory
        # database (":memory:" or a shared-cache URI) is no place to restore to either.
        for name in (":memory:", "file:memorydb_default?mode=memory&cache=shared"):
            in_memory = Database(engine="sqlite", settings=dict(live, NAME=name))
            with pytest.raises(BackupError, match="不是磁盘上的 SQLite 文件"):
                restore_backup(archive, target=in_memory, media_root=empty_media)
    with pytest.raises(BackupError, match="不是空的"):
        restore_backup(archive, target=Database(engine=engine_of(live), settings=live), media_root=empty_media)
    assert not empty_media.exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(
    signed: AnnualReportRecord, media_with_extra: Path, empty_target: Database, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.zip"
    create_backup(archive, connection=connection, media_root=media_with_extra, now=NOW)
    with pytest.raises(BackupError, match=r"媒体目录 .* 不是空的"):
        restore_backup(archive, target=empty_target, media_root=media_with_extra)


@pytest.mark.parametrize(
    ("member", "message"),
    [("../../etc/passwd", "路径不安全"), ("/abs/file", "路径不安全"), ("media/a/../../x", "路径不安全")],
)
def test_an_unsafe_member_name_is_refused(tmp_path: Path, empty_target: Database, member: str, message: str) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(member, b"x")
        zf.writestr(
            MANIFEST,
            json.dumps(
                {
                    "format": "gongkai-backup/1",
                    "engine": empty_target.engine,
                    "database": member,
                    "files": [{"path": member, "sha256": "0", "size": 1}],
                }
            ),
        )
    with pytest.raises(BackupError, match=message):
        restore_backup(archive, target=empty_target, media_root=tmp_path / "m")


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04garbage"])
def test_garbage_is_refused_with_the_file_named(tmp_path: Path, empty_target: Database, content: bytes) -> None:
    archive = tmp_path / "garbage.zip"
    archive.write_bytes(content)
    with pytest.raises(BackupError, match=r"garbage\.zip"):
        restore_backup(archive, target=empty_target, media_root=tmp_path / "m")


def test_backup_into_a_missing_folder_is_a_clear_error(tmp_path: Path, capsys: Any) -> None:
    assert main(["backup", "-o", str(tmp_path / "nope" / "b.zip")]) == 1
    assert "目录不存在" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_restore_command_of_a_missing_file(tmp_path: Path, capsys: Any) -> None:
    assert main(["restore", str(tmp_path / "missing.zip")]) == 1
    assert "文件不存在" in capsys.readouterr().err
    assert django_settings.MEDIA_ROOT  # the configured media root was not touched
