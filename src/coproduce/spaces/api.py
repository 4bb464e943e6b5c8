from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.people.models import Organisation

from . import access, selectors, services
from .models import EntryDispute, JoinRequest, Role, Stage, StageKind
from .schemas import (
    Decision,
    EntryDisputeIn,
    EntryDisputeOut,
    EventOut,
    HelpConsentIO,
    JoinRequestIn,
    JoinRequestOut,
    MemberPatch,
    OnMyBehalfOut,
    PartnerDecision,
    PartnerRequestOut,
    SignUpCodeOut,
    SpaceIn,
    SpaceMemberOut,
    SpaceOut,
    SpacePatch,
    StageOut,
    StagePatch,
)

router = Router(tags=["spaces"])
# The partnership requests an organisation's admins answer sit on the organisation's paths
# (/organisations/{slug}/partner-requests...), beside people's organisation endpoints.
organisations_router = Router(tags=["people"])
# What facilitators recorded on the person's behalf, and disputing it: /me/on-my-behalf (as the page).
me_router = Router(tags=["people"])


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
    found = selectors.space_directory(
        request.user, q=q[:100], place=place[:120], stage=stage or "", organisation=organisation[:120]
    )
    spaces = list(found[:200])
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


@router.post(
    "/{slug}/members/{member_id}/sign-up-code",
    response={201: SignUpCodeOut},
    summary="Make a sign-up code and link for a member who takes part with help (their facilitators)",
)
def member_sign_up_code(request, slug: str, member_id: int):
    space = access.get_space_for(request.user, slug, need=access.FACILITATOR)
    membership = access.get_membership_for(request.user, space, member_id)
    issued = services.claim_link_create(actor=request.user, person=membership.user)
    return Status(
        201,
        {
            "person_id": issued.person.pk,
            "display_name": issued.person.display_name,
            "code": issued.code_grouped,
            "code_url": request.build_absolute_uri(reverse("people:claim_code")),
            "url": request.build_absolute_uri(reverse("people:claim", args=[issued.token])),
            "expires_at": issued.expires_at,
        },
    )


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


@router.get("/{slug}/my-help", response=HelpConsentIO, summary="Whether I asked to be helped in this space")
def my_help(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    return {"accepts_help": access.accepts_help(request.user, space)}


@router.put("/{slug}/my-help", response=HelpConsentIO, summary="Ask (or stop asking) to be helped in person")
def my_help_set(request, slug: str, payload: HelpConsentIO):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    consent = services.help_consent_set(actor=request.user, space=space, accepts=payload.accepts_help)
    return {"accepts_help": consent is not None}


# --- Partnership requests, answered by an organisation's admins -----------------------------------


def _partner_request(r) -> dict:
    return {
        "id": r.pk,
        "space": r.space.slug,
        "space_title": r.space.title,
        "status": r.status,
        "requested_by": r.requested_by.display_name if r.requested_by else None,
        "created_at": r.created_at,
    }


# The operation ids are the ones these endpoints had in people/api.py, so that the API document is unchanged.
@organisations_router.get(
    "/organisations/{slug}/partner-requests",
    response=list[PartnerRequestOut],
    summary="Spaces asking to list the organisation as a partner (its admins)",
    operation_id="coproduce_people_api_partner_request_list",
)
def partner_request_list(request, slug: str):
    org = get_object_or_404(Organisation, slug=slug)
    if not access.may_answer_partnership(request.user, org):
        raise PermissionDenied
    return [_partner_request(r) for r in selectors.partnership_requests_to_answer(request.user, org)]


@organisations_router.post(
    "/organisations/{slug}/partner-requests/{request_id}/decision",
    response=PartnerRequestOut,
    summary="Accept or decline being listed as a partner of a space (its admins)",
    operation_id="coproduce_people_api_partner_request_decide",
)
def partner_request_decide(request, slug: str, request_id: int, payload: PartnerDecision):
    org = get_object_or_404(Organisation, slug=slug)
    partnership = access.get_partnership_request_for(request.user, org, request_id)
    partnership = services.partnership_decide(actor=request.user, request=partnership, accept=payload.accept)
    return _partner_request(partnership)


# --- Done on my behalf ----------------------------------------------------------------------------


@me_router.get(
    "/me/on-my-behalf", response=list[OnMyBehalfOut], summary="What facilitators recorded on your behalf"
)
def on_my_behalf(request, limit: int = 200):
    events = list(access.entries_for_me(request.user)[: max(1, min(limit, 500))])
    disputed = set(
        EntryDispute.objects.filter(person=request.user, event__in=[e.pk for e in events]).values_list(
            "event_id", flat=True
        )
    )
    return [
        {
            "id": e.pk,
            "at": e.at,
            "action": e.action,
            "summary": e.summary,
            "recorded_by": e.actor.display_name if e.actor else None,
            "space": e.space.slug if e.space else None,
            "disputed": e.pk in disputed,
        }
        for e in events
    ]


@me_router.post(
    "/me/on-my-behalf/{event_id}/dispute",
    response={201: EntryDisputeOut},
    summary="Say that something recorded on your behalf is wrong (the hosts are told)",
)
def entry_dispute(request, event_id: int, payload: EntryDisputeIn):
    event = access.get_entry_for_me(request.user, event_id)
    dispute = services.entry_dispute(actor=request.user, event=event, text=payload.text)
    return Status(
        201, {"id": dispute.pk, "event": event.pk, "text": dispute.text, "created_at": dispute.created_at}
    )
