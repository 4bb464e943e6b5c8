"""Who may see and do what in the network hub. Pages, services and the API all ask these functions.

- Reading: when the hub is public (`settings.HUB_PUBLIC`, default True: a network's members' site is read by
  anyone, as the separate sites it replaces were), anyone may read published posts and their comments, and
  the feeds carry them; when it is not, only people signed in may. A held or hidden post is seen only by its
  author and the network admins (everyone else: 404, its existence not revealed).
- Writing (posting, commenting, "this helped", reporting) needs signing in with an active account.
- Moderating (hiding and restoring, letting held posts through, categories) is for network admins
  (`people.access.can_admin_network`).

Protection against spam (the rule is here so that the page, the service and the API hold the same one):
- A member is *new* while their account is younger than `NEW_ACCOUNT_DAYS` days or fewer than
  `TRUSTED_AFTER_POSTS` of their posts have been published. A new member's posts are held for a moderator
  before anyone else sees them; network admins are never new.
- A new member may put at most `NEW_MEMBER_LINKS` link in a post or comment; more is refused with a plain
  message (nothing saved, the form kept).
- Everyone may post `POSTS_PER_HOUR` times and comment `COMMENTS_PER_HOUR` times an hour (counted in the cache,
  see services.py); admins have no limit.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from coproduce.people.access import can_admin_network

from .models import Comment, Post, PostStatus

NEW_ACCOUNT_DAYS = 7
TRUSTED_AFTER_POSTS = 2
NEW_MEMBER_LINKS = 1
POSTS_PER_HOUR = 5
COMMENTS_PER_HOUR = 20

# What urlize would turn into a link: a scheme, "www.", or a bare domain with a common ending.
_LINK = re.compile(
    r"(?i)\bhttps?://\S+|\bwww\.\S+|\b[a-z0-9][a-z0-9.-]*\.(?:com|org|net|info|biz|io|uk|scot|co|me|ly|xyz)\b"
)


def hub_is_public() -> bool:
    return bool(getattr(settings, "HUB_PUBLIC", True))


def can_read(user) -> bool:
    return hub_is_public() or bool(user.is_authenticated)


def can_write(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_moderate(user) -> bool:
    return can_admin_network(user)


def require_moderator(user) -> None:
    """404 for everyone else, so that the moderation pages are not revealed."""
    if not can_moderate(user):
        raise Http404


def is_new_member(user, *, now: dt.datetime | None = None) -> bool:
    if can_moderate(user):
        return False
    now = now or timezone.now()
    if now - user.date_joined < dt.timedelta(days=NEW_ACCOUNT_DAYS):
        return True
    published = Post.objects.filter(author=user, published_at__isnull=False).count()
    return published < TRUSTED_AFTER_POSTS


def count_links(text: str) -> int:
    return len(_LINK.findall(text or ""))


def can_see_post(user, post: Post) -> bool:
    if post.status == PostStatus.PUBLISHED:
        return can_read(user)
    return bool(user.is_authenticated and (post.author_id == user.pk or can_moderate(user)))


def get_post_for(user, post_id: int, *, write: bool = False) -> Post:
    """The post, or Http404 for those who may not see it; PermissionDenied when `write` (comment, react,
    report) is asked by someone not signed in, or on a post that is not public."""
    post = Post.objects.select_related("category", "author").filter(pk=post_id).first()
    if post is None or not can_see_post(user, post):
        raise Http404
    if write and (not can_write(user) or post.status != PostStatus.PUBLISHED):
        raise PermissionDenied
    return post


def get_comment_for(user, comment_id: int, *, write: bool = False, post: Post | None = None) -> Comment:
    queryset = Comment.objects.select_related("post__category", "post__author", "author")
    if post is not None:
        queryset = queryset.filter(post=post)
    comment = queryset.filter(pk=comment_id).first()
    if comment is None or not can_see_post(user, comment.post):
        raise Http404
    if write and (not can_write(user) or comment.post.status != PostStatus.PUBLISHED or comment.is_hidden):
        raise PermissionDenied
    return comment


def can_edit_post(user, post: Post) -> bool:
    """Its author changes a post while it is not hidden."""
    return bool(can_write(user) and post.author_id == user.pk and post.status != PostStatus.HIDDEN)


def require_writer(user) -> None:
    if not can_write(user):
        raise PermissionDenied
