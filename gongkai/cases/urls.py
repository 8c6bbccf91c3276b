from django.urls import path

from gongkai.cases import applicant_views, views

app_name = "cases"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/deadline/", views.deadline, name="deadline"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/messages/<int:message_pk>/retry/", applicant_views.retry, name="retry_message"),
    path("<int:pk>/proof/again/", applicant_views.ask_new_proof, name="ask_new_proof"),
    path("<int:pk>/replies/files/<int:file_pk>/", applicant_views.reply_file, name="reply_file"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/conclude/", views.review_conclude, name="review_conclude"),
    path("reviews/<int:pk>/dates/", views.review_dates, name="review_dates"),
]
