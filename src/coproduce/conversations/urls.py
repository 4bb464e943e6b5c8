"""Nested under /spaces/<slug>/conversations/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.create, name="create"),
    path("import/", views.import_polis, name="import"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/statements/new/", views.statement_add, name="statement_add"),
    path("<int:pk>/settings/", views.settings, name="settings"),
    path("<int:pk>/moderation/", views.moderation, name="moderation"),
    path("<int:pk>/statements/<int:statement_id>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/moderation-log/", views.moderation_log, name="log"),
    path("<int:pk>/moderation-log.csv", views.moderation_log_csv, name="log_csv"),
    path("<int:pk>/enter-votes/", views.enter_votes, name="enter_votes"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/statements.csv", views.statements_csv, name="statements_csv"),
    path("<int:pk>/map.csv", views.participants_csv, name="map_csv"),
    path("<int:pk>/polis.zip", views.export_polis, name="export"),
]
