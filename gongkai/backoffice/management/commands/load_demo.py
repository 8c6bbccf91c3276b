from typing import Any

from django.core.management.base import BaseCommand

from gongkai import clock
from gongkai.backoffice.demo import DEMO_PASSWORD, USERS, load_all


class Command(BaseCommand):
    help = "载入演示数据（机构、演示用户及各模块的演示数据），可重复执行"

    def handle(self, *args: Any, **options: Any) -> None:
        load_all(today=clock.today(), log=self.stdout.write)
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for user in USERS:
            self.stdout.write(f"  {user.username:<14} {user.full_name}（{user.role.label}）")
        self.stdout.write("工作人员入口：http://127.0.0.1:8000/login/   公众门户：http://127.0.0.1:8000/\n")
