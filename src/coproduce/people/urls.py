from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/on-my-behalf/", views.on_my_behalf, name="on_my_behalf"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("claim/<str:token>/", views.claim, name="claim"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/join/", views.organisation_join, name="organisation_join"),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/",
        views.organisation_member,
        name="organisation_member",
    ),
    path(
        "organisations/<slug:slug>/partner-requests/<int:request_id>/",
        views.partnership_decide,
        name="partnership_decide",
    ),
    path(
        "organisations/<slug:slug>/spaces/<slug:space_slug>/stop-listing/",
        views.partnership_end,
        name="partnership_end",
    ),
]
