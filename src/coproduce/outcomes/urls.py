"""Nested under /spaces/<slug>/outcomes/ (see coproduce/urls.py); a person's own page across spaces is
`urls_personal`, at /outcomes/."""

from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="index"),
    path("summary/", views.summary, name="summary"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/consent/", views.consent, name="consent"),
    path("people/<int:person_id>/helpers/", views.helpers, name="helpers"),
    path("people/<int:person_id>/conversations/new/", views.conversation_new, name="conversation_new"),
    path("people/<int:person_id>/plan/", views.plan, name="plan"),
]
