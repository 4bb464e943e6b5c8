"""Nested under /spaces/<slug>/ideas/ (see coproduce/urls.py)."""

from django.urls import path

from .views import comments, ideas, moderation

app_name = "ideas"
urlpatterns = [
    path("", ideas.idea_list, name="list"),
    path("new/", ideas.idea_create, name="create"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("print/", ideas.print_ideas, name="print"),
    path("<int:idea_id>/", ideas.idea_detail, name="detail"),
    path("<int:idea_id>/edit/", ideas.idea_edit, name="edit"),
    path("<int:idea_id>/support/", ideas.support, name="support"),
    path("<int:idea_id>/comments/", comments.comment_create, name="comment"),
    path("<int:idea_id>/status/", moderation.idea_status, name="status"),
    path("<int:idea_id>/co-authors/", ideas.co_author_add, name="co_author_add"),
    path("<int:idea_id>/co-authors/<int:user_id>/remove/", ideas.co_author_remove, name="co_author_remove"),
    path("comments/<int:comment_id>/edit/", comments.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/report/", comments.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/hide/", comments.comment_hide, name="comment_hide"),
    path("comments/<int:comment_id>/dismiss/", comments.comment_dismiss, name="comment_dismiss"),
]
