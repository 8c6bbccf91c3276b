"""URLs of the agency pages (included by gongkai.dashboards.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
