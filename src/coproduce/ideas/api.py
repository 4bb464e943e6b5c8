"""/api/v1/spaces/{slug}/ideas and /api/v1/ideas/...: the same access rules and services as the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core import ahead, shared
from coproduce.core.api import PUBLIC
from coproduce.core.ratelimit import limited
from coproduce.people.models import User
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .models import Comment, Idea, IdeaCoAuthor, IdeaStatus
from .schemas import (
    CoAuthorIn,
    CommentIn,
    CommentOut,
    CommentPatch,
    CommentReasonIn,
    IdeaIn,
    IdeaOut,
    IdeaPatch,
    StatusIn,
    SupportOut,
)

if TYPE_CHECKING:  # django-stubs' helpers are for the type checker only
    from django_stubs_ext import WithAnnotations

    from .selectors import IdeaCounts

router = Router(tags=["ideas"])


def _idea(idea: WithAnnotations[Idea, IdeaCounts], *, names: bool, co_authors: list | None = None) -> dict:
    """An idea with its counts (from `selectors.idea_list` or `selectors.idea_with_counts`)."""
    if co_authors is None:
        co_authors = list(idea.co_authors.values_list("perspective", flat=True))
    return {
        "id": idea.pk,
        "space": idea.space.slug,
        "title": idea.title,
        "body": idea.body,
        "status": idea.status,
        "status_reason": idea.status_reason,
        "merged_into": idea.merged_into_id,
        "author": idea.author.display_name if names else None,
        "author_perspective": idea.author_perspective,
        "co_author_perspectives": co_authors,
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "supported_by_me": bool(idea.supported_by_me),
        "created_at": idea.created_at,
    }


def _comment(c: Comment, *, names: bool) -> dict:
    return {
        "id": c.pk,
        "parent": c.parent_id,
        "author": c.author.display_name if names else None,
        "author_perspective": c.author_perspective,
        "body": None if c.is_hidden else c.body,
        "hidden_reason": c.hidden_reason or None,
        "created_at": c.created_at,
        "edited_at": c.edited_at,
    }


def _assisted(person_id: int | None):
    if person_id is None:
        return None
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"on_behalf_of": [_("No such person.")]})
    return person


ahead.reads("api:idea_list")(selectors.list_reads)


@router.get(
    "/spaces/{slug}/ideas", response=list[IdeaOut], auth=PUBLIC, summary="A space's ideas, with filters"
)
def idea_list(
    request,
    slug: str,
    status: IdeaStatus | None = None,
    sort: str = "newest",
    q: str = "",
    limit: int = 50,
    offset: int = 0,
):
    # Which ideas of the space the person supports is read with the space (one round trip).
    space, rows = selectors.space_and_supports(request.user, slug)
    audience = access.list_audience(request.user, space)
    window = slice(max(0, offset), max(0, offset) + max(1, min(limit, 100)))

    def build() -> list[dict]:
        # The same for everyone in the audience; whether you support each idea is each request's (`own`).
        ideas = selectors.idea_list(space, status=status or "", sort=sort, q=q[:100])
        page = list(ideas.select_related("space")[window])
        co_authors: dict[int, list[str]] = {}
        for idea_id, perspective in IdeaCoAuthor.objects.filter(idea__in=page).values_list(
            "idea_id", "perspective"
        ):
            co_authors.setdefault(idea_id, []).append(perspective)
        return [_idea(i, names=audience.show_names, co_authors=co_authors.get(i.pk, [])) for i in page]

    parts = (status, sort, q, window.start, window.stop)
    return shared.kept_json(
        request,
        "ideas.api.list",
        audience=audience,
        parts=parts,
        schema=IdeaOut,
        build=build,
        own=("supported_by_me", lambda ids: selectors.supported_among(request.user, ids, rows)),
    )


@router.post("/spaces/{slug}/ideas", response={201: IdeaOut}, summary="Post an idea (members)")
@limited("post")
def idea_create(request, slug: str, payload: IdeaIn):
    space = space_access.get_space_for(request.user, slug, need=space_access.MEMBER)
    data = payload.dict()
    idea = services.idea_create(
        actor=request.user,
        space=space,
        title=data["title"],
        body=data["body"],
        on_behalf_of=_assisted(data["on_behalf_of"]),
    )
    return Status(201, _idea(selectors.idea_with_counts(idea, request.user), names=True))


@router.get("/ideas/{idea_id}", response=IdeaOut, auth=PUBLIC, summary="One idea")
def idea_detail(request, idea_id: int):
    idea = access.get_idea_for(request.user, idea_id)
    names = space_access.shows_names(request.user, idea.space)
    return _idea(selectors.idea_with_counts(idea, request.user), names=names)


@router.patch("/ideas/{idea_id}", response=IdeaOut, summary="Change an idea's text (its authors)")
def idea_update(request, idea_id: int, payload: IdeaPatch):
    idea = access.get_idea_for(request.user, idea_id, write=True)
    services.idea_update(actor=request.user, idea=idea, **payload.dict())
    return _idea(selectors.idea_with_counts(idea, request.user), names=True)


@router.post(
    "/ideas/{idea_id}/status", response=IdeaOut, summary="Say what becomes of an idea (facilitators)"
)
def idea_status(request, idea_id: int, payload: StatusIn):
    idea = access.get_idea_for(request.user, idea_id, write=True)
    idea = services.idea_set_status(
        actor=request.user,
        idea=idea,
        status=payload.status,
        reason=payload.reason,
        merged_into=payload.merged_into,
    )
    return _idea(selectors.idea_with_counts(idea, request.user), names=True)


@router.post("/ideas/{idea_id}/support", response={201: SupportOut}, summary="Support an idea (members)")
@limited("vote")
def support_add(request, idea_id: int):
    idea = access.get_idea_for(request.user, idea_id, write=True)
    services.idea_support(actor=request.user, idea=idea)
    return Status(201, {"support_count": idea.supports.count(), "supported_by_me": True})


@router.delete("/ideas/{idea_id}/support", response={204: None}, summary="Withdraw your support")
def support_remove(request, idea_id: int):
    idea = access.get_idea_for(request.user, idea_id, write=True)
    services.idea_unsupport(actor=request.user, idea=idea)
    return Status(204, None)


@router.post(
    "/ideas/{idea_id}/co-authors", response={201: None}, summary="Add a co-author (the idea's authors)"
)
def co_author_add(request, idea_id: int, payload: CoAuthorIn):
    idea = access.get_idea_for(request.user, idea_id, write=True)
    person = User.objects.filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": [_("No such person.")]})
    services.idea_co_author_add(actor=request.user, idea=idea, user=person)
    return Status(201, None)


@router.get("/ideas/{idea_id}/comments", response=list[CommentOut], auth=PUBLIC, summary="The conversation")
def comment_list(request, idea_id: int):
    idea = access.get_idea_for(request.user, idea_id)
    names = space_access.shows_names(request.user, idea.space)
    out = []
    for c in selectors.conversation(idea, request.user):
        out.append(_comment(c, names=names))
        out.extend(_comment(r, names=names) for r in c.replies.all())
    return out


@router.post("/ideas/{idea_id}/comments", response={201: CommentOut}, summary="Comment or reply (members)")
@limited("post")
def comment_create(request, idea_id: int, payload: CommentIn):
    idea = access.get_idea_for(request.user, idea_id, write=True)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(idea=idea, pk=payload.parent).first()
        if parent is None:
            raise ValidationError({"parent": [_("No such comment on this idea.")]})
    comment = services.comment_create(actor=request.user, idea=idea, body=payload.body, parent=parent)
    return Status(201, _comment(comment, names=True))


def _comment_of(request, idea_id: int, comment_id: int, *, write: bool) -> Comment:
    idea = access.get_idea_for(request.user, idea_id, write=write)
    return access.get_comment_for(request.user, comment_id, write=write, idea=idea)


@router.patch(
    "/ideas/{idea_id}/comments/{comment_id}", response=CommentOut, summary="Change your comment (15 min)"
)
def comment_update(request, idea_id: int, comment_id: int, payload: CommentPatch):
    comment = _comment_of(request, idea_id, comment_id, write=True)
    comment = services.comment_update(actor=request.user, comment=comment, body=payload.body)
    return _comment(comment, names=True)


@router.post(
    "/ideas/{idea_id}/comments/{comment_id}/report", response={201: None}, summary="Report a comment"
)
def comment_report(request, idea_id: int, comment_id: int, payload: CommentReasonIn):
    comment = _comment_of(request, idea_id, comment_id, write=True)
    services.comment_report(actor=request.user, comment=comment, reason=payload.reason)
    return Status(201, None)


@router.post(
    "/ideas/{idea_id}/comments/{comment_id}/hide",
    response=CommentOut,
    summary="Hide a comment with a public reason (facilitators)",
)
def comment_hide(request, idea_id: int, comment_id: int, payload: CommentReasonIn):
    comment = _comment_of(request, idea_id, comment_id, write=True)
    comment = services.comment_hide(actor=request.user, comment=comment, reason=payload.reason)
    return _comment(comment, names=True)
