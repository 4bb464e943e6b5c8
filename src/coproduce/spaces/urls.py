from django.urls import path

from . import views

app_name = "spaces"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/join/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/requests/", views.requests, name="requests"),
    path("<slug:slug>/requests/<int:request_id>/decide/", views.decide, name="decide"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/members/add-with-help/", views.assisted_add, name="assisted_add"),
    path("<slug:slug>/members/<int:member_id>/", views.member_edit, name="member_edit"),
    path("<slug:slug>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/members/<int:member_id>/sign-up-link/", views.claim_link, name="claim_link"),
    path("<slug:slug>/members/<int:member_id>/sign-up-handout/", views.claim_handout, name="claim_handout"),
    path("<slug:slug>/stages/<str:kind>/", views.stage_edit, name="stage_edit"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/history/", views.history, name="history"),
]
