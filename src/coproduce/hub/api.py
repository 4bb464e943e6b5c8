"""/api/v1/posts...: the hub's posts, with the same access rules (access.py) and services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.core.ratelimit import limited

from . import access, selectors, services
from .models import Category, Comment, Post, PostKind, PostStatus
from .schemas import (
    HubCategoryOut,
    HubCommentIn,
    HubCommentOut,
    HubHelpedOut,
    HubModerationOut,
    HubPostDetailOut,
    HubPostIn,
    HubPostOut,
    HubReasonIn,
)

router = Router(tags=["hub"])


def _post(p: Post) -> dict:
    hidden = p.status == PostStatus.HIDDEN
    return {
        "id": p.pk,
        "category": p.category.slug,
        "kind": p.kind,
        "title": p.title,
        "body": None if hidden else p.body,
        "author": p.author.display_name,
        "status": p.status,
        "hidden_reason": p.hidden_reason or None,
        "published_at": p.published_at,
        "comment_count": p.comment_count,
        "helped_count": p.helped_count,
        "url": p.get_absolute_url(),
    }


def _comment(c: Comment) -> dict:
    return {
        "id": c.pk,
        "parent": c.parent_id,
        "author": c.author.display_name,
        "body": None if c.is_hidden else c.body,
        "hidden_reason": c.hidden_reason or None,
        "helped_count": c.helped_count,
        "created_at": c.created_at,
    }


def _reader(request) -> None:
    if not access.can_read(request.user):
        raise PermissionDenied(_("Sign in to read the hub."))


def _category(slug: str) -> Category:
    found = Category.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationError({"category": [_("There is no category with that name.")]})
    return found


@router.get("/posts/categories", response=list[HubCategoryOut], auth=PUBLIC, summary="The hub's categories")
def category_list(request):
    _reader(request)
    return [
        {"id": c.pk, "name": c.name, "slug": c.slug, "description": c.description, "post_count": c.post_count}
        for c in selectors.categories_with_counts()
    ]


@router.get(
    "/posts/moderation", response=HubModerationOut, summary="Open reports and held posts (network admins)"
)
def moderation_queue(request):
    access.require_moderator(request.user)
    return {
        "reports": [
            {
                "id": r.pk,
                "post": r.post_id,
                "comment": r.comment_id,
                "reason": r.reason,
                "created_at": r.created_at,
            }
            for r in selectors.open_reports()[:200]
        ],
        "held": [_post(p) for p in selectors.held_posts()[:200]],
    }


@router.get("/posts", response=list[HubPostOut], auth=PUBLIC, summary="Public posts, newest first")
def post_list(request, category: str = "", kind: PostKind | None = None, limit: int = 20, offset: int = 0):
    _reader(request)
    posts = selectors.published()
    if category:
        posts = posts.filter(category=get_object_or_404(Category, slug=category))
    if kind:
        posts = posts.filter(kind=kind)
    start = max(0, offset)
    return [_post(p) for p in posts[start : start + max(1, min(limit, 100))]]


@router.post("/posts", response={201: HubPostOut}, summary="Write a post (a new member's is held)")
@limited("post")
def post_create(request, payload: HubPostIn):
    post = services.post_create(
        actor=request.user,
        category=_category(payload.category),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
    )
    return Status(201, _post(post))


@router.get("/posts/{post_id}", response=HubPostDetailOut, auth=PUBLIC, summary="A post and its comments")
def post_detail(request, post_id: int):
    post = access.get_post_for(request.user, post_id)
    out = _post(post)
    out["comments"] = [
        _comment(c)
        for top in selectors.conversation(post, request.user).comments
        for c in [top, *top.thread]  # type: ignore[attr-defined]
    ]
    return out


@router.post("/posts/{post_id}/comments", response={201: HubCommentOut}, summary="Comment or reply")
@limited("post")
def comment_create(request, post_id: int, payload: HubCommentIn):
    post = access.get_post_for(request.user, post_id, write=True)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(post=post, pk=payload.parent).first()
        if parent is None:
            raise ValidationError({"parent": [_("No such comment on this post.")]})
    comment = services.comment_create(actor=request.user, post=post, body=payload.body, parent=parent)
    return Status(201, _comment(comment))


@router.post("/posts/{post_id}/helped", response=HubHelpedOut, summary="Say this helped, or take it back")
def post_helped(request, post_id: int):
    post = access.get_post_for(request.user, post_id, write=True)
    helped = services.helped_toggle(actor=request.user, post=post)
    post.refresh_from_db(fields=["helped_count"])
    return {"helped": helped, "helped_count": post.helped_count}


@router.post(
    "/posts/{post_id}/comments/{comment_id}/helped",
    response=HubHelpedOut,
    summary="Say a comment helped, or take it back",
)
def comment_helped(request, post_id: int, comment_id: int):
    post = access.get_post_for(request.user, post_id, write=True)
    comment = access.get_comment_for(request.user, comment_id, write=True, post=post)
    helped = services.helped_toggle(actor=request.user, comment=comment)
    comment.refresh_from_db(fields=["helped_count"])
    return {"helped": helped, "helped_count": comment.helped_count}


@router.post("/posts/{post_id}/report", response={201: None}, summary="Report a post to the moderators")
def post_report(request, post_id: int, payload: HubReasonIn):
    post = access.get_post_for(request.user, post_id, write=True)
    services.report_create(actor=request.user, post=post, reason=payload.reason)
    return Status(201, None)


@router.post(
    "/posts/{post_id}/comments/{comment_id}/report",
    response={201: None},
    summary="Report a comment to the moderators",
)
def comment_report(request, post_id: int, comment_id: int, payload: HubReasonIn):
    post = access.get_post_for(request.user, post_id, write=True)
    comment = access.get_comment_for(request.user, comment_id, write=True, post=post)
    services.report_create(actor=request.user, comment=comment, reason=payload.reason)
    return Status(201, None)


def _moderated_post(request, post_id: int) -> Post:
    access.require_moderator(request.user)
    return get_object_or_404(Post.objects.select_related("category", "author"), pk=post_id)


@router.post("/posts/{post_id}/hide", response=HubPostOut, summary="Hide a post with a reason (admins)")
def post_hide(request, post_id: int, payload: HubReasonIn):
    post = services.post_hide(
        actor=request.user, post=_moderated_post(request, post_id), reason=payload.reason
    )
    return _post(post)


@router.post("/posts/{post_id}/restore", response=HubPostOut, summary="Restore a hidden post (admins)")
def post_restore(request, post_id: int):
    return _post(services.post_restore(actor=request.user, post=_moderated_post(request, post_id)))


@router.post("/posts/{post_id}/publish", response=HubPostOut, summary="Let a held post through (admins)")
def post_publish(request, post_id: int):
    return _post(services.post_publish(actor=request.user, post=_moderated_post(request, post_id)))


@router.post(
    "/posts/{post_id}/comments/{comment_id}/hide",
    response=HubCommentOut,
    summary="Hide a comment with a reason (admins)",
)
def comment_hide(request, post_id: int, comment_id: int, payload: HubReasonIn):
    access.require_moderator(request.user)
    comment = get_object_or_404(Comment, pk=comment_id, post_id=post_id)
    return _comment(services.comment_hide(actor=request.user, comment=comment, reason=payload.reason))


@router.post(
    "/posts/{post_id}/comments/{comment_id}/restore",
    response=HubCommentOut,
    summary="Restore a hidden comment (admins)",
)
def comment_restore(request, post_id: int, comment_id: int):
    access.require_moderator(request.user)
    comment = get_object_or_404(Comment, pk=comment_id, post_id=post_id)
    return _comment(services.comment_restore(actor=request.user, comment=comment))
