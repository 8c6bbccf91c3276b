"""Map the core's error hierarchy to HTTP once, for every API endpoint."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gongkai.core.errors import CalendarYearMissing, ConcurrentChange, GongkaiError, InvalidTransition


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ConcurrentChange):
        return Response({"detail": str(exc), "code": "concurrent_change"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, InvalidTransition):
        return Response({"detail": str(exc), "code": "invalid_transition"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, CalendarYearMissing):
        return Response(
            {"detail": str(exc), "code": "calendar_year_missing", "year": exc.year},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if isinstance(exc, GongkaiError):
        return Response({"detail": str(exc), "code": type(exc).__name__}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
