"""/office/dashboards/: the supervisor's console, the trends pages and the agency's dashboard."""

from django.urls import include, path

app_name = "dashboards"
urlpatterns = [
    path("console/", include("gongkai.dashboards.console_urls")),
    path("trends/", include("gongkai.dashboards.trends_urls")),
    path("agency/", include("gongkai.dashboards.agency_urls")),
]
