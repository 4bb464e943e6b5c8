"""Who may see and do what with meetings. Views and the API both go through these functions.

- A meeting (time, place, access information), its published agenda and its decisions are readable by anyone
  who may see the space (public spaces: everyone).
- Minutes of the published agenda: whoever may see the decisions (anyone who may see the space); they are the
  record of how the decisions were reached.
- Proposed agenda items before publication and the list of who registered: members.
- Access needs given at registration: the person themself, facilitators and hosts only.
- The online link: people registered for the meeting, facilitators and hosts.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from coproduce.spaces import access as space_access
from coproduce.spaces.access import shows_names  # noqa: F401  (the one rule, in spaces)

from .models import AgendaItem, Decision, Meeting, RegistrationStatus


def get_meeting_for(user, meeting_id: int, *, need: str | None = None, space=None) -> Meeting:
    queryset = Meeting.objects.select_related("space", "credit_organisation")
    if space is not None:
        queryset = queryset.filter(space=space)
    meeting = queryset.filter(pk=meeting_id).first()
    if meeting is None or not space_access.can_view(user, meeting.space):
        raise Http404
    if need is not None and not space_access.has_role(user, meeting.space, need):
        raise PermissionDenied
    return meeting


def get_item_for(
    user, item_id: int, *, need: str | None = None, meeting: Meeting | None = None
) -> AgendaItem:
    queryset = AgendaItem.objects.select_related("meeting__space", "proposed_by")
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    item = queryset.filter(pk=item_id).first()
    if item is None or not space_access.can_view(user, item.meeting.space):
        raise Http404
    if not can_see_proposals(user, item.meeting) and not item.meeting.agenda_is_published:
        raise Http404
    if need is not None and not space_access.has_role(user, item.meeting.space, need):
        raise PermissionDenied
    return item


def get_decision_for(user, decision_id: int, *, space=None) -> Decision:
    queryset = Decision.objects.select_related("meeting__space", "agenda_item")
    if space is not None:
        queryset = queryset.filter(meeting__space=space)
    decision = queryset.filter(pk=decision_id).first()
    if decision is None or not space_access.can_view(user, decision.meeting.space):
        raise Http404
    return decision


def is_member(user, meeting: Meeting) -> bool:
    return space_access.has_role(user, meeting.space, space_access.MEMBER)


def is_facilitator(user, meeting: Meeting) -> bool:
    return space_access.has_role(user, meeting.space, space_access.FACILITATOR)


def is_host(user, meeting: Meeting) -> bool:
    return space_access.has_role(user, meeting.space, space_access.HOST)


def can_see_proposals(user, meeting: Meeting) -> bool:
    return is_member(user, meeting) or bool(getattr(user, "is_staff", False))


def can_see_minutes(user, meeting: Meeting) -> bool:
    """Minutes are published with the agenda they belong to, to everyone who may read the decisions."""
    if is_member(user, meeting):
        return True
    return meeting.agenda_is_published and space_access.can_view(user, meeting.space)


def can_see_online_link(user, meeting: Meeting, registration=None) -> bool:
    if is_facilitator(user, meeting):
        return True
    return registration is not None and registration.status == RegistrationStatus.REGISTERED
