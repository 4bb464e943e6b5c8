"""Who may see and do what with meetings: decided here once, asked by the pages (and their templates), the
services and the API.

Reading:
- A meeting (time, place, access information), its published agenda and its decisions are readable by anyone
  who may see the space (public spaces: everyone).
- Minutes of the published agenda: whoever may see the decisions (anyone who may see the space); they are the
  record of how the decisions were reached.
- Proposed agenda items before publication and the list of who registered: members.
- Access needs given at registration: the person themself, facilitators and hosts only.
- The online link: people registered for the meeting, facilitators and hosts.

Doing (each `can_*` returns a `Decision`; `role=True` when the person's role is what is missing):
- Plan, change and cancel a meeting; publish the agenda, leave items off, write minutes, confirm who was there,
  record decisions, see registrations and access needs: facilitators and hosts. Time credits: hosts.
- Register, propose agenda items and put dots on them: members, while the meeting is still to come.
- Cancel a registration: the person themself, or a facilitator or host.
- Network events (a meeting with an `event_kind`, in the network's own public space): anyone may read them;
  anyone signed in may register (no membership needed, and nobody registers for someone else); the organisers
  are the network administrators (`people.access.can_admin_network`) and the network space's hosts, who do
  everything facilitators do for a meeting.
- When: a cancelled meeting changes no more; a meeting that has started cannot be cancelled, registered for or
  have its agenda changed; attendance, decisions and minutes wait until it has started (minutes are the record
  of the meeting, written for items on the published agenda).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.people.access import can_admin_network
from coproduce.spaces import access as space_access
from coproduce.spaces.access import (  # noqa: F401  (the one rule, in spaces)
    Decision,
    require,
    require_role,
    shows_names,
)
from coproduce.spaces.models import Space

from .models import AgendaItem, AgendaItemStatus, Meeting, Registration, RegistrationStatus
from .models import Decision as MeetingDecision

ALLOWED = Decision(True)


def get_meeting_for(user, meeting_id: int, *, space: Space | None = None) -> Meeting:
    """The meeting, or Http404 for those who may not see its space."""
    queryset = Meeting.objects.select_related("space", "credit_organisation")
    if space is not None:
        queryset = queryset.filter(space=space)
    meeting = queryset.filter(pk=meeting_id).first()
    if meeting is None or not space_access.can_view(user, meeting.space):
        raise Http404
    return meeting


def get_item_for(user, item_id: int, *, meeting: Meeting | None = None) -> AgendaItem:
    """The agenda item, or Http404 for those who may not see it (proposals are for members until the
    agenda is published)."""
    queryset = AgendaItem.objects.select_related("meeting__space", "proposed_by")
    if meeting is not None:
        queryset = queryset.filter(meeting=meeting)
    item = queryset.filter(pk=item_id).first()
    if item is None or not space_access.can_view(user, item.meeting.space):
        raise Http404
    if not can_see_proposals(user, item.meeting) and not item.meeting.agenda_is_published:
        raise Http404
    return item


def get_decision_for(user, decision_id: int) -> MeetingDecision:
    """The decision, or Http404 for those who may not see its meeting's space."""
    decision = (
        MeetingDecision.objects.select_related("meeting__space", "agenda_item").filter(pk=decision_id).first()
    )
    if decision is None or not space_access.can_view(user, decision.meeting.space):
        raise Http404
    return decision


# --- Roles ----------------------------------------------------------------------------------------


def is_member(user, meeting: Meeting) -> bool:
    return space_access.has_role(user, meeting.space, space_access.MEMBER)


def is_facilitator(user, meeting: Meeting) -> bool:
    if meeting.is_network_event:
        return is_organiser(user, meeting.space)
    return space_access.has_role(user, meeting.space, space_access.FACILITATOR)


def is_organiser(user, space: Space | None) -> bool:
    """Who organises network events: network administrators and the hosts of the network's events space."""
    if can_admin_network(user):
        return True
    return space is not None and space_access.has_role(user, space, space_access.HOST)


def is_host(user, meeting: Meeting) -> bool:
    return space_access.has_role(user, meeting.space, space_access.HOST)


def perspective_in(user, meeting: Meeting) -> str:
    """The member's perspective in the meeting's space, kept with what they do (PermissionDenied if none)."""
    membership = space_access.membership_of(user, meeting.space)
    if membership is None:
        raise PermissionDenied(_("Only members of this space can take part."))
    return membership.perspective


def _facilitator(user, meeting: Meeting, reason: str) -> Decision | None:
    return None if is_facilitator(user, meeting) else Decision(False, reason, role=True)


def can_run(user, meeting: Meeting) -> Decision:
    """The role every facilitator's page needs, asked before an agenda item is looked up."""
    return _first(_facilitator(user, meeting, _("Only facilitators and hosts run meetings.")))


def _not_cancelled(meeting: Meeting) -> Decision | None:
    return Decision(False, _("This meeting was cancelled.")) if meeting.is_cancelled else None


def _held(meeting: Meeting) -> Decision | None:
    if meeting.is_cancelled:
        return Decision(False, _("This meeting was cancelled."))
    if not meeting.has_started:
        return Decision(False, _("The meeting has not started yet."))
    return None


def _agenda_open(meeting: Meeting) -> Decision | None:
    if meeting.is_cancelled:
        return Decision(False, _("This meeting was cancelled."))
    if meeting.agenda_is_published:
        return Decision(False, _("The agenda is already published."))
    if meeting.has_started:
        return Decision(False, _("The meeting has started, so the agenda can no longer change."))
    return None


def _first(*checks: Decision | None) -> Decision:
    return next((check for check in checks if check is not None), ALLOWED)


# --- Reading --------------------------------------------------------------------------------------


def can_see_proposals(user, meeting: Meeting) -> bool:
    return is_member(user, meeting) or bool(getattr(user, "is_staff", False))


def can_see_minutes(user, meeting: Meeting) -> bool:
    """Minutes are published with the agenda they belong to, to everyone who may read the decisions."""
    if is_member(user, meeting):
        return True
    return meeting.agenda_is_published and space_access.can_view(user, meeting.space)


def can_see_online_link(user, meeting: Meeting, registration: Registration | None = None) -> bool:
    if is_facilitator(user, meeting):
        return True
    return registration is not None and registration.status == RegistrationStatus.REGISTERED


def can_print(user, meeting: Meeting) -> Decision:
    """The printed agenda and attendance sheet, for the facilitators who run the meeting in a room."""
    return _first(_facilitator(user, meeting, _("Only facilitators and hosts print meeting papers.")))


def can_see_registrations(user, meeting: Meeting) -> Decision:
    """Who is coming, with their access needs."""
    return _first(_facilitator(user, meeting, _("Only facilitators and hosts see who is coming.")))


# --- Network events -------------------------------------------------------------------------------


def get_event_for(user, event_id: int) -> Meeting:
    """A network event, or Http404 (no such event, or an ordinary meeting of a space)."""
    meeting = get_meeting_for(user, event_id)
    if not meeting.is_network_event:
        raise Http404
    return meeting


def can_plan_event(user, space: Space | None) -> Decision:
    """Plan a network event: network administrators and the hosts of the network's events space (`space`,
    None before the first event makes it)."""
    if is_organiser(user, space):
        return ALLOWED
    return Decision(False, _("Only network administrators organise network events."), role=True)


# --- Planning -------------------------------------------------------------------------------------


def can_plan(user, space: Space) -> Decision:
    if space_access.has_role(user, space, space_access.FACILITATOR):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can plan meetings."), role=True)


def can_change(user, meeting: Meeting) -> Decision:
    return _first(
        _facilitator(user, meeting, _("Only facilitators and hosts can change a meeting.")),
        _not_cancelled(meeting),
    )


def can_cancel(user, meeting: Meeting) -> Decision:
    return _first(
        _facilitator(user, meeting, _("Only facilitators and hosts can cancel a meeting.")),
        Decision(False, _("This meeting is already cancelled.")) if meeting.is_cancelled else None,
        Decision(False, _("The meeting has started, so it can no longer be cancelled."))
        if meeting.has_started
        else None,
    )


def can_set_credits(user, meeting: Meeting) -> Decision:
    if not is_host(user, meeting):
        return Decision(False, _("Only a host can decide that a meeting earns time credits."), role=True)
    if meeting.attendance_confirmed_at is not None:
        return Decision(
            False, _("Attendance is already confirmed, so the time credits can no longer change.")
        )
    return ALLOWED


# --- Registration ---------------------------------------------------------------------------------


def can_register(user, meeting: Meeting) -> Decision:
    """Whether `user` (the person who takes part) may have a place. A facilitator registering someone they
    help asks this for that person (see `spaces.access.participant_for`). A network event is open to anyone
    signed in."""
    if meeting.is_network_event:
        if not (user.is_authenticated and user.is_active):
            return Decision(False, _("Sign in to register for this event."), role=True)
    elif not is_member(user, meeting):
        return Decision(False, _("Only members of this space can take part."), role=True)
    if meeting.is_cancelled:
        return Decision(False, _("This meeting was cancelled."))
    if meeting.has_started:
        return Decision(False, _("This meeting has already started."))
    return ALLOWED


def can_cancel_registration(user, registration: Registration) -> Decision:
    if registration.user_id != user.pk and not is_facilitator(user, registration.meeting):
        return Decision(False, _("You can cancel only your own place."), role=True)
    if registration.status == RegistrationStatus.CANCELLED:
        return Decision(False, _("This registration is already cancelled."))
    return ALLOWED


# --- The agenda -----------------------------------------------------------------------------------


def can_propose(user, meeting: Meeting) -> Decision:
    """Propose items and put dots on them: members (or someone acting for one), while the agenda is open."""
    if not is_member(user, meeting):
        return Decision(False, _("Only members of this space can take part."), role=True)
    return _first(_agenda_open(meeting))


def can_leave_off(user, meeting: Meeting) -> Decision:
    return _first(
        _facilitator(user, meeting, _("Only facilitators and hosts can leave items off the agenda.")),
        _agenda_open(meeting),
    )


def can_publish_agenda(user, meeting: Meeting) -> Decision:
    return _first(
        _facilitator(user, meeting, _("Only facilitators and hosts can publish the agenda.")),
        _not_cancelled(meeting),
        Decision(False, _("The agenda is already published.")) if meeting.agenda_is_published else None,
    )


def can_write_minutes(user, item: AgendaItem) -> Decision:
    meeting = item.meeting
    return _first(
        _facilitator(user, meeting, _("Only facilitators and hosts write the minutes.")),
        Decision(False, _("Minutes are written for items on the published agenda."))
        if item.status != AgendaItemStatus.ON_AGENDA
        else None,
        Decision(False, _("Minutes are written once the meeting has started."))
        if not meeting.has_started
        else None,
    )


# --- After the meeting ----------------------------------------------------------------------------


def can_confirm_attendance(user, meeting: Meeting) -> Decision:
    return _first(
        _facilitator(user, meeting, _("Only facilitators and hosts confirm attendance.")), _held(meeting)
    )


def can_pay_credits(user, meeting: Meeting) -> Decision:
    return _first(_facilitator(user, meeting, _("Only facilitators and hosts pay time credits.")))


def can_record_decision(user, meeting: Meeting) -> Decision:
    return _first(
        _facilitator(user, meeting, _("Only facilitators and hosts record decisions.")), _held(meeting)
    )
