"""``gongkai restore FILE``: a backup made by ``gongkai backup`` into an EMPTY database and media folder.

Every member's SHA-256 is checked against the manifest before anything is written; the database
is loaded (SQLite file copy, or ``pg_restore`` for PostgreSQL), the media files extracted, and
then every signed annual report's documents are checked against the digests recorded at sign-off.
The database and media folder are the configured ones (DATABASE_URL, GONGKAI_MEDIA_ROOT).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gongkai.djangosetup import setup_django


def handle(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.db import connection, transaction

    from gongkai.audit.services import record
    from gongkai.commands._backup import (
        BackupAudit,
        Database,
        check_signed_documents,
        engine_of,
        restore_backup,
        signed_document_rows,
    )

    target = Database(engine=engine_of(connection.settings_dict), settings=dict(connection.settings_dict))
    connection.close()  # SQLite: the file is replaced underneath
    media_root = Path(settings.MEDIA_ROOT)
    summary = restore_backup(Path(args.file), target=target, media_root=media_root)
    with connection.cursor() as cursor:
        rows = signed_document_rows(cursor)
    summary.signed_documents_checked = check_signed_documents(rows, media_root)
    with transaction.atomic():
        record(actor=None, action=BackupAudit.RESTORED, note=f"从 {Path(args.file).name} 恢复：{summary.files} 个文件")
    print("\n".join(summary.lines()))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("restore", help="从 gongkai backup 的备份恢复到空数据库与空媒体目录，逐一核对 SHA-256")
    p.add_argument("file", metavar="FILE", help="备份文件（.zip）")
    p.set_defaults(func=handle)
