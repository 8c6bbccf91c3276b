"""Template context shared by every page: the Role enum, so templates never spell a role code."""

from typing import Any

from django.http import HttpRequest

from gongkai.accounts.models import Role


def roles(request: HttpRequest) -> dict[str, Any]:
    return {"Role": Role}
