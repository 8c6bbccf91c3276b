"""``gongkai api-client``: create, revoke and list the API clients of other systems (docs/api.md).

``create`` prints the token once, on its last line (scripts read ``tail -n 1``); only its digest
is stored. Runs as the system (audited as 系统), for the operator of the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from gongkai.commands._args import iso_date
from gongkai.core.api_scopes import Scope
from gongkai.core.errors import GongkaiError
from gongkai.djangosetup import setup_django


def _create(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    from gongkai import clock
    from gongkai.agencies.models import Agency
    from gongkai.apiclients import services

    agency = Agency.objects.filter(code=args.agency).first()
    if agency is None:
        raise GongkaiError(f"机构代码“{args.agency}”不存在")
    expires_at = None
    if args.expires is not None:
        expires_at = timezone.make_aware(dt.datetime.combine(args.expires, dt.time(23, 59, 59)))
    client, token = services.create_client(
        actor=None,
        agency=agency,
        name=args.name,
        scopes=args.scope,
        expires_at=expires_at,
        rate_per_minute=args.rate,
        now=clock.now(),
    )
    if args.webhook:
        secret = services.set_webhook(actor=None, client=client, url=args.webhook)
        print(f"回调签名密钥（只显示这一次）：{secret}")
    expiry = f"有效期至 {client.expires_at:%Y-%m-%d}" if client.expires_at else "长期有效"
    print(f"已创建接口客户端“{client.name}”：{agency.name}，权限 {'、'.join(client.scopes)}，{expiry}")
    print("令牌只显示这一次，请妥善保存（最后一行）：")
    print(token)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    setup_django()
    from gongkai import clock
    from gongkai.apiclients import services
    from gongkai.apiclients.models import ApiClient

    client = ApiClient.objects.filter(name=args.name).first()
    if client is None:
        raise GongkaiError(f"接口客户端“{args.name}”不存在")
    services.revoke_client(actor=None, client=client, now=clock.now())
    print(f"已吊销接口客户端“{client.name}”：其令牌立即失效")
    return 0


def _list(args: argparse.Namespace) -> int:
    setup_django()
    from gongkai.apiclients.models import ApiClient

    for c in ApiClient.objects.select_related("agency").order_by("name"):
        expires = f"{c.expires_at:%Y-%m-%d}" if c.expires_at else "长期"
        used = f"{c.last_used_at:%Y-%m-%d %H:%M}" if c.last_used_at else "—"
        print(
            f"{c.name}\t{c.agency.code}\t{','.join(c.scopes)}\tgk_{c.token_prefix}_…\t{expires}\t{used}\t{c.state_label}"
        )
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("api-client", help="管理接口客户端（其他系统调用 /api/v1/ 的令牌）")
    sub = p.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
    create = sub.add_parser("create", help="新建客户端并显示令牌（只显示一次，在最后一行）")
    create.add_argument("--agency", required=True, metavar="CODE", help="所属机构代码，如 BJ-MY-GY")
    create.add_argument("--name", required=True, help="名称，如 12345热线")
    create.add_argument(
        "--scope",
        required=True,
        action="append",
        choices=[s.value for s in Scope],
        help="权限范围，可重复：" + "、".join(s.value for s in Scope),
    )
    create.add_argument("--expires", type=iso_date, metavar="DATE", help="有效期至（含当日），默认长期")
    create.add_argument("--rate", type=int, default=120, metavar="N", help="每分钟调用上限（默认 120）")
    create.add_argument("--webhook", metavar="URL", help="回调地址（同时生成签名密钥并显示一次）")
    create.set_defaults(func=_create)
    revoke = sub.add_parser("revoke", help="吊销客户端：其令牌立即失效")
    revoke.add_argument("name", help="客户端名称")
    revoke.set_defaults(func=_revoke)
    listing = sub.add_parser("list", help="列出客户端（不显示令牌）")
    listing.set_defaults(func=_list)
