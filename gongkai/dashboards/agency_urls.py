"""URLs of the agency pages (included by gongkai.dashboards.urls)."""

from django.urls import URLPattern, path

from gongkai.dashboards import agency_views

urlpatterns: list[URLPattern] = [
    path("", agency_views.board, name="agency_board"),
    path("export.xlsx", agency_views.export, name="agency_export"),
]
