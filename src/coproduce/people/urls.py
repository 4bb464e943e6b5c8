from django.urls import path

from . import network_views, views

# coproduce/urls.py adds, in this namespace, the spaces pages on these paths: "on_my_behalf" (/me/on-my-behalf/),
# "partnership_decide" and "partnership_end" (/organisations/<slug>/...): see spaces/urls_site.py.

app_name = "people"
urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/download.<str:fmt>", views.my_data_download, name="my_data_download"),
    path("me/erase/", views.erase_account, name="erase"),
    path("privacy/", views.privacy, name="privacy"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("claim/<str:token>/", views.claim, name="claim"),
    path("signup/code/", views.claim_code, name="claim_code"),
    path("signup/code/continue/", views.claim_code_continue, name="claim_code_continue"),
    path("network/", network_views.dashboard, name="network"),
    path("network/members/", network_views.members, name="network_members"),
    path("network/members/<int:person_id>/", network_views.member, name="network_member"),
    path(
        "network/members/<int:person_id>/data.<str:fmt>",
        network_views.member_data,
        name="network_member_data",
    ),
    path("network/members/<int:person_id>/erase/", network_views.member_erase, name="network_member_erase"),
    path("network/organisations/", network_views.organisations, name="network_organisations"),
    path("network/organisations/<slug:slug>/", network_views.organisation, name="network_organisation"),
    path(
        "network/organisations/<slug:slug>/admins/",
        network_views.organisation_admin,
        name="network_organisation_admin",
    ),
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
]
