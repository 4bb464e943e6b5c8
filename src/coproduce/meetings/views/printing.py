"""Meeting papers to print for a meeting in a room: the agenda to hand out, and the attendance sheet to sign."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import access, selectors
from ..models import AgendaItemStatus

SPARE_ROWS = 12  # blank rows for people who come without registering


def _meeting(request: SignedInRequest, slug: str, meeting_id: int):
    space = space_access.get_space_for(request.user, slug)
    meeting = access.get_meeting_for(request.user, meeting_id, space=space)
    access.require_role(access.can_print(request.user, meeting))
    return space, meeting


@login_required
def print_agenda(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space, meeting = _meeting(request, slug, meeting_id)
    items = selectors.agenda(meeting, request.user)
    if meeting.agenda_is_published:
        items = selectors.on_agenda(items)
    else:
        items = [i for i in items if i.status == AgendaItemStatus.PROPOSED]
    return render(
        request,
        "meetings/print_agenda.html",
        {"space": space, "meeting": meeting, "items": items, "access_offers": meeting.access_offers()},
    )


@login_required
def print_attendance(request: SignedInRequest, slug: str, meeting_id: int) -> HttpResponse:
    space, meeting = _meeting(request, slug, meeting_id)
    return render(
        request,
        "meetings/print_attendance.html",
        {
            "space": space,
            "meeting": meeting,
            "registrations": selectors.coming(meeting),
            "show_names": space_access.shows_names(request.user, space),
            "spare_rows": range(SPARE_ROWS),
        },
    )
