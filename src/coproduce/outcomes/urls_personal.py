"""/outcomes/: a person's own outcomes across spaces, and erasing them (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "outcomes_mine"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("erase/", views.erase, name="erase"),
]
