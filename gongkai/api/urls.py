"""API root, versioned: ``/api/v1/`` (``gongkai.urls``). Each app that offers endpoints has a
module ``gongkai/<app>/api_urls.py`` with ``urlpatterns``, mounted at ``/api/v1/<app>/`` here.
A new app's endpoints are one line below.

The same patterns answer at ``/api/`` without the version (namespace ``api-legacy``), for the
callers written before the version existed; the schema lists ``/api/v1/`` only.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api.intake import ApplicationIntakeView
from gongkai.cases import api_urls as cases_api
from gongkai.publications import api_urls as publications_api
from gongkai.reports import api_urls as reports_api

#: The version of the contract (``/api/v1/``); the schema's ``info.version``.
VERSION = "v1"


class NoSuchEndpoint(APIView):
    """Any other address under ``/api/``: the API's JSON 404 (``/api/cases/0.5/``), not the site's
    HTML page, behind the same login as every endpoint."""

    schema = None  # not an operation of the schema
    permission_classes = [IsAuthenticated]

    def dispatch_404(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound("没有这个接口地址")

    get = post = put = patch = delete = head = options = dispatch_404


class SchemaView(SpectacularAPIView):
    """The OpenAPI contract, for staff and for any valid token."""

    token_scopes = {"GET": "", "HEAD": ""}


def only_current_version(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list[tuple[str, str, str, Any]]:
    """drf-spectacular preprocessing hook: the schema describes ``/api/v1/`` only."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(f"/api/{VERSION}/")]


def patterns() -> list[URLPattern | URLResolver]:
    return [
        path("schema/", SchemaView.as_view(), name="schema"),
        path("cases/applications/", ApplicationIntakeView.as_view(), name="case-application-create"),
        path("cases/", include(cases_api)),
        path("publications/", include(publications_api)),
        path("reports/", include(reports_api)),
        re_path(r"", NoSuchEndpoint.as_view(), name="no-such-endpoint"),
    ]


app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = patterns()
