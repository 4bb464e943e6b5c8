"""Nested under /spaces/<slug>/budgets/ (see coproduce/urls.py)."""

from django.urls import path

from .views import budgets, projects, results, voting

app_name = "budgets"
urlpatterns = [
    path("", budgets.budget_list, name="list"),
    path("new/", budgets.budget_create, name="create"),
    path("import/", budgets.budget_import, name="import"),
    path("from-idea/<int:idea_id>/", projects.from_idea, name="from_idea"),
    path("<int:budget_id>/", budgets.budget_detail, name="detail"),
    path("<int:budget_id>/edit/", budgets.budget_edit, name="edit"),
    path("<int:budget_id>/phase/", budgets.budget_phase, name="phase"),
    path("<int:budget_id>/close-voting/", budgets.budget_close_voting, name="close_voting"),
    path("<int:budget_id>/reopen-voting/", budgets.budget_reopen_voting, name="reopen_voting"),
    path("<int:budget_id>/projects/", projects.project_list, name="projects"),
    path("<int:budget_id>/projects/new/", projects.project_create, name="project_create"),
    path("<int:budget_id>/projects/<int:project_id>/", projects.project_detail, name="project"),
    path("<int:budget_id>/projects/<int:project_id>/edit/", projects.project_edit, name="project_edit"),
    path("<int:budget_id>/projects/<int:project_id>/review/", projects.project_review, name="project_review"),
    path("<int:budget_id>/projects/<int:project_id>/image/", projects.project_image, name="project_image"),
    path("<int:budget_id>/vote/", voting.vote, name="vote"),
    path("<int:budget_id>/vote/total/", voting.vote_total, name="vote_total"),
    path("<int:budget_id>/vote/done/", voting.voted, name="voted"),
    path("<int:budget_id>/paper-ballots/", voting.paper_ballot, name="paper"),
    path("<int:budget_id>/print/ballot/", voting.print_ballot, name="print_ballot"),
    path("<int:budget_id>/results/", results.results, name="results"),
    path("<int:budget_id>/results/recount/", results.results_recount, name="recount"),
    path("<int:budget_id>/export.pb", results.export, name="export"),
]
