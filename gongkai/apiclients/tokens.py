"""Bearer tokens: ``gk_<prefix>_<secret>``; the prefix finds the client, the SHA-256 digest proves it.

The secret has 256 bits from ``secrets``, so a plain SHA-256 (no slow hash) is the right digest:
nobody can guess a preimage, and each request costs one hash, not a key-derivation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX_BYTES = 6  # 12 hex characters: the lookup key, shown in lists
TOKEN_START = "gk_"  # noqa: S105  (the tokens' marker, not a secret)


def new_token() -> tuple[str, str, str]:
    """A fresh token, its lookup prefix and its digest: ``(token, prefix, digest)``."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, digest(token)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def prefix_of(token: str) -> str | None:
    """The lookup prefix of a well-formed token, else None."""
    if not token.startswith(TOKEN_START):
        return None
    prefix, sep, rest = token[len(TOKEN_START) :].partition("_")
    if not sep or len(prefix) != PREFIX_BYTES * 2 or not rest or len(token) > 200:
        return None
    return prefix


def matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(token), stored_digest)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp.body`` in hex: the ``X-Gongkai-Signature`` header (``v1=…``)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()
