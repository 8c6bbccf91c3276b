from django.urls import path

from gongkai.portal import account, applicant, display, feeds, receipts, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("display/", display.display_mode, name="display_mode"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("apply/", views.apply_choose, name="apply_choose"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("track/", views.track, name="track"),
    path("track/letters/<int:pk>/", views.track_letter, name="track_letter"),
    path("track/receipt.pdf", receipts.tracked_receipt, name="tracked_receipt"),
    path("track/letters/<int:pk>/<str:token>.pdf", receipts.letter_pdf_view, name="letter_pdf"),
    path("apply/done/receipt.pdf", receipts.submitted_receipt, name="submitted_receipt"),
    path("track/case/", applicant.track_case, name="track_case"),
    path("track/case/correction/", applicant.track_correction, name="track_correction"),
    path("track/case/proof/", applicant.track_proof, name="track_proof"),
    path("track/code/", applicant.track_send_code, name="track_send_code"),
    path("track/forgot/", applicant.track_forgot, name="track_forgot"),
    path("account/", account.account, name="account"),
    path("account/login/", account.account_login, name="account_login"),
    path("account/verify/", account.account_verify, name="account_verify"),
    path("account/cases/<int:pk>/", account.account_case, name="account_case"),
    path("account/logout/", account.account_logout, name="account_logout"),
    path("a/<str:code>/", views.agency_home, name="agency"),
    path("a/<str:code>/guide/", views.guide, name="guide"),
    path("a/<str:code>/catalogue/", views.catalogue, name="catalogue"),
    path("a/<str:code>/catalogue/<int:category>/", views.catalogue, name="category"),
    path("a/<str:code>/reports/", views.reports, name="reports"),
    path("a/<str:code>/reports/<int:pk>.<str:fmt>", views.report_document, name="report_document"),
    path("a/<str:code>/apply/", views.apply, name="apply"),
    path("a/<str:code>/feeds/items.atom", feeds.items_feed, name="feed_items"),
    path("a/<str:code>/feeds/reports.atom", feeds.reports_feed, name="feed_reports"),
    path("a/<str:code>/feeds/items.json", feeds.harvest, name="feed_harvest"),
]
