from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coproduce.core.api import PUBLIC, PatchSchema
from coproduce.people.models import Organisation

from . import access, selectors, services
from .models import JoinRequest, Perspective, Role, Stage, StageKind, StageStatus, Visibility

router = Router(tags=["spaces"])


class StageOut(Schema):
    kind: StageKind
    label: str
    position: int
    status: StageStatus
    starts_on: dt.date | None
    ends_on: dt.date | None
    summary: str


class SpaceOut(Schema):
    slug: str
    title: str
    purpose: str
    place: str
    visibility: Visibility
    organisations: list[str] = Field(..., description="Partner organisations that accepted to be listed")
    organisations_invited: list[str] = Field(
        ..., description="Organisations asked and not yet answering (shown to hosts only)"
    )
    created_at: dt.datetime
    member_count: int
    stages: list[StageOut]
    my_role: Role | None
    my_perspective: Perspective | None


class SpaceIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    purpose: str = Field(..., min_length=1, max_length=2000)
    place: str = Field("", max_length=120)
    visibility: Visibility = Visibility.PUBLIC
    organisations: list[str] = Field(
        default_factory=list,
        description="Organisation slugs. Each is listed once one of its admins accepts (at once if you are one).",
    )
    perspective: Perspective = Field(Perspective.FACILITATOR, description="Your own perspective as host")


class SpacePatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=120)
    purpose: str | None = Field(None, min_length=1, max_length=2000)
    place: str | None = Field(None, max_length=120)
    visibility: Visibility | None = None
    organisations: list[str] | None = None


class SpaceMemberOut(Schema):
    id: int
    person_id: int
    display_name: str
    role: Role
    perspective: Perspective
    joined_at: dt.datetime
    takes_part_with_help: bool


class MemberPatch(PatchSchema):
    role: Role | None = None
    perspective: Perspective | None = None


class JoinRequestIn(Schema):
    perspective: Perspective
    message: str = Field("", max_length=1000)


class JoinRequestOut(Schema):
    id: int
    display_name: str
    perspective: Perspective
    message: str
    status: str
    reason: str
    created_at: dt.datetime


class Decision(Schema):
    approve: bool
    reason: str = Field("", max_length=1000)


class StagePatch(PatchSchema):
    status: StageStatus | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    summary: str | None = Field(None, max_length=1000)


class EventOut(Schema):
    at: dt.datetime
    action: str
    summary: str
    actor: str | None
    on_behalf_of: str | None


def _stage(stage: Stage) -> dict:
    return {
        "kind": stage.kind,
        "label": str(stage.get_kind_display()),
        "position": stage.position,
        "status": stage.status,
        "starts_on": stage.starts_on,
        "ends_on": stage.ends_on,
        "summary": stage.summary,
    }


def _space(space, user) -> dict:
    membership = access.membership_of(user, space)
    return {
        "slug": space.slug,
        "title": space.title,
        "purpose": space.purpose,
        "place": space.place,
        "visibility": space.visibility,
        "created_at": space.created_at,
        "organisations": [o.slug for o in space.organisations.all()],
        "organisations_invited": [r.organisation.slug for r in selectors.invited_organisations(space)]
        if membership and membership.role == Role.HOST
        else [],
        "member_count": getattr(space, "member_count", None) or space.memberships.count(),
        "stages": [_stage(s) for s in space.stages.all()],
        "my_role": membership.role if membership else None,
        "my_perspective": membership.perspective if membership else None,
    }


def _member(m) -> dict:
    return {
        "id": m.pk,
        "person_id": m.user_id,
        "display_name": m.user.display_name,
        "role": m.role,
        "perspective": m.perspective,
        "joined_at": m.joined_at,
        "takes_part_with_help": m.user.is_assisted,
    }


def _organisations(slugs: list[str]) -> list[Organisation]:
    found = list(Organisation.objects.filter(slug__in=slugs))
    missing = set(slugs) - {o.slug for o in found}
    if missing:
        from django.core.exceptions import ValidationError

        raise ValidationError({"organisations": [f"Unknown organisation: {', '.join(sorted(missing))}"]})
    return found


@router.get("", response=list[SpaceOut], auth=PUBLIC, summary="Spaces you may see, with filters")
def space_list(request, q: str = "", place: str = "", stage: StageKind | None = None, organisation: str = ""):
    spaces = selectors.space_directory(
        request.user, q=q[:100], place=place[:120], stage=stage or "", organisation=organisation[:120]
    )
    spaces = list(spaces[:200])
    access.prefetch_memberships(request.user, spaces)
    return [_space(s, request.user) for s in spaces]


@router.post("", response={201: SpaceOut}, summary="Create a space; you become its host")
def space_create(request, payload: SpaceIn):
    data = payload.dict()
    data["organisations"] = _organisations(data["organisations"])
    space = services.space_create(actor=request.user, **data)
    return Status(201, _space(space, request.user))


@router.get("/{slug}", response=SpaceOut, auth=PUBLIC, summary="One space with its stages")
def space_detail(request, slug: str):
    return _space(access.get_space_for(request.user, slug), request.user)


@router.patch("/{slug}", response=SpaceOut, summary="Change a space (hosts)")
def space_update(request, slug: str, payload: SpacePatch):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    data = payload.dict(exclude_unset=True)
    organisations = _organisations(data.pop("organisations")) if "organisations" in data else None
    services.space_update(actor=request.user, space=space, organisations=organisations, **data)
    return _space(space, request.user)


@router.get("/{slug}/stages", response=list[StageOut], auth=PUBLIC, summary="The space's timeline")
def stage_list(request, slug: str):
    space = access.get_space_for(request.user, slug)
    return [_stage(s) for s in space.stages.all()]


@router.patch("/{slug}/stages/{kind}", response=StageOut, summary="Change a stage's status or dates (hosts)")
def stage_update(request, slug: str, kind: StageKind, payload: StagePatch):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    stage = get_object_or_404(Stage, space=space, kind=kind)
    services.stage_update(actor=request.user, stage=stage, **payload.dict(exclude_unset=True))
    return _stage(stage)


@router.get("/{slug}/members", response=list[SpaceMemberOut], summary="Members (members only)")
def member_list(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    return [_member(m) for m in selectors.members(space)]


@router.patch("/{slug}/members/{member_id}", response=SpaceMemberOut, summary="Change a role or perspective")
def member_update(request, slug: str, member_id: int, payload: MemberPatch):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    membership = access.get_membership_for(request.user, space, member_id)
    membership = services.membership_update(
        actor=request.user, membership=membership, **payload.dict(exclude_unset=True)
    )
    return _member(membership)


@router.delete(
    "/{slug}/members/{member_id}", response={204: None}, summary="Leave, or remove a member (hosts)"
)
def member_remove(request, slug: str, member_id: int, reason: str = ""):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    membership = access.get_membership_for(request.user, space, member_id)
    services.membership_end(actor=request.user, membership=membership, reason=reason[:1000])
    return Status(204, None)


@router.post("/{slug}/join-requests", response={201: JoinRequestOut}, summary="Ask to join a public space")
def join_request_create(request, slug: str, payload: JoinRequestIn):
    space = access.get_space_for(request.user, slug)
    jr = services.join_request_create(actor=request.user, space=space, **payload.dict())
    return Status(201, _join_request(jr))


def _join_request(jr: JoinRequest) -> dict:
    return {
        "id": jr.pk,
        "display_name": jr.user.display_name,
        "perspective": jr.perspective,
        "message": jr.message,
        "status": jr.status,
        "reason": jr.reason,
        "created_at": jr.created_at,
    }


@router.get("/{slug}/join-requests", response=list[JoinRequestOut], summary="Requests waiting (hosts)")
def join_request_list(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    return [_join_request(jr) for jr in selectors.pending_requests(space)]


@router.post(
    "/{slug}/join-requests/{request_id}/decision", response=JoinRequestOut, summary="Approve or decline"
)
def join_request_decide(request, slug: str, request_id: int, payload: Decision):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    jr = get_object_or_404(JoinRequest.objects.select_related("user"), space=space, pk=request_id)
    jr = services.join_request_decide(actor=request.user, join_request=jr, **payload.dict())
    return _join_request(jr)


@router.get(
    "/{slug}/history", response=list[EventOut], auth=PUBLIC, summary="Audit log (hosts) or public history"
)
def history(request, slug: str, limit: int = 100):
    space = access.get_space_for(request.user, slug)
    events, full = selectors.history(space, request.user)
    if not full and not space.is_public and not access.has_role(request.user, space, access.MEMBER):
        raise PermissionDenied
    names = full or access.shows_names(request.user, space)  # the public sees what changed, not who
    return [
        {
            "at": e.at,
            "action": e.action,
            "summary": e.summary,
            "actor": e.actor.display_name if e.actor and names else None,
            "on_behalf_of": e.on_behalf_of.display_name if e.on_behalf_of and full else None,
        }
        for e in events[: max(1, min(limit, 500))]
    ]


class HelpConsentIO(Schema):
    accepts_help: bool = Field(
        ..., description="Facilitators and hosts of this space may record things for me when they help me"
    )


@router.get("/{slug}/my-help", response=HelpConsentIO, summary="Whether I asked to be helped in this space")
def my_help(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    return {"accepts_help": access.accepts_help(request.user, space)}


@router.put("/{slug}/my-help", response=HelpConsentIO, summary="Ask (or stop asking) to be helped in person")
def my_help_set(request, slug: str, payload: HelpConsentIO):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    consent = services.help_consent_set(actor=request.user, space=space, accepts=payload.accepts_help)
    return {"accepts_help": consent is not None}
