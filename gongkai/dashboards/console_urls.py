"""URLs of the console pages (included by gongkai.dashboards.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
