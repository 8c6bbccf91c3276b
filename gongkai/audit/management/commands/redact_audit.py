"""``manage.py redact_audit EVENT_ID FIELD --reason 理由 --by 管理员用户名``.

The one way to change an existing audit row: a secret that was recorded by mistake (a password
typed into a form before the trail recorded by allow-list) is replaced by ``［已抹除］`` in place,
and a new audit row says who redacted which field of which row and why. See
``docs/personal-data.md`` ("审计记录中的秘密").
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.audit.services import AuditRedactionError, redact


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "未知"


class Command(BaseCommand):
    help = "抹除一条审计记录中某个字段的值（如误记的密码），并留下抹除记录（操作人、记录、字段、理由）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event_id", type=int, help="审计记录编号（/admin/audit/auditevent/ 中的 ID）")
        parser.add_argument("field", help="变更内容中的字段名，例如 password1")
        parser.add_argument("--reason", required=True, help="抹除理由（记入审计记录）")
        parser.add_argument("--by", required=True, dest="by", help="执行抹除的系统管理员用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model: Any = get_user_model()
        actor = user_model.objects.filter(username=options["by"], is_active=True).first()
        if actor is None or not actor.is_system_admin:
            raise CommandError(f"“{options['by']}”不是有效的系统管理员账号（--by）")
        reason = options["reason"].strip()
        note = f"{reason}（操作系统用户：{_os_user()}）" if reason else ""
        try:
            event = redact(actor=actor, event_id=options["event_id"], field=options["field"], reason=note)
        except AuditRedactionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已抹除审计记录 {options['event_id']} 的字段“{options['field']}”；抹除记录编号 {event.pk}")
