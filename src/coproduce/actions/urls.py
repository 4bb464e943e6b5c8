"""Nested under /spaces/<slug>/actions/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("new/", views.create, name="create"),
    path("from-idea/<int:idea_id>/", views.from_idea, name="from_idea"),
    path("from-decision/<int:decision_id>/", views.from_decision, name="from_decision"),
    path("<int:action_id>/", views.detail, name="detail"),
    path("<int:action_id>/edit/", views.edit, name="edit"),
    path("<int:action_id>/updates/", views.report, name="report"),
]
