from django.urls import path

from gongkai.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/deadline/", views.deadline, name="deadline"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/conclude/", views.review_conclude, name="review_conclude"),
    path("reviews/<int:pk>/dates/", views.review_dates, name="review_dates"),
]
