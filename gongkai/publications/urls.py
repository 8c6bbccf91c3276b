from django.urls import path

from gongkai.publications import import_views, views

app_name = "publications"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("new/", views.item_create, name="item_create"),
    path("review/", views.review_queue, name="review_queue"),
    path("import/", import_views.items_import, name="items_import"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/submit/", views.item_submit, name="item_submit"),
    path("<int:pk>/review/", views.item_review, name="item_review"),
    path("<int:pk>/publish/", views.item_publish, name="item_publish"),
    path("<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("guide/", views.guide_edit, name="guide"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/abolish/", views.register_abolish, name="register_abolish"),
    path("figures/", views.figures, name="figures"),
    path("figures/import/", views.figures_import, name="figures_import"),
    path("suggestions/", views.suggestions, name="suggestions"),
]
