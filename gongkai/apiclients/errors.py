from __future__ import annotations

from gongkai.core.errors import GongkaiError


class ApiClientError(GongkaiError):
    """A refused change of an API client (the message names the field)."""
