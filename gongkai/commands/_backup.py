"""Backup and restore of one installation: the database and the media files in one zip.

The archive holds ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the
site runs) or ``database.pgdump`` (``pg_dump --format=custom``), every file under MEDIA_ROOT as
``media/…`` (signed report documents, letters, attachments, proofs, seals), and ``manifest.json``
with the SHA-256 and size of every other member. A restore checks every digest before it writes
anything, goes only into an empty database and an empty media folder, and afterwards checks every
signed report's documents against the digests recorded at sign-off.

Files are streamed (never held whole in memory) and the archive is written to a temporary name
and renamed, so an interrupted backup never leaves a file that looks complete.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import IO, Any

from gongkai import __version__
from gongkai.core.errors import GongkaiError

FORMAT = "gongkai-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}


class BackupAudit(StrEnum):
    BACKED_UP = "system.backup"
    RESTORED = "system.restore"


class BackupError(GongkaiError):
    """A backup that cannot be written, or an archive that must not be restored; the message says why."""

    exit_code = 1


@dataclass(frozen=True)
class Database:
    """Where a restore writes: the engine and the connection settings (Django's ``settings_dict`` shape)."""

    engine: str  # "sqlite" | "postgresql"
    settings: dict[str, Any]


@dataclass
class Summary:
    path: Path
    engine: str
    files: int = 0
    bytes: int = 0
    media_files: int = 0
    signed_documents_checked: int = 0
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.path}: {self.files} 个文件，{self.bytes:,} 字节；数据库 {self.engine}；媒体文件 {self.media_files} 个",
        ]
        if self.signed_documents_checked:
            out.append(f"已核对签发年度报告文档 {self.signed_documents_checked} 份的摘要：全部一致")
        out.extend(self.notes)
        return out


def engine_of(settings: dict[str, Any]) -> str:
    engine = ENGINES.get(str(settings.get("ENGINE")))
    if engine is None:
        raise BackupError(f"不支持的数据库类型：{settings.get('ENGINE')}（只支持 SQLite 与 PostgreSQL）")
    return engine


def _pg_env(settings: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings.get(key):
            env[var] = str(settings[key])
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"{what}：找不到命令 {command[0]}（请安装 postgresql-client）") from exc
    if done.returncode != 0:
        raise BackupError(f"{what}失败（{command[0]} 退出码 {done.returncode}）：{done.stderr.strip()[:500]}")


def _dump_database(connection: Any, folder: Path) -> tuple[str, Path]:
    """A consistent copy of the live database in ``folder``."""
    engine = engine_of(connection.settings_dict)
    if engine == "sqlite":
        target = folder / SQLITE_MEMBER
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies page by page while other connections keep working.
            connection.connection.backup(copy)
        finally:
            copy.close()
        return SQLITE_MEMBER, target
    target = folder / PG_MEMBER
    settings = connection.settings_dict
    _run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), str(settings["NAME"])],
        _pg_env(settings),
        "导出 PostgreSQL 数据库",
    )
    return PG_MEMBER, target


def _media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    if not media_root.is_dir():
        return
    for path in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
        yield MEDIA_PREFIX + path.relative_to(media_root).as_posix(), path


def _add(archive: zipfile.ZipFile, name: str, source: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, archive.open(name, "w", force_zip64=True) as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    return {"path": name, "sha256": digest.hexdigest(), "size": size}


def create_backup(output: Path, *, connection: Any, media_root: Path, now: dt.datetime) -> Summary:
    """Write the database and the media files to ``output`` with a manifest of digests."""
    output = output.resolve()
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent}：目录不存在")
    engine = engine_of(connection.settings_dict)
    summary = Summary(path=output, engine=engine)
    partial = output.with_name(output.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix="gongkai-backup-") as tmp:
            member, dumped = _dump_database(connection, Path(tmp))
            entries = []
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                entries.append(_add(archive, member, dumped))
                for name, path in _media_files(media_root):
                    entries.append(_add(archive, name, path))
                    summary.media_files += 1
                manifest = {
                    "format": FORMAT,
                    "created": now.isoformat(),
                    "gongkai": __version__,
                    "engine": engine,
                    "database": member,
                    "files": entries,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{output}：无法写入备份（{exc.strerror or exc}）") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.files = len(entries)
    summary.bytes = sum(int(e["size"]) for e in entries)
    return summary


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise BackupError(f"备份文件中的路径不安全：{name!r}")
    return path


def read_manifest(archive: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    """The manifest, with every member checked against its digest and size (nothing written yet)."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BackupError(f"{source}：不是 gongkai 备份（缺少 {MANIFEST}）") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{source}：{MANIFEST} 不是有效的 JSON") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source}：备份格式不是 {FORMAT}")
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        raise BackupError(f"{source}：{MANIFEST} 没有列出文件")
    listed = set()
    for entry in files:
        name = str(entry.get("path", ""))
        _safe_member(name)
        listed.add(name)
        digest = hashlib.sha256()
        size = 0
        try:
            with archive.open(name) as reader:
                while chunk := reader.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except KeyError as exc:
            raise BackupError(f"{source}：清单列出的 {name} 不在备份中") from exc
        except (zipfile.BadZipFile, OSError) as exc:
            raise BackupError(f"{source}：{name} 已损坏（{exc}）") from exc
        if digest.hexdigest() != entry.get("sha256") or size != entry.get("size"):
            raise BackupError(f"{source}：{name} 的 SHA-256 与清单不符，备份已损坏或被改动")
    extra = set(archive.namelist()) - listed - {MANIFEST}
    if extra:
        raise BackupError(f"{source}：备份中有清单未列出的文件：{sorted(extra)[0]}")
    if manifest.get("database") not in listed:
        raise BackupError(f"{source}：备份中没有数据库文件")
    return manifest


def _require_empty_database(target: Database) -> None:
    if target.engine == "sqlite":
        name = str(target.settings["NAME"])
        if name.startswith("file:") or ":memory:" in name or not name:
            raise BackupError(f"数据库 {name!r} 不是磁盘上的 SQLite 文件：只能恢复到数据库文件")
        path = Path(name)
        if path.exists() and path.stat().st_size > 0:
            with sqlite3.connect(path) as db:
                tables = db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise BackupError(f"数据库 {path} 不是空的（已有 {tables} 张表）：只能恢复到空数据库")
        return
    import psycopg

    settings = target.settings
    try:
        with psycopg.connect(
            dbname=settings["NAME"],
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
        ) as db:
            row = db.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.Error as exc:
        raise BackupError(f"无法连接目标数据库 {settings['NAME']}：{exc}") from exc
    if row and row[0]:
        raise BackupError(f"数据库 {settings['NAME']} 不是空的（已有 {row[0]} 张表）：只能恢复到空数据库")


def _require_empty_folder(media_root: Path) -> None:
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"媒体目录 {media_root} 不是空的：只能恢复到空目录")


def _extract(archive: zipfile.ZipFile, name: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(name) as reader, target.open("wb") as writer:
        shutil.copyfileobj(reader, writer, CHUNK)


def _load_database(archive: zipfile.ZipFile, manifest: dict[str, Any], target: Database) -> None:
    member = str(manifest["database"])
    if target.engine == "sqlite":
        path = Path(str(target.settings["NAME"]))
        staged = path.with_name(path.name + ".restoring")
        _extract(archive, member, staged)
        os.replace(staged, path)
        return
    with tempfile.TemporaryDirectory(prefix="gongkai-restore-") as tmp:
        dump = Path(tmp) / PG_MEMBER
        _extract(archive, member, dump)
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                str(target.settings["NAME"]),
                str(dump),
            ],
            _pg_env(target.settings),
            "恢复 PostgreSQL 数据库",
        )


def restore_backup(source: Path, *, target: Database, media_root: Path) -> Summary:
    """Restore ``source`` into an empty database and an empty media folder, verifying every digest first."""
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError as exc:
        raise BackupError(f"{source}：文件不存在") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{source}：不是有效的备份文件（{exc}）") from exc
    with archive:
        manifest = read_manifest(archive, source)
        if manifest.get("engine") != target.engine:
            raise BackupError(
                f"{source}：这是 {manifest.get('engine')} 数据库的备份，不能恢复到 {target.engine}（请用同类数据库）"
            )
        _require_empty_database(target)
        _require_empty_folder(media_root)
        _load_database(archive, manifest, target)
        summary = Summary(path=source, engine=target.engine)
        for entry in manifest["files"]:
            name = str(entry["path"])
            summary.files += 1
            summary.bytes += int(entry["size"])
            if name.startswith(MEDIA_PREFIX):
                relative = _safe_member(name[len(MEDIA_PREFIX) :])
                _extract(archive, name, media_root.joinpath(*relative.parts))
                summary.media_files += 1
    return summary


#: The signed reports' stored documents and digests (gongkai.reports.models.AnnualReportRecord).
#: Read with plain SQL so that a restored database can be checked before Django is pointed at it.
SIGNED_DOCUMENTS_SQL = (
    "SELECT agency_id, year, version, file_docx, file_pdf, file_html, file_xlsx, file_digests "
    "FROM reports_annualreportrecord ORDER BY id"
)
SIGNED_FORMATS = ("docx", "pdf", "html", "xlsx")


def signed_document_rows(cursor: Any) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(label, {format: file name}, {format: sha256}) of every signed report, from a DB-API cursor."""
    cursor.execute(SIGNED_DOCUMENTS_SQL)
    rows = []
    for agency_id, year, version, *names, digests in cursor.fetchall():
        parsed = json.loads(digests) if isinstance(digests, str) else (digests or {})
        if parsed:
            label = f"机构{agency_id} {year}年度报告第{version}版"
            rows.append((label, dict(zip(SIGNED_FORMATS, (n or "" for n in names), strict=True)), dict(parsed)))
    return rows


def check_signed_documents(rows: list[tuple[str, dict[str, str], dict[str, str]]], media_root: Path) -> int:
    """Every signed report document under ``media_root`` against its recorded SHA-256.

    ``rows`` are (report label, {format: stored file name}, {format: sha256}) as read from the
    restored database. Returns the number of documents checked; raises on the first mismatch.
    """
    checked = 0
    for label, names, digests in rows:
        for fmt, expected in sorted(digests.items()):
            name = names.get(fmt)
            if not name:
                raise BackupError(f"{label}：签发时记录了 {fmt} 文档的摘要，但数据库中没有该文件")
            path = media_root / name
            try:
                actual = _sha256(path)
            except FileNotFoundError as exc:
                raise BackupError(f"{label}：{fmt} 文档 {name} 不在恢复的媒体目录中") from exc
            if actual != expected:
                raise BackupError(f"{label}：{fmt} 文档与签发时的摘要不符")
            checked += 1
    return checked


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reader:
        _copy_into(reader, digest)
    return digest.hexdigest()


def _copy_into(reader: IO[bytes], digest: Any) -> None:
    while chunk := reader.read(CHUNK):
        digest.update(chunk)
