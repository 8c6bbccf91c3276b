"""Root URLs: the public portal at /, the back office at /office/, the admin, the API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongkai.api.urls import patterns as api_patterns
from gongkai.backoffice.forms import LoginForm
from gongkai.backoffice.staff import password_set
from gongkai.web.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # The one-time link a 本机关管理员 hands over (gongkai.accounts.staff.issue_password_link).
    path("password/set/<uidb64>/<token>/", password_set, name="password_set"),
    path("office/", include("gongkai.backoffice.urls")),
    path("office/cases/", include("gongkai.cases.urls")),
    path("office/letters/", include("gongkai.letters.urls")),
    path("office/publications/", include("gongkai.publications.urls")),
    path("office/reports/", include("gongkai.reports.urls")),
    path("office/calendar/", include("gongkai.cases.calendar_urls")),
    path("office/supervision/", include("gongkai.supervision.urls")),
    path("office/dashboards/", include("gongkai.dashboards.urls")),
    path("office/jobs/", include("gongkai.jobs.urls")),
    path("office/archive/", include("gongkai.archives.urls")),
    path("office/api-clients/", include("gongkai.apiclients.urls")),
    path("api/v1/", include("gongkai.api.urls")),
    # The unversioned addresses of before /api/v1/ (same views; not in the schema).
    path("api/", include((api_patterns(), "api-legacy"))),
    path("", include("gongkai.portal.urls")),
]
