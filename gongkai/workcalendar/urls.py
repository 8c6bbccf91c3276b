from django.urls import path

from gongkai.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("upload/", views.upload, name="upload"),
    path("<int:year>/", views.year_detail, name="year_detail"),
]
