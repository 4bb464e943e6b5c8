"""/api/v1/spaces/{slug}/meetings, /api/v1/meetings/..., /api/v1/agenda/...: the same access rules and
services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from coproduce.core.api import PUBLIC
from coproduce.core.ratelimit import limited
from coproduce.people.models import Organisation, User
from coproduce.spaces import access as space_access

from . import access, selectors, services
from .models import Meeting, Registration, RegistrationStatus, Stance
from .schemas import (
    AttendanceIn,
    AttendanceOut,
    CreditsIn,
    DecisionIn,
    DecisionOut,
    DotsOut,
    ItemIn,
    ItemOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MeetingReasonIn,
    MinutesIn,
    RegistrationIn,
    RegistrationOut,
    RegistrationRow,
)

router = Router(tags=["meetings"])


def _meeting(m: Meeting, user, *, mine: dict[int, Registration] | None = None) -> dict[str, Any]:
    """One meeting as the API shows it. A list passes `mine` (the person's registrations, looked up once) and
    meetings annotated by `selectors.meetings`, so that a row costs no query."""
    registration = selectors.registration_of(user, m) if mine is None else mine.get(m.pk)
    counts: dict[str, int]
    if hasattr(m, "registered_count"):
        counts = {
            RegistrationStatus.REGISTERED: m.registered_count,
            RegistrationStatus.WAITING: getattr(m, "waiting_count", 0),
        }
    else:
        counts = selectors.registration_counts(m)
    return {
        "id": m.pk,
        "space": m.space.slug,
        "title": m.title,
        "description": m.description,
        "format": m.format,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place_name": m.place_name,
        "address": m.address,
        "online_url": (m.online_url or None) if access.can_see_online_link(user, m, registration) else None,
        "access_offers": m.access_offers(),
        "access_notes": m.access_notes,
        "capacity": m.capacity,
        "registered": counts[RegistrationStatus.REGISTERED],
        "waiting": counts[RegistrationStatus.WAITING],
        "agenda_published": m.agenda_is_published,
        "credit_minutes": m.credit_minutes,
        "cancelled": m.is_cancelled,
        "my_registration": registration.status if registration else None,
    }


def _person(person_id: int | None, field: str = "on_behalf_of") -> User | None:
    if person_id is None:
        return None
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        raise ValidationError({field: [_("No such person.")]})
    return person


@router.get("/spaces/{slug}/meetings", response=list[MeetingOut], auth=PUBLIC, summary="A space's meetings")
def meeting_list(request, slug: str, when: str = "upcoming"):
    space = space_access.get_space_for(request.user, slug)
    listed = list(selectors.meetings(space, when=when).select_related("space")[:100])
    mine = selectors.registrations_of(request.user, listed)
    return [_meeting(m, request.user, mine=mine) for m in listed]


@router.post("/spaces/{slug}/meetings", response={201: MeetingOut}, summary="Plan a meeting (facilitators)")
def meeting_create(request, slug: str, payload: MeetingIn):
    space = space_access.get_space_for(request.user, slug)
    meeting = services.meeting_create(actor=request.user, space=space, **payload.dict())
    return Status(201, _meeting(meeting, request.user))


@router.get("/meetings/{meeting_id}", response=MeetingOut, auth=PUBLIC, summary="One meeting")
def meeting_detail(request, meeting_id: int):
    return _meeting(access.get_meeting_for(request.user, meeting_id), request.user)


@router.patch("/meetings/{meeting_id}", response=MeetingOut, summary="Change a meeting (facilitators)")
def meeting_update(request, meeting_id: int, payload: MeetingPatch):
    meeting = access.get_meeting_for(request.user, meeting_id)
    meeting = services.meeting_update(actor=request.user, meeting=meeting, **payload.dict(exclude_unset=True))
    return _meeting(meeting, request.user)


@router.post("/meetings/{meeting_id}/cancel", response=MeetingOut, summary="Cancel a meeting (facilitators)")
def meeting_cancel(request, meeting_id: int, payload: MeetingReasonIn):
    meeting = access.get_meeting_for(request.user, meeting_id)
    meeting = services.meeting_cancel(actor=request.user, meeting=meeting, reason=payload.reason)
    return _meeting(meeting, request.user)


@router.put(
    "/meetings/{meeting_id}/time-credits",
    response=MeetingOut,
    summary="Decide that attending earns time credits (hosts)",
)
def meeting_credits(request, meeting_id: int, payload: CreditsIn):
    meeting = access.get_meeting_for(request.user, meeting_id)
    access.require_role(access.can_set_credits(request.user, meeting))
    organisation = None
    if payload.organisation:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise ValidationError({"organisation": [_("No such organisation.")]})
    meeting = services.meeting_set_credits(
        actor=request.user, meeting=meeting, organisation=organisation, minutes=payload.minutes
    )
    return _meeting(meeting, request.user)


@router.post(
    "/meetings/{meeting_id}/registration",
    response={201: RegistrationOut},
    summary="Register, or join the waiting list when it is full (members)",
)
def register(request, meeting_id: int, payload: RegistrationIn):
    meeting = access.get_meeting_for(request.user, meeting_id)
    registration = services.registration_create(
        actor=request.user,
        meeting=meeting,
        access_needs=payload.access_needs,
        on_behalf_of=_person(payload.on_behalf_of),
    )
    return Status(201, {"status": registration.status})


@router.delete("/meetings/{meeting_id}/registration", response={204: None}, summary="Cancel your place")
def unregister(request, meeting_id: int):
    meeting = access.get_meeting_for(request.user, meeting_id)
    registration = selectors.registration_of(request.user, meeting)
    if registration is None:
        raise Http404
    services.registration_cancel(actor=request.user, registration=registration)
    return Status(204, None)


@router.get(
    "/meetings/{meeting_id}/registrations",
    response=list[RegistrationRow],
    summary="Who is coming, with access needs (facilitators only)",
)
def registration_list(request, meeting_id: int):
    meeting = access.get_meeting_for(request.user, meeting_id)
    access.require_role(access.can_see_registrations(request.user, meeting))
    return [
        {
            "person_id": r.user_id,
            "display_name": r.user.display_name,
            "status": r.status,
            "access_needs": r.access_needs,
            "registered_at": r.registered_at,
        }
        for r in selectors.registrations(meeting)
    ]


def _item(item: Any, *, names: bool, minutes: bool) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "description": item.description,
        "status": item.status,
        "position": item.position,
        "dots": item.dot_total,
        "my_dots": item.my_dots,
        "proposer": item.proposed_by.display_name if names else None,
        "proposer_perspective": item.proposer_perspective,
        "left_off_reason": item.left_off_reason,
        "minutes": item.minutes if minutes else None,
        "source_idea_id": item.source_idea_id,
    }


@router.get(
    "/meetings/{meeting_id}/agenda",
    response=list[ItemOut],
    auth=PUBLIC,
    summary="The agenda: proposals with dots (members), or the published agenda (everyone)",
)
def agenda(request, meeting_id: int):
    meeting = access.get_meeting_for(request.user, meeting_id)
    if not meeting.agenda_is_published and not access.can_see_proposals(request.user, meeting):
        raise PermissionDenied(_("The agenda is not published yet."))
    names = access.shows_names(request.user, meeting.space)
    minutes = access.can_see_minutes(request.user, meeting)
    return [_item(i, names=names, minutes=minutes) for i in selectors.agenda(meeting, request.user)]


@router.post(
    "/meetings/{meeting_id}/agenda", response={201: ItemOut}, summary="Propose an agenda item (members)"
)
@limited("post")
def propose(request, meeting_id: int, payload: ItemIn):
    meeting = access.get_meeting_for(request.user, meeting_id)
    item: Any = services.agenda_item_propose(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        description=payload.description,
        on_behalf_of=_person(payload.on_behalf_of),
        source_idea_id=payload.source_idea_id,
    )
    item.dot_total = item.my_dots = 0
    return Status(201, _item(item, names=True, minutes=True))


@router.post(
    "/meetings/{meeting_id}/agenda/publish",
    response=list[ItemOut],
    summary="Publish the agenda in dot order (facilitators)",
)
def publish(request, meeting_id: int):
    meeting = access.get_meeting_for(request.user, meeting_id)
    services.agenda_publish(actor=request.user, meeting=meeting)
    meeting.refresh_from_db()
    return [_item(i, names=True, minutes=True) for i in selectors.agenda(meeting, request.user)]


@router.post("/agenda/{item_id}/dots", response={201: DotsOut}, summary="Put one of your dots on an item")
@limited("vote")
def dot_add(request, item_id: int):
    item = access.get_item_for(request.user, item_id)
    services.dot_add(actor=request.user, item=item)
    return Status(201, {"dots_left": selectors.dots_left(request.user, item.meeting)})


@router.delete("/agenda/{item_id}/dots", response=DotsOut, summary="Take one of your dots off an item")
def dot_remove(request, item_id: int):
    item = access.get_item_for(request.user, item_id)
    services.dot_remove(actor=request.user, item=item)
    return {"dots_left": selectors.dots_left(request.user, item.meeting)}


@router.post(
    "/agenda/{item_id}/leave-off",
    response={204: None},
    summary="Leave an item off the agenda, with a reason (facilitators)",
)
def leave_off(request, item_id: int, payload: MeetingReasonIn):
    item = access.get_item_for(request.user, item_id)
    services.agenda_item_leave_off(actor=request.user, item=item, reason=payload.reason)
    return Status(204, None)


@router.put("/agenda/{item_id}/minutes", response={204: None}, summary="Minutes for an item (facilitators)")
def minutes(request, item_id: int, payload: MinutesIn):
    item = access.get_item_for(request.user, item_id)
    services.minutes_record(actor=request.user, item=item, minutes=payload.minutes)
    return Status(204, None)


@router.post(
    "/meetings/{meeting_id}/attendance",
    response=AttendanceOut,
    summary="Confirm who was there; pays time credits or records them as owed (facilitators)",
)
def attendance(request, meeting_id: int, payload: AttendanceIn):
    meeting = access.get_meeting_for(request.user, meeting_id)
    access.require_role(access.can_confirm_attendance(request.user, meeting))
    people = list(User.objects.filter(pk__in=payload.person_ids))
    if len(people) != len(set(payload.person_ids)):
        raise ValidationError({"person_ids": [_("Unknown person.")]})
    return services.attendance_confirm(actor=request.user, meeting=meeting, people=people)


def _decision(view: selectors.DecisionView) -> dict[str, Any]:
    d = view.decision
    return {
        "id": d.pk,
        "text": d.text,
        "agenda_item": d.agenda_item_id,
        "dissent": d.dissent,
        "agreed": dict(_by_value(view, Stance.AGREE)),
        "disagreed": dict(_by_value(view, Stance.DISAGREE)),
        "stood_aside": dict(_by_value(view, Stance.ABSTAIN)),
        "actions": [a.pk for a in d.actions.all()],
    }


def _by_value(view: selectors.DecisionView, stance: str) -> list[tuple[str, int]]:
    return [(value, n) for value, _label, n in view.by_stance.get(stance, [])]


@router.get(
    "/meetings/{meeting_id}/decisions",
    response=list[DecisionOut],
    auth=PUBLIC,
    summary="Decisions, with who agreed by perspective and dissent",
)
def decision_list(request, meeting_id: int):
    meeting = access.get_meeting_for(request.user, meeting_id)
    return [_decision(v) for v in selectors.decisions(meeting)]


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut},
    summary="Record a decision (facilitators)",
)
def decision_create(request, meeting_id: int, payload: DecisionIn):
    meeting = access.get_meeting_for(request.user, meeting_id)
    access.require_role(access.can_record_decision(request.user, meeting))
    item = None
    if payload.agenda_item is not None:
        item = meeting.agenda_items.filter(pk=payload.agenda_item).first()
        if item is None:
            raise ValidationError({"agenda_item": [_("No such item on this meeting's agenda.")]})
    voices: dict[User, str] = {}
    for voice in payload.voices:
        person = _person(voice.person_id, "voices")
        if person is not None:
            voices[person] = voice.stance
    decision = services.decision_record(
        actor=request.user,
        meeting=meeting,
        text=payload.text,
        agenda_item=item,
        dissent=payload.dissent,
        voices=voices,
    )
    view = next(v for v in selectors.decisions(meeting) if v.decision.pk == decision.pk)
    return Status(201, _decision(view))
