from django.urls import path

from gongkai.letters import approval_views, views

app_name = "letters"
urlpatterns = [
    path("case/<int:case_pk>/", views.case_letters, name="case"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/deliveries/", views.record_delivery_view, name="record_delivery"),
    path("deliveries/<int:pk>/received/", views.confirm_receipt_view, name="confirm_receipt"),
    path("deliveries/<int:pk>/proof/", views.proof, name="proof"),
    path("case/<int:case_pk>/receipt.pdf", views.receipt, name="receipt"),
    path("<int:pk>/reprint/", views.reprint, name="reprint"),
    path("draft/<int:pk>/", approval_views.draft_detail, name="draft"),
    path("draft/<int:pk>/act/", approval_views.draft_act, name="draft_act"),
    path("draft/<int:pk>/edit/", approval_views.draft_edit, name="draft_edit"),
    path("draft/<int:pk>/sign/", approval_views.draft_sign, name="draft_sign"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("ledger/import/", views.ledger_import, name="ledger_import"),
]
