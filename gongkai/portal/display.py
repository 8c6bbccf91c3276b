"""适老化 display mode for the citizen pages: large text and high contrast, chosen with a plain
link (no JavaScript) and kept in a cookie for a year.

``GET /display/?mode=large|normal&next=/path`` sets the cookie and sends the visitor back to
``next`` when that is a path on this site; any other ``next`` (another host, a scheme) falls back
to the portal home, so the link cannot be used as an open redirect.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

COOKIE = "gk_display"
LARGE = "large"
NORMAL = "normal"
ONE_YEAR = 365 * 24 * 60 * 60


@require_GET
def display_mode(request: HttpRequest) -> HttpResponseRedirect:
    mode = LARGE if request.GET.get("mode") == LARGE else NORMAL
    target = request.GET.get("next", "")
    if (
        not target
        or any(ch < " " for ch in target)
        or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        target = reverse("portal:index")
    response = HttpResponseRedirect(target)
    if mode == LARGE:
        response.set_cookie(
            COOKIE, LARGE, max_age=ONE_YEAR, path="/", samesite="Lax", httponly=True, secure=request.is_secure()
        )
    else:
        response.delete_cookie(COOKIE, path="/", samesite="Lax")
    return response
