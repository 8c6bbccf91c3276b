"""URLs of the console pages (included by gongkai.dashboards.urls)."""

from django.urls import URLPattern, path

from gongkai.dashboards import console_views

urlpatterns: list[URLPattern] = [
    path("", console_views.board, name="console_board"),
    path("export/", console_views.board_xlsx, name="console_board_xlsx"),
    path("remind/", console_views.remind, name="console_remind"),
    path("rollup/", console_views.rollup, name="console_rollup"),
    path("rollup/export/", console_views.rollup_xlsx, name="console_rollup_xlsx"),
]
