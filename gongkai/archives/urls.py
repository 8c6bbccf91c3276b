from django.urls import path

from gongkai.archives import views

app_name = "archives"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/download/", views.year_download, name="year_download"),
    path("<int:year>/export/", views.year_export, name="year_export"),
    path("<int:year>/lock/", views.lock, name="lock"),
    path("<int:year>/unlock/", views.unlock, name="unlock"),
    path("case/<int:pk>/download/", views.case_download, name="case_download"),
]
