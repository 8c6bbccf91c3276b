"""URLs of the trends pages (included by gongkai.dashboards.urls)."""

from django.urls import URLPattern, path

from gongkai.dashboards import trends_views

urlpatterns: list[URLPattern] = [
    path("", trends_views.trends, name="trends"),
    path("export.xlsx", trends_views.trends_export, name="trends_export"),
    path("similar/<int:year>/<int:a>/<int:b>/", trends_views.trends_pair, name="trends_pair"),
]
