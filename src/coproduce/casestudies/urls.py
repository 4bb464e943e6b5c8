"""Mounted at /case-studies/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "casestudies"
urlpatterns = [
    path("", views.case_study_list, name="list"),
    path("new/", views.create, name="create"),
    path("from-space/<slug:slug>/", views.generate, name="generate"),
    path("<int:case_study_id>/", views.detail, name="detail"),
    path("<int:case_study_id>/edit/", views.edit, name="edit"),
    path("<int:case_study_id>/publish/", views.publish, name="publish"),
    path("<int:case_study_id>/delete/", views.delete, name="delete"),
    path("<int:case_study_id>/contact/", views.contact, name="contact"),
]
