"""Nested under /spaces/<slug>/actions/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("new/", views.create, name="create"),
    # The create page, prefilled from another module's object (the links in apps.py point here).
    path("from-idea/<int:pk>/", views.create_from, {"kind": "ideas.idea"}, name="from_idea"),
    path("from-project/<int:pk>/", views.create_from, {"kind": "budgets.project"}, name="from_project"),
    path("from-decision/<int:pk>/", views.create_from, {"kind": "meetings.decision"}, name="from_decision"),
    path("<int:action_id>/", views.detail, name="detail"),
    path("<int:action_id>/edit/", views.edit, name="edit"),
    path("<int:action_id>/updates/", views.report, name="report"),
]
