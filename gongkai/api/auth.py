"""Calls of other systems: ``Authorization: Bearer <token>`` of an API client (docs/api.md).

- :class:`TokenAuthentication` finds the client by the token's prefix and checks its SHA-256
  digest on every call: a revoked or expired client is refused at once (nothing is cached).
  ``request.user`` is an :class:`~gongkai.apiclients.principal.ApiPrincipal` that sees what its
  agency's officers see, with personal data masked; ``request.auth`` is the client.
- :class:`TokenScope` lets a token call an operation only if the view names the scope it needs
  for that method (``token_scopes = {"GET": Scope.CASES_READ}``) and the client has it; an
  operation without a scope (the publication workflow) is for staff in the back office only.
- :class:`ClientRateThrottle` limits each client to its ``rate_per_minute``.
- :class:`AccessLogMiddleware` writes one ``ApiCall`` row per call made with a token.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from gongkai.apiclients import tokens
from gongkai.apiclients.models import ApiCall, ApiClient
from gongkai.apiclients.principal import ApiPrincipal

#: ``last_used_at`` is written at most this often (one UPDATE per client per minute, not per call).
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[ApiPrincipal, ApiClient] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Authorization 头应为“Bearer 令牌”")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌无效") from None
        prefix = tokens.prefix_of(token)
        client = None
        if prefix is not None:
            client = ApiClient.objects.select_related("agency").filter(token_prefix=prefix).first()
        if client is None or not tokens.matches(token, client.token_hash):
            raise exceptions.AuthenticationFailed("令牌无效")
        now = timezone.now()
        if client.revoked_at is not None:
            raise exceptions.AuthenticationFailed("令牌已吊销")
        if client.expires_at is not None and client.expires_at <= now:
            raise exceptions.AuthenticationFailed("令牌已过期")
        if not client.agency.is_active:
            raise exceptions.AuthenticationFailed("令牌所属机构已停用")
        if client.last_used_at is None or now - client.last_used_at >= LAST_USED_GRANULARITY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        request._request.api_client = client  # type: ignore[attr-defined]  # for the access log (a plain HttpRequest attribute)
        return ApiPrincipal(client), client

    def authenticate_header(self, request: Request) -> str | None:
        """401 with a challenge for a call that sent a token; without one, 403 as before."""
        header = authentication.get_authorization_header(request).split()
        if header and header[0].lower() == self.keyword.lower().encode():
            return f'{self.keyword} realm="gongkai"'
        return None


class TokenScope(permissions.BasePermission):
    """A token may call an operation whose view names the scope it needs, if the client has it."""

    message = "此令牌无权调用该接口"

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiClient):
            return True  # a logged-in user: the view's own checks apply
        needed = getattr(view, "token_scopes", {}).get(request.method or "")
        if needed == "":
            return True  # any valid token (the schema)
        if needed is None:
            self.message = "此令牌无权调用该接口：仅限本机关工作人员在后台操作"
            return False
        if str(needed) not in request.auth.scope_set:
            self.message = f"此令牌没有权限范围 {needed}"
            return False
        return True


class ClientRateThrottle(throttling.SimpleRateThrottle):
    """Per client: ``rate_per_minute`` calls in any minute; staff sessions are not throttled here."""

    scope = "api_client"

    def get_rate(self) -> str | None:
        return None  # set per client in allow_request

    def allow_request(self, request: Request, view: Any) -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        self.rate = f"{client.rate_per_minute}/min"
        self.num_requests, self.duration = client.rate_per_minute, 60
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = request.auth
        return f"throttle_api_client_{client.pk}" if isinstance(client, ApiClient) else None

    def wait(self) -> float | None:
        wait = super().wait()
        return None if wait is None else max(1.0, wait)


class AccessLogMiddleware:
    """One ``ApiCall`` row (client, method, path, status) after each call made with a token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        client = getattr(request, "api_client", None)
        if client is not None:
            with contextlib.suppress(DatabaseError):  # the log must not turn an answer into a 500
                ApiCall.objects.create(
                    client=client, method=request.method or "", path=request.path[:300], status=response.status_code
                )
        return response
