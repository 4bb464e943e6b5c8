"""Nested under /spaces/<slug>/ideas/ (see coproduce/urls.py)."""

from django.urls import path

from . import views

app_name = "ideas"
urlpatterns = [
    path("", views.idea_list, name="list"),
    path("new/", views.idea_create, name="create"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:idea_id>/", views.idea_detail, name="detail"),
    path("<int:idea_id>/edit/", views.idea_edit, name="edit"),
    path("<int:idea_id>/support/", views.support, name="support"),
    path("<int:idea_id>/comments/", views.comment_create, name="comment"),
    path("<int:idea_id>/status/", views.idea_status, name="status"),
    path("<int:idea_id>/co-authors/", views.co_author_add, name="co_author_add"),
    path("<int:idea_id>/co-authors/<int:user_id>/remove/", views.co_author_remove, name="co_author_remove"),
    path("comments/<int:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/report/", views.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/hide/", views.comment_hide, name="comment_hide"),
    path("comments/<int:comment_id>/dismiss/", views.comment_dismiss, name="comment_dismiss"),
]
