"""Mounted at /hub/ (see coproduce/urls.py)."""

from django.urls import path

from . import feeds
from .views import digest, moderation, posts

app_name = "hub"
urlpatterns = [
    path("", posts.home, name="home"),
    path("feed/", feeds.HubFeed(), name="feed"),
    path("write/", posts.post_write, name="write"),
    path("me/", posts.me, name="me"),
    path("categories/", moderation.categories, name="categories"),
    path("categories/<slug:slug>/edit/", moderation.category_edit, name="category_edit"),
    path("c/<slug:slug>/", posts.category, name="category"),
    path("c/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("posts/<int:post_id>/", posts.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", posts.post_edit, name="post_edit"),
    path("posts/<int:post_id>/comments/", posts.comment_create, name="comment"),
    path("posts/<int:post_id>/helped/", posts.post_helped, name="post_helped"),
    path("posts/<int:post_id>/report/", posts.post_report, name="post_report"),
    path("posts/<int:post_id>/hide/", moderation.post_hide, name="post_hide"),
    path("posts/<int:post_id>/restore/", moderation.post_restore, name="post_restore"),
    path("posts/<int:post_id>/publish/", moderation.post_publish, name="post_publish"),
    path("posts/<int:post_id>/dismiss/", moderation.post_dismiss, name="post_dismiss"),
    path("comments/<int:comment_id>/helped/", posts.comment_helped, name="comment_helped"),
    path("comments/<int:comment_id>/report/", posts.comment_report, name="comment_report"),
    path("comments/<int:comment_id>/hide/", moderation.comment_hide, name="comment_hide"),
    path("comments/<int:comment_id>/restore/", moderation.comment_restore, name="comment_restore"),
    path("comments/<int:comment_id>/dismiss/", moderation.comment_dismiss, name="comment_dismiss"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("digest/unsubscribe/<str:token>/", digest.unsubscribe, name="unsubscribe"),
]
