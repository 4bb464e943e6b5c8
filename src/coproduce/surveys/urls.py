"""Nested under /spaces/<slug>/surveys/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("place-standard/", views.place_standard, name="place_standard"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/build/", views.build, name="build"),
    path("<int:pk>/settings/", views.settings, name="settings"),
    path("<int:pk>/status/", views.set_status, name="status"),
    path("<int:pk>/new-version/", views.new_version, name="new_version"),
    path("<int:pk>/sections/", views.section_add, name="section_add"),
    path("<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question_id>/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_id>/move/", views.question_move, name="question_move"),
    path("<int:pk>/questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/links/", views.links, name="links"),
    path("<int:pk>/link/<str:token>/", views.with_link, name="with_link"),
    path("<int:pk>/answer/<int:page>/", views.answer, name="answer"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/thank-you/", views.done, name="done"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/print/", views.printable, name="print"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/answers/<int:answer_id>/hide/", views.hide_answer, name="hide_answer"),
]
