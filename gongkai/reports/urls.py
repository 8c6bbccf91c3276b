from django.urls import path

from gongkai.reports import views, work_views
from gongkai.web import converters  # noqa: F401 - registers <year:…>

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/", views.overview, name="overview"),
    path("agency/<int:agency_id>/<year:year>/", views.agency_year, name="agency_year"),
    path("agency/<int:agency_id>/<year:year>/start/", views.start, name="start"),
    path("agency/<int:agency_id>/<year:year>/preview.<str:fmt>", views.preview_download, name="preview_download"),
    path("work/", work_views.work_page, name="work"),
    path("work/import/", work_views.work_import, name="work_import"),
    path("work/<str:kind>/add/", work_views.work_add, name="work_add"),
    path("work/<str:kind>/<int:pk>/delete/", work_views.work_delete, name="work_delete"),
    path("<int:pk>/", views.record_page, name="record"),
    path("<int:pk>/narrative/", views.save_narrative, name="save_narrative"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_draft, name="return_draft"),
    path("<int:pk>/explain/", views.explain, name="explain"),
    path("<int:pk>/similarity/", views.similarity_page, name="similarity"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/new-version/", views.revise, name="new_version"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("<int:pk>/download.<str:fmt>", views.download, name="download"),
]
