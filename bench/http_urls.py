"""The site's URLs plus ``/__bare__/``: a Django view that only answers "hello" (the floor)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), path("", include("gongkai.urls"))]
