"""/office/calendar/: the working calendar's pages, under their ``workcalendar:`` names.

Served from the cases app because the upload loads a year and recomputes open cases' due dates
(``gongkai.cases.calendar_views``); the reading pages are the calendar app's own views.
"""

from django.urls import path

from gongkai.cases import calendar_views
from gongkai.web import converters  # noqa: F401 - registers <year:…>
from gongkai.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("upload/", calendar_views.upload, name="upload"),
    path("<year:year>/", views.year_detail, name="year_detail"),
]
