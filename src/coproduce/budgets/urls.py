"""Nested under /spaces/<slug>/budgets/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_list, name="list"),
    path("new/", views.budget_create, name="create"),
    path("import/", views.budget_import, name="import"),
    path("<int:budget_id>/", views.budget_detail, name="detail"),
    path("<int:budget_id>/edit/", views.budget_edit, name="edit"),
    path("<int:budget_id>/phase/", views.budget_phase, name="phase"),
    path("<int:budget_id>/close-voting/", views.budget_close_voting, name="close_voting"),
    path("<int:budget_id>/reopen-voting/", views.budget_reopen_voting, name="reopen_voting"),
    path("<int:budget_id>/projects/", views.project_list, name="projects"),
    path("<int:budget_id>/projects/new/", views.project_create, name="project_create"),
    path("<int:budget_id>/projects/<int:project_id>/", views.project_detail, name="project"),
    path("<int:budget_id>/projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("<int:budget_id>/projects/<int:project_id>/review/", views.project_review, name="project_review"),
    path("<int:budget_id>/projects/<int:project_id>/image/", views.project_image, name="project_image"),
    path("<int:budget_id>/vote/", views.vote, name="vote"),
    path("<int:budget_id>/vote/total/", views.vote_total, name="vote_total"),
    path("<int:budget_id>/vote/done/", views.voted, name="voted"),
    path("<int:budget_id>/paper-ballots/", views.paper_ballot, name="paper"),
    path("<int:budget_id>/results/", views.results, name="results"),
    path("<int:budget_id>/results/recount/", views.results_recount, name="recount"),
    path("<int:budget_id>/export.pb", views.export, name="export"),
]
