"""/api/v1/spaces/{slug}/actions and /api/v1/actions/...: the public tracker and its changes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from coproduce.core.api import PUBLIC, PatchSchema
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Perspective

from . import access, selectors, services
from .models import Action, ActionStatus

router = Router(tags=["actions"])


class UpdateOut(Schema):
    at: dt.datetime
    text: str
    progress: int
    status: ActionStatus
    author: str | None


class ActionOut(Schema):
    id: int
    space: str
    title: str
    description: str
    owner: str | None = Field(None, description="Shown to members of the space only")
    owner_perspective: Perspective
    due_on: dt.date | None
    status: ActionStatus
    status_reason: str
    progress: int
    overdue: bool
    decision: int | None
    idea: int | None
    budget_project: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=3000)
    owner_id: int
    due_on: dt.date | None = None
    decision_id: int | None = None
    idea_id: int | None = None


class ActionFromSource(Schema):
    owner_id: int
    due_on: dt.date | None = None
    title: str = Field("", max_length=200, description="Defaults to the idea's title or the decision's text")


class ActionPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=3000)
    owner_id: int | None = None
    due_on: dt.date | None = None


class UpdateIn(Schema):
    text: str = Field(..., min_length=1, max_length=3000)
    progress: int = Field(..., ge=0, le=100)
    status: ActionStatus
    reason: str = Field("", max_length=2000)


def _action(a: Action, *, names: bool) -> dict:
    return {
        "id": a.pk,
        "space": a.space.slug,
        "title": a.title,
        "description": a.description,
        "owner": a.owner.display_name if names else None,
        "owner_perspective": a.owner_perspective,
        "due_on": a.due_on,
        "status": a.status,
        "status_reason": a.status_reason,
        "progress": a.progress,
        "overdue": a.is_overdue,
        "decision": a.decision_id,
        "idea": a.idea_id,
        "budget_project": a.budget_project_id,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def _person(person_id: int, field: str = "owner_id") -> User:
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise ValidationError({field: [_("No such person.")]})
    return person


@router.get(
    "/spaces/{slug}/actions",
    response=list[ActionOut],
    auth=PUBLIC,
    summary="The space's action tracker, with filters",
)
def action_list(
    request,
    slug: str,
    status: ActionStatus | None = None,
    perspective: Perspective | None = None,
    overdue: bool = False,
    limit: int = 50,
    offset: int = 0,
):
    space = space_access.get_space_for(request.user, slug)
    actions = selectors.tracker(space, status=status or "", perspective=perspective or "", overdue=overdue)
    names = access.shows_names(request.user, space)
    start = max(0, offset)
    return [
        _action(a, names=names)
        for a in actions.select_related("space")[start : start + max(1, min(limit, 100))]
    ]


@router.post("/spaces/{slug}/actions", response={201: ActionOut}, summary="Create an action (facilitators)")
def action_create(request, slug: str, payload: ActionIn):
    space = space_access.get_space_for(request.user, slug, need=space_access.FACILITATOR)
    decision = idea = None
    if payload.decision_id is not None:
        from coproduce.meetings import access as meeting_access

        decision = meeting_access.get_decision_for(request.user, payload.decision_id, space=space)
    if payload.idea_id is not None:
        from coproduce.ideas import access as idea_access

        idea = idea_access.get_idea_for(request.user, payload.idea_id, space=space)
    action = services.action_create(
        actor=request.user,
        space=space,
        title=payload.title,
        description=payload.description,
        owner=_person(payload.owner_id),
        due_on=payload.due_on,
        decision=decision,
        idea=idea,
    )
    return Status(201, _action(action, names=True))


@router.post(
    "/ideas/{idea_id}/actions",
    response={201: ActionOut},
    summary="Make an adopted idea an action, in one step (facilitators)",
)
def action_from_idea(request, idea_id: int, payload: ActionFromSource):
    from coproduce.ideas import access as idea_access

    idea = idea_access.get_idea_for(request.user, idea_id, write=True)
    action = services.action_create_from_idea(
        actor=request.user,
        idea=idea,
        owner=_person(payload.owner_id),
        due_on=payload.due_on,
        title=payload.title,
    )
    return Status(201, _action(action, names=True))


@router.post(
    "/decisions/{decision_id}/actions",
    response={201: ActionOut},
    summary="Make a meeting's decision an action (facilitators)",
)
def action_from_decision(request, decision_id: int, payload: ActionFromSource):
    from coproduce.meetings import access as meeting_access

    decision = meeting_access.get_decision_for(request.user, decision_id)
    action = services.action_create_from_decision(
        actor=request.user,
        decision=decision,
        owner=_person(payload.owner_id),
        due_on=payload.due_on,
        title=payload.title,
    )
    return Status(201, _action(action, names=True))


@router.get("/actions/{action_id}", response=ActionOut, auth=PUBLIC, summary="One action")
def action_detail(request, action_id: int):
    action = access.get_action_for(request.user, action_id)
    return _action(action, names=access.shows_names(request.user, action.space))


@router.patch("/actions/{action_id}", response=ActionOut, summary="Change what, who or when (facilitators)")
def action_edit(request, action_id: int, payload: ActionPatch):
    action = access.get_action_for(request.user, action_id)
    data = payload.dict(exclude_unset=True)
    if "owner_id" in data:
        data["owner"] = _person(data.pop("owner_id"))
    action = services.action_edit(actor=request.user, action=action, **data)
    return _action(action, names=True)


@router.get("/actions/{action_id}/updates", response=list[UpdateOut], auth=PUBLIC, summary="Dated updates")
def update_list(request, action_id: int):
    action = access.get_action_for(request.user, action_id)
    names = access.shows_names(request.user, action.space)
    return [
        {
            "at": u.created_at,
            "text": u.text,
            "progress": u.progress,
            "status": u.status,
            "author": u.author.display_name if names and u.author else None,
        }
        for u in selectors.updates(action)[:200]
    ]


@router.post(
    "/actions/{action_id}/updates",
    response={201: UpdateOut},
    summary="Post an update: progress and status (the owner, facilitators)",
)
def update_create(request, action_id: int, payload: UpdateIn):
    action = access.get_action_for(request.user, action_id, write=True)
    update = services.action_report(actor=request.user, action=action, **payload.dict())
    return Status(
        201,
        {
            "at": update.created_at,
            "text": update.text,
            "progress": update.progress,
            "status": update.status,
            "author": request.user.display_name,
        },
    )
