from django.urls import path

from gongkai.letters import views

app_name = "letters"
urlpatterns = [
    path("case/<int:case_pk>/", views.case_letters, name="case"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/reprint/", views.reprint, name="reprint"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("ledger/import/", views.ledger_import, name="ledger_import"),
]
