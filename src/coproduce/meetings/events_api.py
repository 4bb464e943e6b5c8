"""/api/v1/events: network events, with the same access rules and services as the pages (an event is a
meeting of the network's events space)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Status

from coproduce.core.api import PUBLIC

from . import access, events, selectors, services
from .models import Meeting, Registration, RegistrationStatus
from .schemas import (
    MeetingReasonIn,
    NetworkEventIn,
    NetworkEventOut,
    NetworkEventPatch,
    NetworkEventRegistrationIn,
    RegistrationOut,
    RegistrationRow,
)

router = Router(tags=["events"])


def _event(m: Meeting, user, *, mine: dict[int, Registration] | None = None) -> dict[str, Any]:
    """One event as the API shows it; a list passes `mine` and events annotated with their counts."""
    registration = selectors.registration_of(user, m) if mine is None else mine.get(m.pk)
    if hasattr(m, "registered_count"):
        registered, waiting = m.registered_count, getattr(m, "waiting_count", 0)
    else:
        counts = selectors.registration_counts(m)
        registered, waiting = counts[RegistrationStatus.REGISTERED], counts[RegistrationStatus.WAITING]
    return {
        "id": m.pk,
        "kind": m.event_kind,
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
        "registered": registered,
        "waiting": waiting,
        "places_left": events.places_left(m, registered),
        "cancelled": m.is_cancelled,
        "my_registration": registration.status if registration else None,
        "url": reverse("events:detail", args=[m.pk]),
        "ics_url": reverse("events:ics", args=[m.pk]),
    }


@router.get(
    "", response=list[NetworkEventOut], auth=PUBLIC, summary="Network events (filters: kind, format, month)"
)
def event_list(
    request: HttpRequest, kind: str = "", format: str = "", month: str = "", when: str = "upcoming"
):
    filters = events.EventFilters.parse({"kind": kind, "format": format, "month": month, "when": when})
    listed = list(events.events(filters)[:100])
    mine = selectors.registrations_of(request.user, listed)
    return [_event(m, request.user, mine=mine) for m in listed]


@router.post("", response={201: NetworkEventOut}, summary="Plan a network event (network administrators)")
def event_create(request, payload: NetworkEventIn):
    meeting = services.event_create(actor=request.user, **payload.dict())
    return Status(201, _event(meeting, request.user))


@router.get("/{event_id}", response=NetworkEventOut, auth=PUBLIC, summary="One network event")
def event_detail(request, event_id: int):
    return _event(access.get_event_for(request.user, event_id), request.user)


@router.patch("/{event_id}", response=NetworkEventOut, summary="Change a network event (organisers)")
def event_update(request, event_id: int, payload: NetworkEventPatch):
    meeting = access.get_event_for(request.user, event_id)
    meeting = services.meeting_update(actor=request.user, meeting=meeting, **payload.dict(exclude_unset=True))
    return _event(meeting, request.user)


@router.post("/{event_id}/cancel", response=NetworkEventOut, summary="Cancel a network event (organisers)")
def event_cancel(request, event_id: int, payload: MeetingReasonIn):
    meeting = access.get_event_for(request.user, event_id)
    meeting = services.meeting_cancel(actor=request.user, meeting=meeting, reason=payload.reason)
    return _event(meeting, request.user)


@router.post(
    "/{event_id}/registration",
    response={201: RegistrationOut},
    summary="Register, or join the waiting list when it is full (anyone signed in)",
)
def event_register(request, event_id: int, payload: NetworkEventRegistrationIn):
    meeting = access.get_event_for(request.user, event_id)
    registration = services.registration_create(
        actor=request.user, meeting=meeting, access_needs=payload.access_needs
    )
    return Status(201, {"status": registration.status})


@router.delete("/{event_id}/registration", response={204: None}, summary="Cancel your place at an event")
def event_unregister(request, event_id: int):
    meeting = access.get_event_for(request.user, event_id)
    registration = selectors.registration_of(request.user, meeting)
    if registration is None:
        raise Http404
    services.registration_cancel(actor=request.user, registration=registration)
    return Status(204, None)


@router.get(
    "/{event_id}/registrations",
    response=list[RegistrationRow],
    summary="Who is coming and waiting, with access needs (organisers only)",
)
def event_registrations(request, event_id: int):
    meeting = access.get_event_for(request.user, event_id)
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
