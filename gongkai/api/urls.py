"""API root: each app that offers endpoints has a module ``gongkai/<app>/api_urls.py`` with
``urlpatterns``, mounted at ``/api/<app>/`` here. A new app's endpoints are one line below."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from gongkai.cases import api_urls as cases_api
from gongkai.publications import api_urls as publications_api
from gongkai.reports import api_urls as reports_api

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("cases/", include(cases_api)),
    path("publications/", include(publications_api)),
    path("reports/", include(reports_api)),
]
