"""Request and response rules for every page: refuse NUL in the query string, no-store on
pages with personal data.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

#: Paths whose pages and API answers may show personal data (cases, applicants, users, the audit
#: trail, a citizen's own application): never kept by a browser or proxy cache.
#: ``settings.NO_STORE_PATH_PREFIXES`` overrides.
NO_STORE_PATH_PREFIXES: tuple[str, ...] = (
    "/office/",
    "/admin/",
    "/api/",
    "/login/",
    "/logout/",
    "/password/",
    "/track/",
    "/apply/",
)


class RefuseNulMiddleware:
    """A NUL character in a query parameter is never input a person typed; PostgreSQL refuses it
    in any text comparison. Answer 400 before a view passes it to the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        bad = [key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in v for v in values)]
        if bad:
            return _bad_request(request, bad)
        return self.get_response(request)


NUL_MESSAGE = "网址中的查询参数含有不允许的控制字符（NUL），请检查链接后重试。"


def _bad_request(request: HttpRequest, names: list[str]) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The API's one error shape (gongkai.api.errors.ErrorSerializer), naming the parameters.
        fields = {name.replace("\x00", ""): [NUL_MESSAGE] for name in names}
        return JsonResponse({"detail": NUL_MESSAGE, "code": "invalid", "fields": fields}, status=400)
    return render(request, "400.html", {"message": NUL_MESSAGE}, status=400)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (Django's never-cache headers) on every answer under
    :data:`NO_STORE_PATH_PREFIXES`, whatever the view set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "NO_STORE_PATH_PREFIXES", NO_STORE_PATH_PREFIXES))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            if "Cache-Control" in response:
                del response["Cache-Control"]
            add_never_cache_headers(response)
        return response
