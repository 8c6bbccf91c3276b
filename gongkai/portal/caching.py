"""Whole public pages from the cache (issue 19): the catalogue, an agency's home, an item, the
portal home, the guide and the reports list are the same for every anonymous visitor until what
they show changes.

A page is cached and served from the cache only for a visitor with no session and no pending
message (no session or messages cookie): nothing personal, no CSRF token and nothing that depends
on a session is ever stored or shown to another visitor. Its key carries the public versions it
depends on (``gongkai.publications.public_cache``: bumped in the transaction of any change the
portal shows), the 适老化 display mode (``gongkai.portal.display``: the page differs), the host
and the full path. The response says ``Vary: Cookie`` so no shared cache mixes the modes.

The Django cache framework holds the pages (``settings.CACHES``: LocMem per process by default;
a shared cache such as Redis plugs in there).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers

from gongkai.agencies.models import Agency
from gongkai.portal.display import COOKIE as DISPLAY_COOKIE
from gongkai.portal.display import LARGE
from gongkai.publications.models import Item
from gongkai.publications.public_cache import TIMEOUT, versions

View = Callable[..., HttpResponseBase]
#: Which agency's content a page shows, from the view's arguments: None for the whole portal.
AgencyOf = Callable[[dict[str, Any]], int | None]


def agency_by_code(kwargs: dict[str, Any]) -> int | None:
    code = kwargs["code"]
    if any(ch < " " for ch in code):  # never a code (PostgreSQL refuses NUL): the view answers 404
        return 0
    key = f"gk:agency-id:{versions()}:{hashlib.sha1(code.encode(), usedforsecurity=False).hexdigest()}"
    found: int | None = cache.get(key)
    if found is None:
        found = Agency.objects.filter(code=code).values_list("pk", flat=True).first() or 0
        cache.set(key, found, TIMEOUT)
    return found


def agency_of_item(kwargs: dict[str, Any]) -> int | None:
    # An item never changes agency: the mapping needs no version.
    key = f"gk:item-agency:{int(kwargs['pk'])}"
    found: int | None = cache.get(key)
    if found is None:
        found = Item.objects.filter(pk=kwargs["pk"]).values_list("agency_id", flat=True).first() or 0
        cache.set(key, found, TIMEOUT)
    return found


def whole_portal(kwargs: dict[str, Any]) -> int | None:
    return None


def anonymous(request: HttpRequest) -> bool:
    """No session and no pending message: the page is the one every such visitor gets."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def page_key(request: HttpRequest, agency_id: int | None) -> str:
    mode = "large" if request.COOKIES.get(DISPLAY_COOKIE) == LARGE else "normal"
    where = hashlib.sha1(f"{request.get_host()}\n{request.get_full_path()}".encode(), usedforsecurity=False).hexdigest()
    return f"gk:page:{versions(agency_id)}:{mode}:{where}"


def cached_response(
    request: HttpRequest, agency_id: int | None, render: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """The page ``render`` makes, from the cache for an anonymous visitor (see the module's note)."""
    if request.method not in ("GET", "HEAD") or not anonymous(request):
        return render()
    key = page_key(request, agency_id)
    stored = cache.get(key)
    if stored is not None:
        content, content_type = stored
        response: HttpResponseBase = HttpResponse(content, content_type=content_type)
    else:
        response = render()
        if (
            response.status_code == 200
            and isinstance(response, HttpResponse)
            and not response.cookies
            and not response.has_header("Cache-Control")
        ):
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
    patch_vary_headers(response, ("Cookie",))
    return response


def cached_page(agency_of: AgencyOf) -> Callable[[View], View]:
    """Serve the view's page from the cache for anonymous visitors (see the module's note)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            if request.method not in ("GET", "HEAD") or not anonymous(request):
                return view(request, **kwargs)
            return cached_response(request, agency_of(kwargs), lambda: view(request, **kwargs))

        return wrapper

    return decorate
