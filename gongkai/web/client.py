"""The client's network address, one rule for every edge (portal limits, login lockout, audit).

``REMOTE_ADDR`` unless ``settings.PORTAL_CLIENT_IP_HEADER`` names the header a trusted reverse
proxy fills (e.g. ``"HTTP_X_FORWARDED_FOR"``). Then the last address in that header is the one
the proxy itself appended; earlier ones were sent by the client and are not trusted. A value that
is not an IP address is ignored, so a misconfigured proxy cannot put text into an address column.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """The client's address as text, or ``""`` when none is known."""
    header = getattr(settings, "PORTAL_CLIENT_IP_HEADER", "")
    if header:
        parts = [p for p in str(request.META.get(header, "")).split(",") if p.strip()]
        if parts and (found := _valid(parts[-1][:64])):
            return found
    return _valid(str(request.META.get("REMOTE_ADDR", "") or "")[:64])
