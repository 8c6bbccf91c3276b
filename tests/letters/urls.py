"""The project's URLs with the letters pages mounted at /office/letters/ (as gongkai.urls should)."""

from django.urls import include, path

from gongkai.urls import urlpatterns as project_patterns

urlpatterns = [
    path("office/letters/", include("gongkai.letters.urls")),
    *(p for p in project_patterns if getattr(p, "namespace", None) != "letters"),
]
