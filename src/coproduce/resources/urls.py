"""Mounted at /resources/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:resource_id>/", views.detail, name="detail"),
    path("<int:resource_id>/edit/", views.edit, name="edit"),
    path("<int:resource_id>/publish/", views.publish, name="publish"),
    path("<int:resource_id>/delete/", views.delete, name="delete"),
    path("<int:resource_id>/download/", views.download, name="download"),
]
