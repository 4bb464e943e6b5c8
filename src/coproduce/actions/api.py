"""/api/v1/spaces/{slug}/actions and /api/v1/actions/...: the public tracker and its changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.core.registry import Source
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Perspective

from . import access, selectors, services
from .models import Action, ActionStatus
from .schemas import ActionFromSource, ActionIn, ActionOut, ActionPatch, UpdateIn, UpdateOut

router = Router(tags=["actions"])


def _action(a: Action, *, names: bool) -> dict[str, Any]:
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
    space = space_access.get_space_for(request.user, slug)
    access.require_role(access.can_create(request.user, space))
    sent = {
        "meetings.decision": payload.decision_id,
        "ideas.idea": payload.idea_id,
        "budgets.project": payload.budget_project_id,
    }
    sources = [access.get_source_for(request.user, kind, pk, space=space) for kind, pk in sent.items() if pk]
    if len(sources) > 1:
        raise ValidationError(_("An action comes from one decision, idea or project, not several."))
    action = services.action_create(
        actor=request.user,
        space=space,
        title=payload.title,
        description=payload.description,
        owner=_person(payload.owner_id),
        due_on=payload.due_on,
        source=sources[0] if sources else None,
    )
    return Status(201, _action(action, names=True))


def _from_source(request, source: Source, payload: ActionFromSource) -> Status:
    action = services.action_create_from_source(
        actor=request.user,
        source=source,
        owner=_person(payload.owner_id),
        due_on=payload.due_on,
        title=payload.title,
    )
    return Status(201, _action(action, names=True))


@router.post(
    "/ideas/{idea_id}/actions",
    response={201: ActionOut},
    summary="Make an adopted idea an action, in one step (facilitators)",
)
def action_from_idea(request, idea_id: int, payload: ActionFromSource):
    return _from_source(request, access.get_source_for(request.user, "ideas.idea", idea_id), payload)


@router.post(
    "/budget-projects/{project_id}/actions",
    response={201: ActionOut},
    summary="Add an action to a funded budget project (facilitators)",
)
def action_from_project(request, project_id: int, payload: ActionFromSource):
    return _from_source(request, access.get_source_for(request.user, "budgets.project", project_id), payload)


@router.post(
    "/decisions/{decision_id}/actions",
    response={201: ActionOut},
    summary="Make a meeting's decision an action (facilitators)",
)
def action_from_decision(request, decision_id: int, payload: ActionFromSource):
    return _from_source(
        request, access.get_source_for(request.user, "meetings.decision", decision_id), payload
    )


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
    action = access.get_action_for(request.user, action_id)
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
