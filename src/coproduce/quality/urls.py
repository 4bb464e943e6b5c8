"""Nested under /spaces/<slug>/quality/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("", views.check, name="check"),
    path("recompute/", views.recompute, name="recompute"),
    path("records/", views.records, name="records"),
    path("community/", views.mix, name="mix"),
    path("standards/", views.standards, name="standards"),
    path("standards/new/", views.assessment_new, name="assessment_new"),
]
