from django.urls import path

from gongkai.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/recheck/", views.batch_recheck, name="recheck"),
    path("batches/<int:pk>/findings.xlsx", views.export_xlsx, name="export"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("compare/", views.compare, name="compare"),
]
