"""Public portal (no login)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.agencies.models import Agency


def index(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.active().order_by("path")
    return render(request, "portal/index.html", {"agencies": agencies})
