"""Map the core's error hierarchy to HTTP once, for every API endpoint (statuses: ``web.errors``).

Every refused request answers with one body shape, :class:`ErrorSerializer`: a Chinese
``detail``, a machine-readable ``code`` and, for invalid input, ``fields`` (the messages per
parameter or body field). The schema documents this shape for every 400/403/404/409/422.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gongkai.core.errors import CalendarYearMissing, ConcurrentChange, GongkaiError, InvalidTransition
from gongkai.web.errors import error_messages, error_status

#: The key under which messages that belong to no single field are listed.
NON_FIELD = "non_field_errors"


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The body of every refused request."""

    detail = serializers.CharField(help_text="中文说明：什么有误、在哪里")
    code = serializers.CharField(
        help_text="错误代码：invalid、not_authenticated、permission_denied、not_found、"
        "invalid_transition、concurrent_change、calendar_year_missing 等"
    )
    year = serializers.IntegerField(required=False, help_text="calendar_year_missing：缺少节假日安排的年份")

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # A field named "fields" cannot be a class attribute: it would shadow ``Serializer.fields``.
        declared = super().get_fields()
        return {
            "detail": declared["detail"],
            "code": declared["code"],
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                required=False,
                help_text="输入有误时：每个参数或字段的错误信息",
            ),
            "year": declared["year"],
        }


def _flatten(detail: Any, name: str = "") -> dict[str, list[str]]:
    """DRF's (possibly nested) error detail as ``{"field.sub": [messages]}``."""
    parts: list[tuple[str, Any]] = []
    if isinstance(detail, dict):
        parts = [(NON_FIELD if key in (NON_FIELD, "__all__") else str(key), value) for key, value in detail.items()]
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        parts = [(str(index), item) for index, item in enumerate(detail)]
    else:
        items = detail if isinstance(detail, list) else [detail]
        return {name or NON_FIELD: [str(item) for item in items]}
    flat: dict[str, list[str]] = {}
    for key, value in parts:
        for sub, messages in _flatten(value, f"{name}.{key}" if name else key).items():
            flat.setdefault(sub, []).extend(messages)
    return flat


def _invalid(fields: dict[str, list[str]]) -> dict[str, Any]:
    lines = [
        "；".join(messages) if name == NON_FIELD else f"{name}：{'；'.join(messages)}"
        for name, messages in fields.items()
    ]
    return {"detail": "请求有误。" + " ".join(lines), "code": "invalid", "fields": fields}


def error_body(exc: Exception) -> tuple[dict[str, Any], int] | None:
    """The body and status of a refused request, or None for an unexpected error (a 500)."""
    if isinstance(exc, ConcurrentChange):
        return {"detail": str(exc), "code": "concurrent_change"}, error_status(exc)
    if isinstance(exc, InvalidTransition):
        return {"detail": str(exc), "code": "invalid_transition"}, error_status(exc)
    if isinstance(exc, CalendarYearMissing):
        return {"detail": str(exc), "code": "calendar_year_missing", "year": exc.year}, error_status(exc)
    if isinstance(exc, GongkaiError):
        return {"detail": str(exc), "code": type(exc).__name__}, error_status(exc)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: error_messages(exc)}
        return _invalid({NON_FIELD if k == "__all__" else k: list(v) for k, v in fields.items()}), 400
    if isinstance(exc, exceptions.ValidationError):
        return _invalid(_flatten(exc.detail)), exc.status_code
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        detail = exc.detail if isinstance(exc.detail, str) else " ".join(_flatten(exc.detail).get(NON_FIELD, []))
        return {"detail": str(detail) or str(exc.default_detail), "code": code}, exc.status_code
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    found = error_body(exc)
    if found is None:
        return drf_exception_handler(exc, context)
    response = drf_exception_handler(exc, context)  # headers: WWW-Authenticate, Retry-After, Allow
    body, status = found
    headers = dict(response.items()) if response is not None else None
    return Response(body, status=status, headers=headers)
