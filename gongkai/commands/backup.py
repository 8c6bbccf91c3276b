"""``gongkai backup -o FILE``: the database and every media file in one zip, with SHA-256 digests.

SQLite is copied with its online backup API and PostgreSQL with ``pg_dump`` (the site may keep
running). Restore with ``gongkai restore FILE`` into an empty database and media folder.
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

    from gongkai import clock
    from gongkai.audit.services import record
    from gongkai.commands._backup import BackupAudit, create_backup

    summary = create_backup(
        Path(args.output), connection=connection, media_root=Path(settings.MEDIA_ROOT), now=clock.now()
    )
    with transaction.atomic():
        record(actor=None, action=BackupAudit.BACKED_UP, note=f"{summary.path.name}：{summary.files} 个文件")
    print("\n".join(summary.lines()))
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "backup", help="备份数据库与全部媒体文件（签发文档、文书、附件）到一个 zip，附 SHA-256 清单"
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="备份文件路径（.zip）")
    p.set_defaults(func=handle)
