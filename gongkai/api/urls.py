"""API root: each app that offers endpoints has a module ``gongkai/<app>/api_urls.py`` with
``urlpatterns``, mounted at ``/api/<app>/`` here. A new app's endpoints are one line below."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.cases import api_urls as cases_api
from gongkai.publications import api_urls as publications_api
from gongkai.reports import api_urls as reports_api


class NoSuchEndpoint(APIView):
    """Any other address under ``/api/``: the API's JSON 404 (``/api/cases/0.5/``), not the site's
    HTML page, behind the same login as every endpoint."""

    schema = None  # not an operation of the schema

    def dispatch_404(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound("没有这个接口地址")

    get = post = put = patch = delete = head = options = dispatch_404


app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", include(cases_api)),
    path("publications/", include(publications_api)),
    path("reports/", include(reports_api)),
    re_path(r"", NoSuchEndpoint.as_view(), name="no-such-endpoint"),
]
