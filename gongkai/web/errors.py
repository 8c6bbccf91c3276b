"""One mapping from refused requests to what the user sees: a message and an HTTP status.

Services refuse with ``GongkaiError`` subclasses (core/errors.py), Django's ``ValidationError``
(input a model cannot accept) or ``PermissionDenied``. Pages show the message through the
messages framework and answer with ``error_status``; the API (``gongkai.api.errors``) answers
with the same status.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from gongkai.core.errors import CalendarYearMissing, ConcurrentChange, GongkaiError, InvalidTransition

#: What a form view catches around a service call and shows as a message: a rule the service
#: refuses, or input a model cannot accept.
USER_ERRORS = (GongkaiError, ValidationError)


def error_status(exc: Exception) -> int:
    """The HTTP status of a refused request.

    403 not allowed; 409 a record changed since it was loaded, or a step its status does not
    allow; 422 a working-day question about a calendar year not loaded; 400 other input.
    """
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, ConcurrentChange | InvalidTransition):
        return 409
    if isinstance(exc, CalendarYearMissing):
        return 422
    return 400


def error_messages(exc: Exception) -> list[str]:
    """The Chinese messages of ``exc``: each of a ``ValidationError``'s, else its text."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def show_error(request: HttpRequest, exc: Exception) -> int:
    """Put ``exc``'s messages on the next page and return the status to answer with."""
    for message in error_messages(exc):
        messages.error(request, message)
    return error_status(exc)
