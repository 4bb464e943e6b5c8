"""Nested under /spaces/<slug>/social-value/ (see coproduce/urls.py); the network's unit costs are at
/social-value/unit-costs/ (`unit_cost_patterns`, namespace "sroi_costs")."""

from django.urls import path

from . import views

app_name = "sroi"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("inputs/", views.inputs, name="inputs"),
    path("outcomes/new/", views.outcome_create, name="outcome_create"),
    path("outcomes/<int:outcome_id>/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:outcome_id>/delete/", views.outcome_delete, name="outcome_delete"),
]

unit_cost_patterns = [
    path("", views.unit_costs, name="list"),
    path("new/", views.unit_cost_form, name="create"),
    path("<int:unit_cost_id>/", views.unit_cost_form, name="edit"),
]
