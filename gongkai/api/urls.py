"""API root: each app that offers endpoints has a module ``gongkai/<app>/api_urls.py`` with
``urlpatterns``; it is mounted at ``/api/<app>/`` here, so apps add endpoints without editing this file."""

import importlib

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]

for _app in ("cases", "publications", "reports", "workcalendar", "agencies"):
    try:
        _module = importlib.import_module(f"gongkai.{_app}.api_urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"gongkai.{_app}.api_urls":
            raise
        continue
    urlpatterns.append(path(f"{_app}/", include(_module)))
