from django.urls import path

from gongkai.apiclients import views

app_name = "apiclients"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
]
