"""Which webhook URLs the system will call (SSRF stance: docs/api.md, docs/security.md)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from gongkai.apiclients.errors import ApiClientError


def _public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def check_webhook_url(url: str) -> None:
    """An http(s) URL whose host resolves to public addresses only (SSRF: docs/api.md).

    ``WEBHOOK_ALLOW_PRIVATE`` (tests, an intranet deployment) also admits loopback and private
    addresses; link-local (169.254.0.0/16: cloud metadata) and multicast are refused always.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiClientError("回调地址：须为 http:// 或 https:// 开头的完整地址")
    if parts.username or parts.password:
        raise ApiClientError("回调地址：不得包含用户名或密码")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError):
        raise ApiClientError(f"回调地址：无法解析主机“{parts.hostname}”") from None
    allow_private = bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False))
    for info in infos:
        address = str(info[4][0]).split("%")[0]
        ip = ipaddress.ip_address(address)
        if ip.is_link_local or ip.is_multicast or ip.is_unspecified:
            raise ApiClientError(f"回调地址：主机“{parts.hostname}”指向不允许的地址 {address}")
        if not _public_address(address) and not allow_private:
            raise ApiClientError(f"回调地址：主机“{parts.hostname}”指向内网或本机地址 {address}，不允许")
