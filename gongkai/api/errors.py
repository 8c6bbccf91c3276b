"""Map the core's error hierarchy to HTTP once, for every API endpoint (statuses: ``web.errors``)."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gongkai.core.errors import CalendarYearMissing, ConcurrentChange, GongkaiError, InvalidTransition
from gongkai.web.errors import error_status


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConcurrentChange):
        return Response({"detail": str(exc), "code": "concurrent_change"}, status=error_status(exc))
    if isinstance(exc, InvalidTransition):
        return Response({"detail": str(exc), "code": "invalid_transition"}, status=error_status(exc))
    if isinstance(exc, CalendarYearMissing):
        return Response(
            {"detail": str(exc), "code": "calendar_year_missing", "year": exc.year}, status=error_status(exc)
        )
    if isinstance(exc, GongkaiError):
        return Response({"detail": str(exc), "code": type(exc).__name__}, status=error_status(exc))
    return drf_exception_handler(exc, context)
