from django.urls import path

from . import views

app_name = "timebank"
urlpatterns = [
    path("", views.home, name="home"),
]
